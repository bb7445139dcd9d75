"""Lists of chemistry calls and the booking rules around them: HR lists every call
(upcoming and past: coachee, coach, time, state) from the sessions page, a coach their
own from their week page; a coachee holds one call per proposed coach at most, and a
call overlapping the one they hold with another coach is refused naming `start_at`.
Through the real app and database, and in Chromium."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from api_support import fresh, login
from fastapi.testclient import TestClient
from profiles_support import build_profiles
from rounds_support import SENTINEL, fast
from sqlmodel import Session, select
from web_support import Browser, as_user, bearer_token

from api.clock import FixedClock
from api.models.chemistry import CallState, ChemistryCall
from api.settings import Settings
from api.web.viewer import LANG_COOKIE

CALL = "/me/proposals/{}/chemistry-call"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings, chemistry_call_minutes=20)


def _proposals(client: TestClient, headers: dict[str, str]) -> dict[int, int]:
    return {o["coach_id"]: o["id"] for o in client.get("/me/proposals", headers=headers).json()}


def _starts(client: TestClient, proposal: int, headers: dict[str, str]) -> list[str]:
    offer = client.get(CALL.format(proposal), headers=headers)
    assert offer.status_code == 200, offer.text
    return list(offer.json()["starts"])


def _book(client: TestClient, proposal: int, start: str, headers: dict[str, str]) -> Any:
    return client.post(CALL.format(proposal), json={"start_at": start}, headers=headers)


def _rows(html: str) -> list[str]:
    table = html.split('<table id="chemistry-calls">', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in body.split("</tr>")[:-1]
    ]


def test_a_coachee_holds_one_call_per_coach_and_never_two_at_once(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_profiles(db, settings, client)
    karl, xavier = w["karl"].id, w["xavier"].id
    paul = _proposals(client, w["paul_h"])
    start = _starts(client, paul[karl], w["paul_h"])[0]
    assert _book(client, paul[karl], start, w["paul_h"]).status_code == 201
    held = datetime.fromisoformat(start)
    # the same time, and a time that overlaps it, with the other coach: refused by name
    for clash in (held, held + timedelta(minutes=10), held - timedelta(minutes=10)):
        refused = _book(client, paul[xavier], clash.isoformat(), w["paul_h"])
        assert refused.status_code == 409, refused.text
        body = refused.json()
        assert (body["field"], body["code"]) == ("start_at", "overlap"), body
        assert "you already have a chemistry call booked from" in body["detail"]
        assert body["next_starts"] and clash.isoformat() not in body["next_starts"]
    # the web card says it in the reader's words, next to the time list
    csrf = as_user(client, bearer_token(w["paul_h"]))
    card = client.post(
        f"/my/proposals/{paul[xavier]}/chemistry-call", data={"csrf": csrf, "start_at": start}
    )
    assert card.status_code == 409
    assert "You already have a chemistry call booked at that time, with another coach" in card.text
    assert f'aria-describedby="chemistry-{paul[xavier]}-error"' in card.text
    # a time that does not overlap it is fine: one call with each proposed coach
    other = next(
        s
        for s in _starts(client, paul[xavier], w["paul_h"])
        if abs(datetime.fromisoformat(s) - held) >= timedelta(minutes=20)
    )
    assert _book(client, paul[xavier], other, w["paul_h"]).status_code == 201
    # and no more than that: both proposals hold their one call
    for proposal in (paul[karl], paul[xavier]):
        later = (datetime.fromisoformat(other) + timedelta(days=1)).isoformat()
        again = _book(client, proposal, later, w["paul_h"])
        assert again.status_code == 409 and again.json()["field"] == "proposal_id"
    booked = fresh(db).exec(select(ChemistryCall).where(ChemistryCall.state == CallState.booked))
    assert sorted(c.coach_id for c in booked) == sorted([karl, xavier])


def test_hr_lists_every_call_and_a_coach_their_own(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    w = build_profiles(db, settings, client)
    karl, xavier = w["karl"].id, w["xavier"].id
    paul, olga = _proposals(client, w["paul_h"]), _proposals(client, w["olga_h"])
    first = _starts(client, paul[karl], w["paul_h"])[0]
    assert _book(client, paul[karl], first, w["paul_h"]).status_code == 201
    olga_start = next(s for s in _starts(client, olga[xavier], w["olga_h"]) if s > first)
    assert _book(client, olga[xavier], olga_start, w["olga_h"]).status_code == 201
    assert client.delete(CALL.format(olga[xavier]), headers=w["olga_h"]).status_code == 200

    as_user(client, bearer_token(w["hr"]))
    assert 'href="/hr/chemistry-calls"' in client.get("/hr/sessions").text
    page = client.get("/hr/chemistry-calls")
    assert page.status_code == 200
    rows = _rows(page.text)
    assert len(rows) == 2
    paul_row = next(r for r in rows if "Paul Coachee" in r)
    assert "Karl Coach" in paul_row and paul_row.endswith("Booked")
    olga_row = next(r for r in rows if "Olga Other" in r)
    assert "Xavier External" in olga_row and olga_row.endswith("Cancelled")
    assert SENTINEL not in page.text and not re.search(r"#\d", page.text)
    assert "No chemistry call here." in client.get("/hr/chemistry-calls?when=past").text
    client.cookies.set(LANG_COOKIE, "fr")
    french = client.get("/hr/chemistry-calls").text
    assert "Entretiens découverte" in french and "Réservé" in french and "Annulé" in french
    client.cookies.delete(LANG_COOKIE)

    # Karl sees his own only, from his week page; no coach column
    as_user(client, bearer_token(w["karl_h"]))
    assert 'href="/coach/chemistry-calls"' in client.get("/coach").text
    mine = client.get("/coach/chemistry-calls")
    assert mine.status_code == 200 and "My chemistry calls" in mine.text
    own = _rows(mine.text)
    assert len(own) == 1 and "Paul Coachee" in own[0] and own[0].endswith("Booked")
    assert "Xavier External" not in mine.text
    as_user(client, bearer_token(w["xavier_h"]))
    theirs = _rows(client.get("/coach/chemistry-calls").text)
    assert len(theirs) == 1 and "Olga Other" in theirs[0]

    # once over, the calls are past (latest first)
    clock.advance(timedelta(days=15))
    w["hr"] = login(client, "hr@example.org")  # signed in afresh: two weeks have passed
    as_user(client, bearer_token(w["hr"]))
    assert "No chemistry call here." in client.get("/hr/chemistry-calls").text
    past = _rows(client.get("/hr/chemistry-calls?when=past").text)
    assert len(past) == 2
    assert "Olga Other" in past[0] and "Paul Coachee" in past[1]  # Olga's was later

    # nobody else reads them
    for who in ("paul@example.org", "olga@example.org"):
        as_user(client, bearer_token(login(client, who)))
        for path in ("/hr/chemistry-calls", "/coach/chemistry-calls"):
            refused = client.get(path, follow_redirects=False)
            assert refused.status_code in (403, 404), (who, path, refused.status_code)
            assert "Karl Coach" not in refused.text


def test_hr_opens_the_calls_from_the_sessions_page_in_chromium(
    page: Any, live_server: str, db: Session, settings: Settings, client: TestClient
) -> None:
    w = build_profiles(db, settings, client)
    paul = _proposals(client, w["paul_h"])
    start = _starts(client, paul[w["karl"].id], w["paul_h"])[0]
    assert _book(client, paul[w["karl"].id], start, w["paul_h"]).status_code == 201
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    site.open("/hr/sessions")
    page.click("#chemistry-link")
    assert site.heading() == "Chemistry calls"
    row = page.locator("table#chemistry-calls tbody tr")
    assert row.count() == 1
    assert "Paul Coachee" in row.inner_text() and "Karl Coach" in row.inner_text()
    page.click("#chemistry-tabs a[data-when=past]")
    assert "No chemistry call here." in site.text()
