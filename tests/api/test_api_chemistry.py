"""Chemistry calls through the API (issue 14 item 4): the coachee of an open proposal books
a short call with the proposed coach in their common free time, one per proposal; the
time becomes busy; the invite carries nothing of the request; setting 0 turns them off."""

from __future__ import annotations

from datetime import datetime, timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from api_support import START, add_user, fresh, login
from fastapi.testclient import TestClient
from live_servers import live_servers
from profiles_support import build_profiles
from pydantic import ValidationError
from rounds_support import SENTINEL, fast
from sqlmodel import Session, col, select
from test_api_races import meeting, race

from api.jobs.chores import chemistry_calls
from api.models import OutboxMessage
from api.models.chemistry import CallState, ChemistryCall
from api.models.enums import Role
from api.settings import Settings

CALL = "/me/proposals/{}/chemistry-call"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    minutes = getattr(request, "param", 20)
    return fast(settings, chemistry_call_minutes=minutes)


def _proposals(client: TestClient, headers: dict[str, str]) -> dict[int, int]:
    """Coach id -> the proposal's id, for the coachee signed in with `headers`."""
    response = client.get("/me/proposals", headers=headers)
    assert response.status_code == 200, response.text
    return {o["coach_id"]: o["id"] for o in response.json()}


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _mails(db: Session, call_id: int) -> list[OutboxMessage]:
    return list(
        fresh(db).exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.dedupe_key).startswith(f"chemistry:{call_id}:"))
            .order_by(col(OutboxMessage.id))
        )
    )


def _calendar(message: OutboxMessage) -> str:
    mail = message_from_bytes(message.raw_mime, policy=default)
    part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    return str(part.get_content()).replace("\r\n ", "")


def test_settings_accept_0_or_15_to_30_minutes_only() -> None:
    for fine in (0, 15, 20, 30):
        assert Settings(chemistry_call_minutes=fine).chemistry_call_minutes == fine
    for wrong in (-1, 1, 14, 31, 60):
        with pytest.raises(ValidationError, match="between 15 and 30"):
            Settings(chemistry_call_minutes=wrong)


