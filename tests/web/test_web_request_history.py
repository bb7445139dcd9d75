"""HR's history of a request (/hr/requests/{id}/history, linked from the request's page):
everything that happened to it in time order, from what the database keeps (the request's
times, proposals, calls, engagement, contract, sessions and the audit log), by name and
never by id, with dates in the reader's language; HR only. Through the real app."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from engaged_support import sessions_of
from fastapi.testclient import TestClient
from lifecycle_support import contract_body
from rounds_support import SENTINEL, build_programme, fast, open_proposals, post_round
from sqlmodel import Session
from web_support import Browser, as_user, bearer_token

from api.clock import FixedClock
from api.requests.history import KINDS, Event
from api.settings import Settings
from api.web.pages.request_history import describe
from api.web.viewer import LANG_COOKIE

CALL = "/me/proposals/{}/chemistry-call"
STEP = timedelta(minutes=7)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings, chemistry_call_minutes=20)


def _lines(html: str) -> list[str]:
    table = html.split('<table id="history">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table, re.S)
    return [" | ".join(re.sub(r"<[^>]+>", "", cell).strip() for cell in row) for row in rows]


def _find(lines: list[str], text: str) -> int:
    found = [i for i, line in enumerate(lines) if text in line]
    assert found, f"{text!r} not in {lines}"
    return found[0]


def _paul_lives(client: TestClient, db: Session, w: dict[str, Any], clock: FixedClock) -> int:
    """Paul's request from edit to early end; returns its engagement id."""
    request_id = w["requests"]["paul"].id
    karl, xavier = w["karl"].id, w["xavier"].id
    clock.advance(STEP)
    edited = client.patch(f"/requests/{request_id}", json={"priority": 1}, headers=w["hr"])
    assert edited.status_code == 200, edited.text
    clock.advance(STEP)
    post_round(client, w["hr"], commit=True, proposals=2)
    offers = {
        o["coach_id"]: o["id"] for o in client.get("/me/proposals", headers=w["paul_h"]).json()
    }
    clock.advance(STEP)
    start = client.get(CALL.format(offers[xavier]), headers=w["paul_h"]).json()["starts"][0]
    booked = client.post(CALL.format(offers[xavier]), json={"start_at": start}, headers=w["paul_h"])
    assert booked.status_code == 201, booked.text
    clock.advance(STEP)
    chosen = client.post(f"/me/proposals/{offers[karl]}/choose", headers=w["paul_h"])
    assert chosen.status_code == 200, chosen.text
    engagement = chosen.json()["id"]
    clock.advance(STEP)
    contract = client.put(
        f"/me/engagements/{engagement}/contract", json=contract_body(SENTINEL), headers=w["karl_h"]
    )
    assert contract.status_code == 200, contract.text
    for who in ("karl_h", "paul_h"):
        clock.advance(STEP)
        ack = client.post(
            f"/me/engagements/{engagement}/contract/acknowledge",
            json={"version": 1},
            headers=w[who],
        )
        assert ack.status_code == 200, ack.text
    rows = sessions_of(db, engagement)
    clock.advance(STEP)
    moved = client.post(f"/me/sessions/{rows[1].id}/reschedule", json={}, headers=w["karl_h"])
    assert moved.status_code == 200, moved.text
    clock.advance(STEP)
    cancelled = client.post(f"/me/sessions/{rows[2].id}/cancel", headers=w["karl_h"])
    assert cancelled.status_code == 200, cancelled.text
    clock.advance(STEP)
    ended = client.post(
        f"/me/engagements/{engagement}/end", json={"reason": "no_fit"}, headers=w["paul_h"]
    )
    assert ended.status_code == 200, ended.text
    return int(engagement)


