"""Session changes after confirmation: reschedule (planner or the coach's time, checked
against everyone's calendars), cancel (coach; coachee with notice), held / no-show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from api_support import add_engagement, add_request, add_session, fresh, row_counts
from fastapi.testclient import TestClient
from rounds_support import SENTINEL, build_programme, fast, post_round
from sqlmodel import Session, col, select

from api.clock import FixedClock
from api.models import CoachingSession, Engagement, OutboxMessage
from api.models.enums import EngagementStatus, RequestStatus, SessionStatus
from api.settings import Settings

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # sign-ins outlive the clock moves below
    return fast(settings, session_ttl=timedelta(days=200))


@pytest.fixture
def engaged(client: TestClient, db: Session, settings: Settings) -> dict[str, Any]:
    """Paul engaged with Karl: 4 sessions planned and invited."""
    w = build_programme(db, settings, client)
    view = post_round(client, w["hr"], commit=True, proposals=1)
    paul = next(m for m in view["matches"] if m["request_id"] == w["requests"]["paul"].id)
    proposal = client.get(f"/requests/{paul['request_id']}/proposals", headers=w["hr"]).json()[0]
    confirmed = client.post(f"/proposals/{proposal['id']}/confirm", headers=w["hr"])
    assert confirmed.status_code == 200, confirmed.text
    w["engagement"] = confirmed.json()["id"]
    w["sessions"] = [
        Snapshot(s.id, s.number, s.start_at, s.end_at, s.uid)
        for s in _sessions(db, w["engagement"])
    ]
    return w


@dataclass(frozen=True)
class Snapshot:
    """A session as it was planned (rows read later show their new values)."""

    id: int
    number: int
    start_at: datetime
    end_at: datetime
    uid: str


def _sessions(db: Session, engagement_id: int) -> list[CoachingSession]:
    return list(
        fresh(db).exec(
            select(CoachingSession)
            .where(CoachingSession.engagement_id == engagement_id)
            .order_by(col(CoachingSession.number))
        )
    )


def _invites(db: Session, row: CoachingSession) -> list[tuple[str, str]]:
    """(recipient key, calendar text) of the invites queued for this session's SEQUENCE."""
    prefix = f"session:{row.id}:seq:{row.sequence}:"
    out = []
    for m in fresh(db).exec(select(OutboxMessage).order_by(col(OutboxMessage.id))):
        if m.dedupe_key.startswith(prefix):
            message = message_from_bytes(m.raw_mime, policy=policy.default)
            part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
            out.append((m.dedupe_key.removeprefix(prefix), str(part.get_content())))
    return out


def test_the_planner_reschedules_a_session(
    client: TestClient, db: Session, engaged: dict[str, Any]
) -> None:
    w = engaged
    second = w["sessions"][1]
    response = client.post(f"/me/sessions/{second.id}/reschedule", json={}, headers=w["karl_h"])
    assert response.status_code == 200, response.text
    moved = {s["id"]: s for s in response.json()}
    assert second.id in moved and moved[second.id]["sequence"] == 1
    after = {s.id: s for s in _sessions(db, w["engagement"])}
    new = after[second.id]
    assert new.start_at != second.start_at
    assert new.end_at - new.start_at == second.end_at - second.start_at
    assert new.end_at <= second.start_at or new.start_at >= second.end_at
    for s in w["sessions"]:  # only what moved got a new SEQUENCE
        assert after[s.id].sequence == (1 if s.id in moved else 0)
    invites = _invites(db, new)
    p = w["people"]
    assert {k for k, _ in invites} == {f"p{p['karl'].id}", f"p{p['paul'].id}"}
    for _, ics in invites:
        assert "METHOD:REQUEST" in ics and "SEQUENCE:1" in ics and new.uid in ics
        assert SENTINEL not in ics


def _free_weekday_time(w: dict[str, Any]) -> datetime:
    """A weekday 14:00 Paris between sessions 1 and 3, not the day of session 2, 11 to 17
    days (the cadence, 14 plus or minus 3) from both."""
    first, second, third = (s.start_at.astimezone(PARIS).date() for s in w["sessions"][:3])
    day = first + timedelta(days=11)
    while day <= first + timedelta(days=17):
        at = datetime(day.year, day.month, day.day, 14, tzinfo=PARIS)
        if at.weekday() < 5 and day != second and 11 <= (third - day).days <= 17:
            return at
        day += timedelta(days=1)
    raise AssertionError("the planner left no such day")


