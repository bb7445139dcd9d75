"""The HR dashboard's charts in a real browser: SVG charts with a table view each, in
English and French, suppressed cells shown as such, and the CSV exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api_support import add_user
from report_support import build_programme
from sqlmodel import Session
from web_support import Browser

from api.models.enums import Role
from api.settings import Settings

CHARTS = ("requests", "waiting", "utilisation", "kinds", "evaluations")


def test_the_dashboard_draws_the_indicators_in_both_languages(
    page: Any, live_server: str, db: Session, settings: Settings, shots: Path
) -> None:
    build_programme(db, seed=3)
    add_user(db, settings, Role.hr, email="hr@example.org")
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    for lang, title, hidden, table_view in (
        ("en", "Programme indicators, 2025", "hidden (fewer than 5)", "Table view"),
        ("fr", "Indicateurs du programme, 2025", "masqué (moins de 5)", "Vue en tableau"),
    ):
        if lang == "fr":
            page.click("button[name=lang][value=fr]")
            page.wait_for_load_state()
        site.open("/hr?year=2025")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("#indicators").inner_text() == title
        for chart in ("requests", "waiting", "utilisation", "kinds"):
            figure = page.locator(f"#chart-{chart}")
            svg = figure.locator("svg[role=img]")
            assert svg.count() == 1, chart
            box = svg.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 40
            assert svg.locator("rect").count() > 2  # legend and bars drawn
            # the table view holds the chart's numbers, one row per bar group
            figure.locator("summary").click()
            assert figure.locator("summary").inner_text() == table_view
            table = figure.locator("table")
            assert table.is_visible()
            assert table.locator("tbody tr").count() == svg.locator("text[text-anchor=end]").count()
        # the monthly requests: some months are small, hidden, in the chart and the table
        requests = page.locator("#chart-requests")
        assert requests.locator("td.suppressed").count() > 0
        assert requests.locator("td.suppressed").first.inner_text() == hidden
        assert (
            requests.locator("svg rect.suppressed").count()
            == requests.locator("td.suppressed").count()
        )
        assert hidden in (requests.locator("svg").text_content() or "")
        # and the visible ones are numbers
        first = requests.locator("tbody tr").first.locator("td").first.inner_text()
        assert first == hidden or first.isdigit()
        page.screenshot(path=str(shots / f"dashboard-{lang}.png"), full_page=True)
        # no evaluation answers yet: said so
        assert page.locator("#chart-evaluations").count() == 1
    # the CSV exports of the year, signed in by the page's cookie
    link = page.locator("ul.exports a").first
    href = link.get_attribute("href")
    assert href is not None and href.endswith("format=csv")
    response = page.request.get(live_server + href)
    assert response.status == 200
    assert response.text().startswith("group,requests_received")