def test_the_coachee_books_a_call_that_becomes_busy_and_invites_both(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_profiles(db, settings, client)
    karl = w["karl"].id
    paul, olga = _proposals(client, w["paul_h"]), _proposals(client, w["olga_h"])
    offer = client.get(CALL.format(paul[karl]), headers=w["paul_h"])
    assert offer.status_code == 200, offer.text
    body = offer.json()
    assert body["minutes"] == 20 and body["call"] is None and len(body["starts"]) == 6
    starts = [_at(s) for s in body["starts"]]
    assert all(s > START and s.minute in (0, 30) for s in starts)
    start = starts[0]

    booked = client.post(
        CALL.format(paul[karl]), json={"start_at": start.isoformat()}, headers=w["paul_h"]
    )
    assert booked.status_code == 201, booked.text
    call = booked.json()
    assert call["state"] == "booked" and call["coach_id"] == karl
    assert _at(call["end_at"]) - _at(call["start_at"]) == timedelta(minutes=20)
    shown = client.get(CALL.format(paul[karl]), headers=w["paul_h"]).json()
    assert shown["call"]["id"] == call["id"] and shown["starts"] == []

    # one booked call per proposal
    again = client.post(
        CALL.format(paul[karl]), json={"start_at": starts[2].isoformat()}, headers=w["paul_h"]
    )
    assert again.status_code == 409 and again.json()["field"] == "proposal_id"

    # the time is the coach's now: another coachee's proposal of the same coach cannot take it
    olga_starts = client.get(CALL.format(olga[karl]), headers=w["olga_h"]).json()["starts"]
    assert start.isoformat() not in olga_starts
    clash = client.post(
        CALL.format(olga[karl]), json={"start_at": start.isoformat()}, headers=w["olga_h"]
    )
    assert clash.status_code == 409, clash.text
    refusal = clash.json()
    assert refusal["field"] == "start_at" and refusal["code"] == "not_free"
    assert refusal["next_starts"] and start.isoformat() not in refusal["next_starts"]
    # nor Paul himself with the other coach at the same time
    xavier = client.post(
        CALL.format(paul[w["xavier"].id]), json={"start_at": start.isoformat()}, headers=w["paul_h"]
    )
    assert xavier.status_code == 409 and xavier.json()["field"] == "start_at"

    # the invite: to the coach and to Paul, the call's time, nothing of the request
    mails = _mails(db, call["id"])
    people = w["people"]
    assert sorted(m.recipient for m in mails) == sorted(
        [people["paul"].email, people["karl"].email]
    )
    for message in mails:
        assert message.kind == "invite.request"
        assert SENTINEL not in message.raw_mime.decode(errors="replace")
        ics = _calendar(message)
        assert "METHOD:REQUEST" in ics and "CLASS:PRIVATE" in ics and SENTINEL not in ics
        assert "SUMMARY:Chemistry call (20 minutes)" in ics
        assert f"DTSTART;TZID=Europe/Paris:{start.astimezone(PARIS):%Y%m%dT%H%M%S}" in ics

    # cancelled: both are told, and the time is free again for Olga
    cancelled = client.delete(CALL.format(paul[karl]), headers=w["paul_h"])
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    cancels = [m for m in _mails(db, call["id"]) if m.kind == "invite.cancel"]
    assert len(cancels) == 2 and all("METHOD:CANCEL" in _calendar(m) for m in cancels)
    taken = client.post(
        CALL.format(olga[karl]), json={"start_at": start.isoformat()}, headers=w["olga_h"]
    )
    assert taken.status_code == 201, taken.text
    none_left = client.delete(CALL.format(paul[karl]), headers=w["paul_h"])
    assert none_left.status_code == 404 and none_left.json()["field"] == "proposal_id"


def test_only_the_coachee_of_the_proposal_books_in_free_time_in_the_future(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_profiles(db, settings, client)
    sponsor = add_user(
        db, settings, Role.sponsor, email="s@example.org", person=w["people"]["sales"]
    )
    sponsor_h = login(client, sponsor.email)
    proposal = _proposals(client, w["paul_h"])[w["karl"].id]
    url = CALL.format(proposal)
    good = client.get(url, headers=w["paul_h"]).json()["starts"][0]
    for headers in (w["hr"], sponsor_h, w["karl_h"]):
        assert client.get(url, headers=headers).status_code == 403
        assert client.post(url, json={"start_at": good}, headers=headers).status_code == 403
    for headers in (w["olga_h"], w["nadia_h"]):  # another coachee: no such proposal for them
        refused = client.post(url, json={"start_at": good}, headers=headers)
        assert refused.status_code == 404 and refused.json()["field"] == "proposal_id"
    assert client.get(CALL.format(999999), headers=w["paul_h"]).status_code == 404

    past = client.post(
        url, json={"start_at": (START - timedelta(hours=1)).isoformat()}, headers=w["paul_h"]
    )
    assert past.status_code == 422 and past.json()["field"] == "start_at"
    far = client.post(
        url, json={"start_at": (START + timedelta(days=40)).isoformat()}, headers=w["paul_h"]
    )
    assert far.status_code == 422 and far.json()["field"] == "start_at"
    saturday = START + timedelta(days=5, hours=2)  # Saturday 10:00 UTC: the coach is off
    off = client.post(url, json={"start_at": saturday.isoformat()}, headers=w["paul_h"])
    assert off.status_code == 409 and off.json()["field"] == "start_at"
    assert all(_at(s) > saturday for s in off.json()["next_starts"])
    naive = client.post(url, json={"start_at": "2026-03-03T10:00:00"}, headers=w["paul_h"])
    assert naive.status_code == 422 and naive.json()["field"] == "start_at"
    junk = client.post(url, json={"start_at": "tomorrow"}, headers=w["paul_h"])
    assert junk.status_code == 422 and junk.json()["field"] == "start_at"
    assert fresh(db).exec(select(ChemistryCall)).first() is None


@pytest.mark.parametrize("settings", [0], indirect=True)
def test_setting_0_turns_the_calls_off(client: TestClient, db: Session, settings: Settings) -> None:
    w = build_profiles(db, settings, client)
    url = CALL.format(_proposals(client, w["paul_h"])[w["karl"].id])
    start = (START + timedelta(days=1, hours=2)).isoformat()
    assert client.get(url, headers=w["paul_h"]).status_code == 404
    refused = client.post(url, json={"start_at": start}, headers=w["paul_h"])
    assert refused.status_code == 404 and refused.json()["code"] == "off"


def test_choosing_a_coach_sets_the_other_call_aside_and_erasure_cancels_calls(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_profiles(db, settings, client)
    karl, xavier = w["karl"].id, w["xavier"].id
    paul, olga = _proposals(client, w["paul_h"]), _proposals(client, w["olga_h"])
    start = client.get(CALL.format(paul[xavier]), headers=w["paul_h"]).json()["starts"][1]
    booked = client.post(CALL.format(paul[xavier]), json={"start_at": start}, headers=w["paul_h"])
    assert booked.status_code == 201
    chosen = client.post(f"/me/proposals/{paul[karl]}/choose", headers=w["paul_h"])
    assert chosen.status_code == 200, chosen.text
    # the choice cancels the call of the coach set aside at once, with its invites (the
    # lifecycle chore finds nothing left); it no longer holds Xavier's time: Olga books it
    assert fresh(db).get_one(ChemistryCall, booked.json()["id"]).state == CallState.cancelled
    assert chemistry_calls(session=fresh(db), settings=settings, now=START) == 0
    taken = client.post(CALL.format(olga[xavier]), json={"start_at": start}, headers=w["olga_h"])
    assert taken.status_code == 201, taken.text
    paul_call = fresh(db).get_one(ChemistryCall, booked.json()["id"])
    assert paul_call.state == CallState.cancelled and paul_call.sequence == 1
    assert len([m for m in _mails(db, paul_call.id or 0) if m.kind == "invite.cancel"]) == 2
    # Olga is erased: her future call is cancelled; only the coach is told
    olga_id = w["people"]["olga"].id
    erased = client.post(f"/people/{olga_id}/erase", json={"confirm": True}, headers=w["hr"])
    assert erased.status_code == 200, erased.text
    olga_call = fresh(db).get_one(ChemistryCall, taken.json()["id"])
    assert olga_call.state == CallState.cancelled
    cancels = [m for m in _mails(db, olga_call.id or 0) if m.kind == "invite.cancel"]
    assert [m.recipient for m in cancels] == ["xavier@vendor.example"]


def test_two_coachees_racing_for_one_slot_of_a_coach_get_one_call(
    client: TestClient, db: Session, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    w = build_profiles(db, settings, client)
    karl = w["karl"].id
    paul, olga = _proposals(client, w["paul_h"]), _proposals(client, w["olga_h"])
    start = client.get(CALL.format(paul[karl]), headers=w["paul_h"]).json()["starts"][3]
    env = meeting(tmp_path, "api.chemistry.service:lock_coach", 2)
    with live_servers(database_url, tmp_path, env=env) as servers:
        calls: list[tuple[str, str, dict[str, Any]]] = [
            (
                "POST",
                servers[i % len(servers)].url + CALL.format(proposal),
                {"headers": headers, "json": {"start_at": start}},
            )
            for i, (proposal, headers) in enumerate(
                [(paul[karl], w["paul_h"]), (olga[karl], w["olga_h"])]
            )
        ]
        responses = race(calls)
    codes = sorted(r.status_code for r in responses)
    assert codes in ([201, 409], [201, 503]), [r.text for r in responses]
    booked = list(
        fresh(db).exec(select(ChemistryCall).where(ChemistryCall.state == CallState.booked))
    )
    assert len(booked) == 1 and booked[0].start_at == _at(start)