def test_the_coach_proposes_a_time_that_is_checked(
    client: TestClient, db: Session, engaged: dict[str, Any]
) -> None:
    w = engaged
    second = w["sessions"][1]
    url = f"/me/sessions/{second.id}/reschedule"
    at = _free_weekday_time(w)
    # Karl has another coachee's session then (Olga's, added behind the API's back)
    olga = add_request(db, w["people"]["olga"], status=RequestStatus.matched)
    other = add_engagement(db, olga, w["karl"], status=EngagementStatus.proposed)
    busy = add_session(db, other, number=1, start=at.astimezone(ZoneInfo("UTC")))
    before = row_counts(db)
    refusals = [
        (at, "coach"),  # on the other session
        (at + timedelta(minutes=70), "coach"),  # inside the coach's 15-minute buffer
        (at.replace(hour=20), "coach"),  # outside Karl's windows
        (w["sessions"][2].start_at + timedelta(days=1), "between"),  # after session 3
    ]
    for when, words in refusals:
        response = client.post(url, json={"start_at": when.isoformat()}, headers=w["karl_h"])
        assert response.status_code == 409, (when, response.text)
        assert response.json()["field"] == "start_at" and words in response.json()["detail"]
    assert row_counts(db) == before
    # another coach cannot touch it
    foreign = client.post(url, json={"start_at": at.isoformat()}, headers=w["xavier_h"])
    assert foreign.status_code == 404
    # the other session goes: the time is free now
    fresh(db).delete(db.get(CoachingSession, busy.id))
    db.commit()
    response = client.post(url, json={"start_at": at.isoformat()}, headers=w["karl_h"])
    assert response.status_code == 200, response.text
    row = fresh(db).get(CoachingSession, second.id)
    assert row.start_at == at and row.sequence == 1
    assert len(_invites(db, row)) == 2


def test_cancel_by_the_coach_and_by_the_coachee_with_notice(
    client: TestClient, db: Session, engaged: dict[str, Any], clock: FixedClock
) -> None:
    w = engaged
    first, second, third = w["sessions"][:3]
    response = client.post(f"/me/sessions/{first.id}/cancel", headers=w["karl_h"])
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled" and response.json()["sequence"] == 1
    invites = _invites(db, fresh(db).get(CoachingSession, first.id))
    assert len(invites) == 3  # the first session: the sponsor too
    for _, ics in invites:
        assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics and "SEQUENCE:1" in ics
    queued = row_counts(db)["outbox_message"]
    again = client.post(f"/me/sessions/{first.id}/cancel", headers=w["karl_h"])
    assert again.status_code == 200 and row_counts(db)["outbox_message"] == queued

    # the coachee needs 48 hours' notice
    clock.set(second.start_at - timedelta(hours=47))
    late = client.post(f"/me/sessions/{second.id}/cancel", headers=w["paul_h"])
    assert late.status_code == 409 and late.json()["field"] == "start_at"
    clock.set(third.start_at - timedelta(hours=49))
    ok = client.post(f"/me/sessions/{third.id}/cancel", headers=w["paul_h"])
    assert ok.status_code == 200 and ok.json()["status"] == "cancelled"
    # Olga is not in this engagement
    other = client.post(f"/me/sessions/{second.id}/cancel", headers=w["olga_h"])
    assert other.status_code == 404


def test_outcomes_move_the_engagement_on(
    client: TestClient, db: Session, engaged: dict[str, Any], clock: FixedClock
) -> None:
    w = engaged
    sessions = w["sessions"]
    early = client.post(
        f"/me/sessions/{sessions[0].id}/outcome", json={"status": "held"}, headers=w["karl_h"]
    )
    assert early.status_code == 409 and early.json()["field"] == "status"
    clock.set(sessions[0].end_at)
    held = client.post(
        f"/me/sessions/{sessions[0].id}/outcome", json={"status": "held"}, headers=w["karl_h"]
    )
    assert held.status_code == 200 and held.json()["status"] == "held"
    assert fresh(db).get(Engagement, w["engagement"]).status == EngagementStatus.proposed
    clock.set(sessions[-1].end_at)
    for row, status in zip(sessions[1:], ["held", "no_show", "held"], strict=True):
        response = client.post(
            f"/sessions/{row.id}/outcome", json={"status": status}, headers=w["hr"]
        )
        assert response.status_code == 200, response.text
    assert fresh(db).get(Engagement, w["engagement"]).status == EngagementStatus.closing
    assert {s.status for s in _sessions(db, w["engagement"])} == {
        SessionStatus.held,
        SessionStatus.no_show,
    }


