"""The phone layout (issue 14 item 9) in Chromium at 390x844, for each role in English
and French: the header stays short with the menu folded behind its "Menu" button, the
menu opens and its links are reached by keyboard, no main page scrolls sideways, HR's
tables become cards (each cell after its column's header), and axe-core finds nothing
serious or critical. At 1280 px the desktop layout stays; without app.js the whole menu
is in view and a table scrolls inside itself rather than widening the page. Screenshots
are kept under each test's folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from api_support import add_user
from engaged_support import engage
from fastapi.testclient import TestClient
from rounds_support import post_round
from sqlmodel import Session
from web_support import Browser

from api.models.enums import Role
from api.settings import Settings
from api.web.viewer import LANG_COOKIE

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
HEADER_MAX = 100  # px, the menu folded (it took 237 of 844 before)
AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
EMAILS = {
    "hr": "hr@example.org",
    "coach": "karl@example.org",
    "coachee": "paul@example.org",
    "sponsor": "sacha@example.org",
}
MENU = {"en": "Menu", "fr": "Menu"}


@pytest.fixture
def world(client: TestClient, db: Session, settings: Settings) -> dict[str, Any]:
    """Paul's engagement with Karl (sessions planned), Sacha his sponsor with an account,
    and a committed round for Olga's and Ines's requests (its proposals open: the round
    page has its tables and its confirm and reject buttons)."""
    w = engage(client, db, settings)
    add_user(db, settings, Role.sponsor, email=EMAILS["sponsor"], person=w["people"]["sales"])
    w["round"] = post_round(client, w["hr"], commit=True)["id"]
    return w


def _pages(role: str, w: dict[str, Any]) -> list[str]:
    """The main pages of each role, lists and forms (the first is the home page)."""
    e, r = w["engagement"], w["round"]
    request, coach = w["requests"]["paul"].id, w["karl"].id
    if role == "hr":
        return ["/hr", "/hr/requests", f"/hr/requests/{request}", "/hr/requests/new",
                "/hr/rounds", f"/hr/rounds/{r}", "/hr/people", "/hr/coaches",
                f"/hr/coaches/{coach}", "/hr/coaches/new", "/hr/engagements",
                f"/hr/engagements/{e}", "/hr/sessions", "/hr/accounts", "/hr/outbox",
                "/hr/neutrality", "/hr/travel", "/hr/themes", "/hr/syntheses",
                f"/hr/requests/{request}/history", "/hr/chemistry-calls"]  # fmt: skip
    if role == "coach":
        return ["/coach", "/coach/availability", "/my/engagements", f"/my/engagements/{e}",
                "/my/sessions", "/my/requests", "/coach/record", "/coach/evaluations",
                "/coach/themes", "/my/feed", "/my/notifications",
                "/coach/chemistry-calls"]  # fmt: skip
    if role == "coachee":
        return ["/my", "/my/requests", f"/my/requests/{request}", "/my/requests/new",
                "/my/proposals", "/my/engagements", f"/my/engagements/{e}", "/my/sessions",
                "/my/windows", "/my/evaluations", "/my/data"]  # fmt: skip
    return ["/my", "/my/requests", "/my/engagements", "/my/sessions", "/my/evaluations",
            "/my/data"]  # fmt: skip


def _axe(page: Any) -> list[tuple[str, str, list[str]]]:
    """axe-core's serious and critical violations on the page: (rule, impact, targets).
    Its source is evaluated through the DevTools protocol, which the pages'
    Content-Security-Policy (script-src 'self') does not govern."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' ')).slice(0, 5)])"""
    )
    return [tuple(v) for v in found]


def _sideways(page: Any) -> int:
    """How far the page scrolls sideways, in px (0: it fits)."""
    return int(page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))


def _header(page: Any) -> float:
    return float(
        page.evaluate("() => document.querySelector('header').getBoundingClientRect().height")
    )


@pytest.fixture
def axe_source() -> Path:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is missing at {AXE}: `npm ci --prefix tests/js` installs it")
        pytest.skip(f"no axe-core at {AXE}: run `npm ci --prefix tests/js`")
    return AXE


def _sign_in(page: Any, live_server: str, role: str, lang: str) -> Browser:
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": LANG_COOKIE, "value": lang, "url": live_server}])
    site = Browser(page, live_server)
    site.sign_in(EMAILS[role])
    assert page.evaluate("document.documentElement.lang") == lang
    return site


def _check_menu(page: Any, site: Browser, lang: str, shots: Path, role: str) -> None:
    """Folded: short header, the links out of view; open: every link in view and within
    the screen's width, reached by Tab from the button; Escape folds it again."""
    button = page.get_by_role("button", name=MENU[lang])
    assert button.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == "site-menu"
    links = page.locator("header nav a")
    assert links.count() >= 5
    assert not links.first.is_visible()
    assert not page.locator("form[action='/signout'] button").is_visible()
    assert _header(page) <= HEADER_MAX, _header(page)
    page.screenshot(path=str(shots / f"{role}-{lang}-menu-closed.png"))
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    for i in range(links.count()):
        link = links.nth(i)
        assert link.is_visible(), link.inner_text()
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.locator("form[action='/signout'] button").is_visible()
    assert _sideways(page) <= 1
    page.screenshot(path=str(shots / f"{role}-{lang}-menu-open.png"), full_page=True)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == links.first.get_attribute("href")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.classList.contains('menu-toggle')")
    assert not links.first.is_visible()
    # a link of the open menu leads to its page, where the menu is folded again
    page.keyboard.press("Enter")
    target = links.nth(1)
    href = target.get_attribute("href")
    target.click()
    page.wait_for_url(site.base + href)
    assert page.get_by_role("button", name=MENU[lang]).get_attribute("aria-expanded") == "false"