def test_the_history_tells_the_request_s_life_in_order_by_name(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    w = build_programme(db, settings, client)
    request_id = w["requests"]["paul"].id
    _paul_lives(client, db, w, clock)
    as_user(client, bearer_token(w["hr"]))
    page = client.get(f"/hr/requests/{request_id}")
    assert f'href="/hr/requests/{request_id}/history"' in page.text
    history = client.get(f"/hr/requests/{request_id}/history")
    assert history.status_code == 200, history.text
    assert "History of Paul Coachee’s request" in history.text
    lines = _lines(history.text)
    steps = [
        "Request submitted",
        "Edited: Priority",
        "Proposed by a round:",
        "Chemistry call with Xavier External booked:",
        "Coach chosen by the coachee: Karl Coach",
        "Session 1 booked: ",
        "Contract version 1 drawn up",
        "Contract version 1 acknowledged by Karl Coach",
        "Contract version 1 acknowledged by Paul Coachee",
        "Session 2 moved to ",
        "Session 3 (",
        "Coaching with Karl Coach ended early: ",
        "Request closed",
    ]
    where = [_find(lines, step) for step in steps]
    assert where == sorted(where), lines
    proposed = lines[_find(lines, "Proposed by a round:")]
    assert "Karl Coach" in proposed and "Xavier External" in proposed
    assert "Chemistry call with Xavier External cancelled:" in " ".join(lines)
    assert "Edited: Priority | hr user" in lines[_find(lines, "Edited")]
    assert lines[_find(lines, "Coach chosen")].endswith("| Paul Coachee")
    assert lines[_find(lines, "Session 3 (")].endswith("Cancelled | Karl Coach")
    assert lines[_find(lines, "Session 2 moved")].endswith("| Karl Coach")
    assert lines[_find(lines, "ended early")].endswith("did not work | Paul Coachee")
    assert lines[0].startswith("Monday 2\u00a0March\u00a02026, 09:00")  # Paris time, in words
    # names, never ids; nothing confidential
    assert SENTINEL not in history.text
    assert not re.search(r"#\d", history.text)
    assert 'href="/hr/rounds/' in history.text

    client.cookies.set(LANG_COOKIE, "fr")
    french = _lines(client.get(f"/hr/requests/{request_id}/history").text)
    assert french[0].startswith("lundi 2\u00a0mars\u00a02026") and "Demande soumise" in french[0]
    assert any("Coach choisi par le coaché\u00a0: Karl Coach" in line for line in french)
    assert any("Demande clôturée" in line for line in french)


def test_a_rejection_s_reason_is_in_the_history_and_only_hr_reads_it(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    w = build_programme(db, settings, client)
    olga_id = w["requests"]["olga"].id
    clock.advance(STEP)
    post_round(client, w["hr"], commit=True, proposals=2)
    first, second = open_proposals(db, olga_id)[:2]
    clock.advance(STEP)
    reason = "Olga asked for someone outside Sales"
    rejected = client.post(
        f"/proposals/{second.id}/reject", json={"reason": reason}, headers=w["hr"]
    )
    assert rejected.status_code == 200, rejected.text
    clock.advance(STEP)
    assert client.post(f"/proposals/{first.id}/confirm", headers=w["hr"]).status_code == 200
    as_user(client, bearer_token(w["hr"]))
    lines = _lines(client.get(f"/hr/requests/{olga_id}/history").text)
    turned = _find(lines, f"turned down: {reason}")
    assert lines[turned].endswith("| hr user")
    assert turned < _find(lines, "Coach confirmed by HR:")
    # not HR: no history
    for who in ("olga_h", "karl_h"):
        as_user(client, bearer_token(w[who]))
        refused = client.get(f"/hr/requests/{olga_id}/history", follow_redirects=False)
        assert refused.status_code in (403, 404), refused.status_code
        assert reason not in refused.text
    as_user(client, bearer_token(w["hr"]))
    assert client.get("/hr/requests/999999/history").status_code == 404


def test_hr_opens_the_history_from_the_request_page_in_chromium(
    page: Any, live_server: str, db: Session, settings: Settings, client: TestClient
) -> None:
    w = build_programme(db, settings, client)
    request_id = w["requests"]["olga"].id
    post_round(client, w["hr"], commit=True, proposals=2)
    second = open_proposals(db, request_id)[-1]
    client.post(f"/proposals/{second.id}/reject", json={"reason": "too far"}, headers=w["hr"])
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    site.open(f"/hr/requests/{request_id}")
    page.click("#history-link")
    assert site.heading() == "History of Olga Other’s request"
    rows = page.locator("table#history tbody tr")
    assert rows.count() == 3
    assert "Request submitted" in rows.nth(0).inner_text()
    assert "turned down: too far" in rows.nth(2).inner_text()
    page.click("#history-back")
    assert page.url.endswith(f"/hr/requests/{request_id}")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_kind_of_event_is_worded_in_both_languages(lang: str) -> None:
    at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    for kind in KINDS:
        for extra in ({}, {"reason": "why", "start": at, "code": "no_fit"}):
            event = Event(at=at, kind=kind, coach="Karl Coach", number=2, **extra)
            text = describe(event, lang, "Europe/Paris")
            assert text and "{" not in text, (kind, text)
    with pytest.raises(ValueError, match="unknown history event"):
        describe(Event(at=at, kind="exploded"), lang, None)
