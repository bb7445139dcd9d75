"""Issue 8 item 14 in a real browser (headless Chromium): a brief of exactly the limit,
with line breaks, typed into the form the page serves is accepted, and the text areas say
live how many characters are left, in the reader's language."""

from __future__ import annotations

from typing import Any

from api_support import add_person, add_user, fresh
from sqlmodel import Session, select
from web_support import Browser

from api.models import CoachingRequest
from api.models.enums import Role
from api.models.requests import DESCRIPTION_MAX
from api.settings import Settings
from api.web.viewer import LANG_COOKIE

LINE = "x" * 98  # 99 characters a line with its line break


def test_a_brief_of_exactly_the_limit_with_line_breaks_is_accepted(
    page: Any, live_server: str, db: Session, settings: Settings
) -> None:
    boss = add_person(db, "B1", name="Béatrice Boss")
    add_person(db, "P1", manager=boss, name="Paul Coachee")
    add_user(db, settings, Role.hr, email="hr@example.org")
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    site.open("/hr/requests/new")
    counter = page.locator("#description-left")
    assert page.locator("#description").get_attribute("maxlength") == str(DESCRIPTION_MAX)
    assert counter.inner_text() == "1000 characters left"

    brief = "\n".join([LINE] * 10)  # 10 lines: 989 characters, 9 line breaks among them
    page.fill("#description", brief)
    assert counter.inner_text() == f"{DESCRIPTION_MAX - len(brief)} characters left"
    page.locator("#description").press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("0123456789+extra")  # the browser stops at its maxlength
    value = page.locator("#description").input_value()
    assert len(value) == DESCRIPTION_MAX and value.count("\n") == 10
    assert counter.inner_text() == "0 characters left"
    page.keyboard.press("Backspace")
    assert counter.inner_text() == "1 character left"
    page.keyboard.type("9")

    page.fill("#coachee_id", "P1")
    page.fill("#sponsor_id", "B1")
    page.click("form.card button[type=submit]")
    assert site.heading() == "Coaching requests", site.text()
    stored = fresh(db).exec(select(CoachingRequest)).one()
    assert stored.description == value  # line breaks stored as the browser counted them
    assert len(stored.description) == DESCRIPTION_MAX and "\r" not in stored.description


def test_the_counter_speaks_french(
    page: Any, live_server: str, db: Session, settings: Settings
) -> None:
    add_user(db, settings, Role.hr, email="hr@example.org")
    page.context.add_cookies([{"name": LANG_COOKIE, "value": "fr", "url": live_server}])
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    site.open("/hr/requests/new")
    counter = page.locator("#objectives-left")
    assert counter.inner_text() == "1000 caractères restants"
    page.fill("#objectives", "é" * 999)
    assert counter.inner_text() == "1 caractère restant"
    page.keyboard.type("a")
    assert counter.inner_text() == "0 caractère restant"
    script = page.request.get(live_server + "/static/counter.js")
    assert script.status == 200 and "javascript" in script.headers["content-type"]
