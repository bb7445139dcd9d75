"""HR's travel page in Chromium (issue 9 item 10), in French then English: every pair of
sites with its default, a refused value shown inline by its row, a value set, then the
default again; the rows the page writes are the API's."""

from __future__ import annotations

from typing import Any

from api_support import add_person, add_user, fresh
from sqlmodel import Session, select
from web_support import Browser

from api.i18n import CATALOGS
from api.models import SiteTravel
from api.models.enums import Role
from api.settings import Settings
from api.travel.default import default_minutes, place_of
from api.web.viewer import LANG_COOKIE


def fr(key: str, **values: Any) -> str:
    return CATALOGS["fr"][key].format(**values)


def test_hr_reviews_and_edits_the_travel_table(
    page: Any, live_server: str, db: Session, settings: Settings
) -> None:
    boss = add_person(db, "E0", site="Paris")
    add_person(db, "E1", manager=boss, site="Lyon")
    add_person(db, "E2", manager=boss, site="Siège")
    add_user(db, settings, Role.hr, email="hr@example.org")
    default = default_minutes(place_of("Paris"), place_of("Lyon"))
    assert default is not None

    site = Browser(page, live_server)
    page.context.add_cookies([{"name": LANG_COOKIE, "value": "fr", "url": live_server}])
    site.sign_in("hr@example.org")
    site.open("/hr/travel")
    assert site.heading() == fr("travel.title")
    row = page.locator("tr[data-pair='Lyon|Paris']")
    assert row.locator("td.source").inner_text() == fr("travel.source.default")
    assert row.locator("input[name=minutes]").input_value() == str(default)
    unknown = page.locator("tr[data-pair='Paris|Siège'] td.source").inner_text()
    assert unknown == fr("travel.source.unknown")
    places = page.locator("#travel-sites").inner_text()
    assert fr("travel.place_city", city="Lyon") in places and fr("travel.place_unknown") in places

    # A negative time is refused in its row, in French; nothing is written.
    row.locator("input[name=minutes]").fill("-5")
    row.locator("button[value=save]").click()
    page.wait_for_load_state()
    row = page.locator("tr[data-pair='Lyon|Paris']")
    assert row.get_attribute("class") == "invalid"
    assert row.locator("input[name=minutes]").get_attribute("aria-invalid") == "true"
    assert row.locator("p.error").inner_text().strip()
    assert fr("form.fix_errors") in site.text()
    assert fresh(db).exec(select(SiteTravel)).all() == []

    # HR's value: saved, shown as set, kept by the database.
    row.locator("input[name=minutes]").fill("150")
    row.locator("button[value=save]").click()
    assert fr("flash.travel_saved") in site.text()
    row = page.locator("tr[data-pair='Lyon|Paris']")
    assert row.locator("td.source").inner_text() == fr("travel.source.set")
    assert row.locator("input[name=minutes]").input_value() == "150"
    (stored,) = fresh(db).exec(select(SiteTravel)).all()
    assert (stored.site_a, stored.site_b, stored.minutes) == ("Lyon", "Paris", 150)

    # Back to the default.
    row.locator("details.confirm summary").click()  # the reset asks first (issue 14 item 5)
    row.locator("details.confirm button").click()
    assert fr("flash.travel_reset") in site.text()
    row = page.locator("tr[data-pair='Lyon|Paris']")
    assert row.locator("td.source").inner_text() == fr("travel.source.default")
    assert row.locator("input[name=minutes]").input_value() == str(default)
    assert fresh(db).exec(select(SiteTravel)).all() == []

    # The same page in English.
    page.context.add_cookies([{"name": LANG_COOKIE, "value": "en", "url": live_server}])
    site.open("/hr/travel")
    assert site.heading() == CATALOGS["en"]["travel.title"]
    assert CATALOGS["en"]["travel.source.unknown"] in site.text()