def _paris(day: int, month: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def mondays(client: TestClient, db: Session, settings: Settings) -> dict[str, Any]:
    """Paul engaged with Karl (cadence 14 days, tolerance 3: 11 to 17 days apart), three
    sessions on Mondays at 10:00 Paris: 9 and 23 March, 6 April."""
    w = build_programme(db, settings, client)
    request = w["requests"]["paul"]
    request.status = RequestStatus.matched
    db.add(request)
    db.commit()
    engagement = add_engagement(db, request, w["karl"], status=EngagementStatus.proposed)
    w["engagement"] = engagement
    w["rows"] = [
        add_session(db, engagement, number=n, start=_paris(day, month))
        for n, (day, month) in enumerate([(9, 3), (23, 3), (6, 4)], start=1)
    ]
    return w


def _move(client: TestClient, w: dict[str, Any], number: int, at: datetime) -> Any:
    row = w["rows"][number - 1]
    return client.post(
        f"/me/sessions/{row.id}/reschedule",
        json={"start_at": at.isoformat()},
        headers=w["karl_h"],
    )


def test_a_proposed_time_keeps_the_cadence_with_the_neighbouring_sessions(
    client: TestClient, db: Session, mondays: dict[str, Any], settings: Settings
) -> None:
    w = mondays
    assert settings.cadence_tolerance_days == 3 and w["requests"]["paul"].cadence_days == 14
    steps = [
        # (session, new time, refused with, or None: moved)
        (3, _paris(2, 4), "11 to 17 days after the previous session (2026-03-23)"),
        (3, _paris(3, 4), None),  # 11 days after session 2
        (3, _paris(10, 4), "11 to 17 days after the previous session (2026-03-23)"),
        (3, _paris(9, 4), None),  # 17 days after session 2
        (2, _paris(19, 3), "11 to 17 days after the previous session (2026-03-09)"),
        (2, _paris(20, 3), "11 to 17 days before the next session (2026-04-09)"),
        (2, _paris(23, 3, 11), None),  # 14 after session 1, 17 before session 3
        (3, _paris(3, 4, 14), None),  # 11 days after session 2
        (2, _paris(25, 3), "11 to 17 days before the next session (2026-04-03)"),
        (2, _paris(23, 3, 14), None),  # 11 days before session 3
    ]
    for number, at, refusal in steps:
        before = row_counts(db)
        response = _move(client, w, number, at)
        if refusal is None:
            assert response.status_code == 200, (at, response.text)
            assert fresh(db).get(CoachingSession, w["rows"][number - 1].id).start_at == at
        else:
            assert response.status_code == 409, (at, response.text)
            body = response.json()
            assert body["field"] == "start_at" and refusal in body["detail"], (at, body)
            assert row_counts(db) == before


def test_a_proposed_time_respects_the_coachs_daily_maximum(
    client: TestClient, db: Session, mondays: dict[str, Any], settings: Settings
) -> None:
    """Karl coaches Olga too: as many sessions as the daily maximum on Wednesday 25 March
    leave no room for Paul's that day; one fewer leaves exactly one."""
    w = mondays
    limit = settings.coach_max_sessions_per_day
    olga = add_request(db, w["people"]["olga"], status=RequestStatus.matched)
    other = add_engagement(db, olga, w["karl"], status=EngagementStatus.proposed)
    busy = [
        add_session(db, other, number=n + 1, start=_paris(25, 3, 8) + timedelta(minutes=75 * n))
        for n in range(limit)
    ]
    at = _paris(25, 3, 8) + timedelta(minutes=75 * limit)  # after them, past the buffer
    before = row_counts(db)
    refused = _move(client, w, 2, at)
    assert refused.status_code == 409, refused.text
    assert refused.json() == {
        "detail": f"the coach already has {limit} sessions on 2026-03-25, the most in a day",
        "field": "start_at",
        "code": "SESSION_DAILY_MAX",
        "params": {"limit": limit, "day": "2026-03-25"},
    }
    assert row_counts(db) == before
    # one session fewer that day: Paul's is the last one it can take
    fresh(db).delete(db.get(CoachingSession, busy[0].id))
    db.commit()
    moved = _move(client, w, 2, at)
    assert moved.status_code == 200, moved.text
    assert fresh(db).get(CoachingSession, w["rows"][1].id).start_at == at