def _check_cards(page: Any) -> None:
    """Every table of the page with a header row is shown as cards: rows as blocks, the
    header row out of view, each labelled cell's ::before its column's header."""
    tables = page.evaluate(
        """() => [...document.querySelectorAll('main table')].filter(t => t.tHead).map(t => {
            const heads = [...t.tHead.rows[t.tHead.rows.length - 1].cells]
                .map(c => c.textContent.replace(/\\s+/g, ' ').trim());
            const row = t.tBodies[0] && t.tBodies[0].rows[0];
            const cells = row ? [...row.cells] : [];
            return {
                heads,
                thead: t.tHead.getBoundingClientRect().height,
                display: row ? getComputedStyle(row).display : null,
                labels: cells.map(c => c.dataset.label ?? null),
                before: cells.map(c => getComputedStyle(c, '::before').content),
                right: Math.max(0, ...cells.map(c => c.getBoundingClientRect().right)),
            };
        })"""
    )
    assert tables, page.url
    for table in tables:
        assert table["display"] == "block", (page.url, table)
        assert table["thead"] <= 1, (page.url, table)
        assert table["right"] <= PHONE["width"], (page.url, table)
        for head, label, before in zip(
            table["heads"], table["labels"], table["before"], strict=False
        ):
            if head:
                assert label == head, (page.url, table)
                assert before == f'"{head}"', (page.url, table)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("role", ["hr", "coach", "coachee", "sponsor"])
def test_the_pages_fit_a_phone(
    page: Any,
    live_server: str,
    world: dict[str, Any],
    axe_source: Path,
    shots: Path,
    role: str,
    lang: str,
) -> None:
    site = _sign_in(page, live_server, role, lang)
    _check_menu(page, site, lang, shots, role)
    for path in _pages(role, world):
        response = site.open(path)
        assert response.status == 200, (path, response.status)
        page.wait_for_load_state()
        assert page.get_by_role("button", name=MENU[lang]).is_visible(), path
        assert _header(page) <= HEADER_MAX, (path, _header(page))
        assert _sideways(page) <= 1, (path, _sideways(page))
        if role == "hr" and path in ("/hr/engagements", f"/hr/rounds/{world['round']}"):
            _check_cards(page)
        assert _axe(page) == [], path
        page.screenshot(
            path=str(shots / f"{role}-{lang}{path.replace('/', '-')}.png"), full_page=True
        )


def test_the_round_page_buttons_work_on_a_phone(
    page: Any, live_server: str, world: dict[str, Any], shots: Path
) -> None:
    """The confirm button of a proposal, inside a cell shown as a card, is in view, not
    covered, and confirms the proposal."""
    site = _sign_in(page, live_server, "hr", "en")
    site.open(f"/hr/rounds/{world['round']}")
    confirm = page.locator("form[action^='/hr/proposals/'][action$='/confirm'] button").first
    confirm.scroll_into_view_if_needed()
    box = confirm.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('button')?.textContent",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert hit == "Confirm"
    before = page.locator("form[action^='/hr/proposals/'][action$='/confirm'] button").count()
    confirm.click()
    page.wait_for_load_state()
    assert page.locator(".flash").count() == 1
    page.screenshot(path=str(shots / "round-confirmed.png"), full_page=True)
    assert (
        page.locator("form[action^='/hr/proposals/'][action$='/confirm'] button").count() < before
    )


def test_the_desktop_layout_stays(page: Any, live_server: str, world: dict[str, Any]) -> None:
    site = Browser(page, live_server)
    page.set_viewport_size(DESKTOP)
    site.sign_in(EMAILS["hr"])
    assert not page.locator(".menu-toggle").is_visible()
    links = page.locator("header nav a")
    for i in range(links.count()):
        assert links.nth(i).is_visible()
    assert page.locator("form[action='/signout'] button").is_visible()
    site.open("/hr/engagements")
    row = page.locator("main table tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "table-row"
    cell = row.locator("td").first
    assert cell.get_attribute("data-label")  # labelled, but shown as a table
    assert cell.evaluate("c => getComputedStyle(c, '::before').content") == "none"
    assert page.locator("main table thead").is_visible()


def test_without_the_script_the_menu_is_in_view_and_tables_scroll_inside(
    page: Any, live_server: str, world: dict[str, Any], shots: Path
) -> None:
    page.route("**/static/app.js", lambda route: route.abort())
    site = _sign_in(page, live_server, "hr", "en")
    assert not page.locator(".menu-toggle").is_visible()
    assert page.locator("header nav a").first.is_visible()
    assert page.locator("form[action='/signout'] button").is_visible()
    site.open(f"/hr/rounds/{world['round']}")
    assert _sideways(page) <= 1
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main table')]
            .map(t => [t.scrollWidth > t.clientWidth, getComputedStyle(t).overflowX])"""
    )
    assert [True, "auto"] in wide, wide  # a table wider than the screen scrolls itself
    page.screenshot(path=str(shots / "round-no-script.png"), full_page=True)
