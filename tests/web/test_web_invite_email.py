"""The invite email's HTML part as Chromium renders it (issue 13 item 5): the reader's
language, a heading, the facts as a definition list, the join and manage links by name,
nothing fetched from anywhere; screenshots are kept under the test's folder."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from scheduling.ical_common import Mailbox
from scheduling.invites import Attendee, Method, SessionInvite
from scheduling.mime import EmailDetails, build_invite_email

U = dt.UTC


def _invite(lang: str) -> SessionInvite:
    return SessionInvite(
        uid="s-1@coachmatch.example",
        sequence=1,
        stamp=dt.datetime(2027, 1, 5, tzinfo=U),
        start=dt.datetime(2027, 1, 12, 8, 30, tzinfo=U),  # mardi 12 janvier 2027, 9 h 30 Paris
        end=dt.datetime(2027, 1, 12, 9, 30, tzinfo=U),
        zone="Europe/Paris",
        index=2,
        total=6,
        organizer=Mailbox("coaching@corp.example", "Programme de coaching"),
        attendees=(
            Attendee(Mailbox("karl@corp.example", "Karl Coach")),
            Attendee(Mailbox("olga@corp.example", "Olga Other")),
        ),
        online_url="https://meet.example.org/4f2a9c",
        language=lang,
    )


def _html(lang: str, method: Method, **details: Any) -> str:
    message = build_invite_email(
        _invite(lang),
        method,
        update=method is Method.REQUEST,
        details=EmailDetails(manage_url="https://coaching.corp.example/my/sessions", **details),
    )
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    part = parsed.get_body(("html",))
    assert part is not None
    return str(part.get_content())


CASES = [
    ("fr", Method.REQUEST, {"previous": (dt.datetime(2027, 1, 11, 8, tzinfo=U),)}),
    ("en", Method.REQUEST, {}),
    ("fr", Method.CANCEL, {"cancelled_by": "coachee"}),
]


@pytest.mark.parametrize(("lang", "method", "details"), CASES, ids=["fr-update", "en", "fr-cancel"])
def test_the_html_part_reads_well_in_chromium(
    lang: str, method: Method, details: dict[str, Any], browser_context: Any, tmp_path: Path
) -> None:
    if "previous" in details:
        start = details["previous"][0]
        details = {"previous": (start, start + dt.timedelta(hours=1))}
    html = _html(lang, method, **details)
    page = browser_context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    try:
        page.set_content(html, wait_until="load")
        shot = tmp_path / f"invite-{lang}-{method.value.lower()}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 1000
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.locator("h1").count() == 1
        assert page.locator("img, link[rel=stylesheet], script, iframe").count() == 0
        assert fetched == []  # nothing remote, nothing at all
        terms = page.locator("dt").all_inner_texts()
        values = page.locator("dd").all_inner_texts()
        facts = dict(zip(terms, values, strict=True))
        if lang == "fr" and method is Method.REQUEST:
            assert facts["Maintenant"] == "mardi 12 janvier 2027, 9 h 30 – 10 h 30 (heure de Paris)"
            assert facts["Avant"].startswith("lundi 11 janvier 2027, 9 h 00")
            join = page.get_by_role("link", name="Rejoindre la séance")
            assert join.get_attribute("href") == "https://meet.example.org/4f2a9c"
            manage = page.get_by_role("link", name="Déplacer ou annuler cette séance")
            assert manage.get_attribute("href") == "https://coaching.corp.example/my/sessions"
        elif lang == "en":
            assert facts["When"] == "Tuesday 12 January 2027, 09:30 – 10:30 (Paris time)"
            assert facts["Who takes part"] == "Karl Coach, Olga Other"
            assert page.get_by_role("link", name="Join the session").count() == 1
        else:
            assert facts["Annulée par"] == "la personne coachée"
            assert page.get_by_role("link", name="Rejoindre la séance").count() == 0
            assert page.get_by_role("heading", name="Et ensuite").count() == 1
        # readable at a phone's width: nothing wider than the screen
        page.set_viewport_size({"width": 360, "height": 640})
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(tmp_path / f"invite-{lang}-{method.value.lower()}-phone.png"))
    finally:
        page.close()
