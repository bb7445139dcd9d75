"""Reviewing proposals: HR confirms (re-checked against today's data, sessions planned and
invited in the same transaction) or rejects; the coachee chooses among several coaches."""

from __future__ import annotations

import contextlib
import itertools
import logging
from datetime import timedelta
from email import message_from_bytes, policy
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from api_support import START, add_engagement, add_request, add_user, fresh, login, row_counts
from fastapi.testclient import TestClient
from rounds_support import SENTINEL, build_programme, fast, post_round
from sqlmodel import Session, col, select

from api.clock import FixedClock
from api.models import (
    CoachingRequest,
    CoachingSession,
    Conflict,
    Engagement,
    OutboxMessage,
    Proposal,
)
from api.models.enums import EngagementStatus, ProposalStatus, RequestStatus, Role
from api.settings import Settings

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def _commit_round(client: TestClient, w: dict[str, Any], **body: Any) -> dict[str, Any]:
    return post_round(client, w["hr"], commit=True, **{"proposals": 2, **body})


def _proposals(client: TestClient, w: dict[str, Any], who: str) -> list[dict[str, Any]]:
    request_id = w["requests"][who].id
    items = client.get(f"/requests/{request_id}/proposals", headers=w["hr"]).json()
    return [p for p in items if p["status"] == "proposed"]


def _calendar(raw: bytes) -> str:
    message = message_from_bytes(raw, policy=policy.default)
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return str(part.get_content())


def test_confirm_creates_the_engagement_sessions_and_invites(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    request = w["requests"]["paul"]
    # the coach does not see the brief before the engagement is confirmed
    assert client.get(f"/me/requests/{request.id}", headers=w["karl_h"]).status_code == 404
    _commit_round(client, w)
    karl, xavier = _proposals(client, w, "paul")
    assert (karl["coach_id"], xavier["coach_id"]) == (w["karl"].id, w["xavier"].id)

    response = client.post(f"/proposals/{karl['id']}/confirm", headers=w["hr"])
    assert response.status_code == 200, response.text
    engagement = response.json()
    assert engagement["state"] == "proposed" and engagement["coach_id"] == w["karl"].id
    assert SENTINEL not in response.text

    fresh(db)
    assert db.get(CoachingRequest, request.id).status == RequestStatus.matched
    statuses = {p.coach_id: p.status for p in db.exec(select(Proposal))
                if p.request_id == request.id}  # fmt: skip
    assert statuses == {
        w["karl"].id: ProposalStatus.accepted,
        w["xavier"].id: ProposalStatus.superseded,
    }
    sessions = db.exec(
        select(CoachingSession)
        .where(CoachingSession.engagement_id == engagement["id"])
        .order_by(col(CoachingSession.number))
    ).all()
    assert [s.number for s in sessions] == [1, 2, 3, 4]
    assert len({s.uid for s in sessions}) == 4 and {s.sequence for s in sessions} == {0}
    assert START + timedelta(hours=24) <= sessions[0].start_at <= START + timedelta(days=21)
    for a, b in itertools.pairwise(sessions):
        assert (
            11
            <= (b.start_at.astimezone(PARIS).date() - a.start_at.astimezone(PARIS).date()).days
            <= 17
        )
    for s in sessions:  # inside Karl's weekday 09:00-17:00 Paris windows
        local_start, local_end = s.start_at.astimezone(PARIS), s.end_at.astimezone(PARIS)
        assert local_start.weekday() < 5 and local_start.hour >= 9 and local_end.hour <= 17

    # one invite per recipient per session; the sponsor for the first only; and the coach
    # is told of the new engagement
    everything = db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    assert [m.kind for m in everything if not m.kind.startswith("invite")] == [
        "notify.new_engagement"
    ]
    messages = [m for m in everything if m.kind.startswith("invite")]
    assert len(messages) == 2 * 4 + 1
    keys = {m.dedupe_key for m in messages}
    p = w["people"]
    sponsor_keys = {k for k in keys if k.endswith(f":p{p['sales'].id}")}
    assert sponsor_keys == {f"session:{sessions[0].id}:seq:0:p{p['sales'].id}"}
    for m in messages:
        assert SENTINEL.encode() not in m.raw_mime
        ics = _calendar(m.raw_mime)
        assert "METHOD:REQUEST" in ics and "SEQUENCE:0" in ics
    # now the coach reads the brief
    brief = client.get(f"/me/requests/{request.id}", headers=w["karl_h"])
    assert brief.status_code == 200 and brief.json()["description"] == SENTINEL
    # deciding again is a conflict
    again = client.post(f"/proposals/{xavier['id']}/confirm", headers=w["hr"])
    assert again.status_code == 409 and again.json()["field"] == "status"


def _conflict(db: Session, w: dict[str, Any]) -> None:
    db.add(Conflict(coach_id=w["karl"].id, person_id=w["people"]["paul"].id, created_at=START))
    db.commit()


def _no_seat(db: Session, w: dict[str, Any]) -> None:
    w["karl"].max_coachees = 0
    db.add(w["karl"])
    db.commit()


def _coaches_the_manager(db: Session, w: dict[str, Any]) -> None:
    # since the round, Karl was engaged with Paul's manager: same reporting line
    manager = add_request(db, w["people"]["sales"], status=RequestStatus.matched)
    add_engagement(db, manager, w["karl"], status=EngagementStatus.proposed)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_conflict, "conflict of interest"),
        (_no_seat, "no room left"),
        (_coaches_the_manager, "already coaches someone in this reporting line"),
    ],
    ids=["conflict", "capacity", "reporting-line"],
)
def test_confirm_rechecks_the_pair(
    change: Any, reason: str, client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    _commit_round(client, w)
    karl = _proposals(client, w, "paul")[0]
    assert karl["coach_id"] == w["karl"].id
    change(db, w)
    before = row_counts(db)
    response = client.post(f"/proposals/{karl['id']}/confirm", headers=w["hr"])
    assert response.status_code == 409, response.text
    assert response.json()["field"] == "coach_id"
    assert reason in response.json()["detail"]
    assert row_counts(db) == before
    assert fresh(db).get(Proposal, karl["id"]).status == ProposalStatus.proposed


def test_rejecting_every_proposal_reopens_the_request(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    _commit_round(client, w)
    first, second = _proposals(client, w, "paul")
    response = client.post(f"/proposals/{first['id']}/reject", headers=w["hr"])
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert fresh(db).get(CoachingRequest, w["requests"]["paul"].id).status == RequestStatus.proposed
    client.post(f"/proposals/{second['id']}/reject", headers=w["hr"])
    assert fresh(db).get(CoachingRequest, w["requests"]["paul"].id).status == RequestStatus.open
    # the next round does not propose a rejected coach again
    view = _commit_round(client, w)
    paul = next(u for u in view["unmatched"] if u["request_id"] == w["requests"]["paul"].id)
    assert {r["code"]: r["count"] for r in paul["reasons"]} == {"forbidden": 2}


def test_the_coachee_chooses_among_the_proposed_coaches(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    _commit_round(client, w)
    offers = client.get("/me/proposals", headers=w["paul_h"]).json()
    assert [(o["coach_id"], o["choosable"]) for o in offers] == [
        (w["karl"].id, True),
        (w["xavier"].id, True),
    ]
    assert "score" not in offers[0] and offers[0]["first_session_at"]
    # Olga withdraws her request: her offers go
    olga = client.get("/me/proposals", headers=w["olga_h"]).json()
    assert len(olga) == 2
    withdrawn = client.post(f"/me/requests/{w['requests']['olga'].id}/cancel", headers=w["olga_h"])
    assert withdrawn.status_code == 200, withdrawn.text
    assert client.get("/me/proposals", headers=w["olga_h"]).json() == []
    gone = client.post(f"/me/proposals/{olga[0]['id']}/choose", headers=w["olga_h"])
    assert gone.status_code == 409
    # Olga cannot choose for Paul
    other = client.post(f"/me/proposals/{offers[1]['id']}/choose", headers=w["olga_h"])
    assert other.status_code == 404
    chosen = client.post(f"/me/proposals/{offers[1]['id']}/choose", headers=w["paul_h"])
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["coach_id"] == w["xavier"].id and "flag_reason" not in chosen.json()
    fresh(db)
    engagement = db.exec(select(Engagement)).one()
    assert engagement.coach_id == w["xavier"].id
    assert db.get(Proposal, offers[0]["id"]).status == ProposalStatus.superseded
    assert client.get("/me/proposals", headers=w["paul_h"]).json() == []
    # a single proposal is HR's to confirm
    ines = add_user(
        db, settings, Role.coachee, email="ines@example.org", person=w["people"]["ines"]
    )
    headers = login(client, ines.email)
    single = client.get("/me/proposals", headers=headers).json()
    assert len(single) == 1 and not single[0]["choosable"]
    refused = client.post(f"/me/proposals/{single[0]['id']}/choose", headers=headers)
    assert refused.status_code == 409, refused.text


def test_no_one_is_double_booked_across_engagements(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    _commit_round(client, w)
    for who in ("paul", "olga"):
        karl = _proposals(client, w, who)[0]
        assert karl["coach_id"] == w["karl"].id
        assert client.post(f"/proposals/{karl['id']}/confirm", headers=w["hr"]).status_code == 200
    fresh(db)
    rows = db.exec(select(CoachingSession).order_by(col(CoachingSession.start_at))).all()
    assert len(rows) == 8
    buffer = timedelta(minutes=settings.coach_buffer_minutes)
    for a, b in itertools.pairwise(rows):  # all Karl's: apart by the buffer
        assert a.end_at + buffer <= b.start_at
    # both first sessions have the same sponsor: they do not overlap either
    firsts = [r for r in rows if r.number == 1]
    assert len(firsts) == 2 and firsts[0].end_at <= firsts[1].start_at


def test_logs_carry_no_brief_and_no_names(
    client: TestClient, db: Session, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    w = build_programme(db, settings, client)
    _commit_round(client, w)
    karl = _proposals(client, w, "paul")[0]
    assert client.post(f"/proposals/{karl['id']}/confirm", headers=w["hr"]).status_code == 200
    second = fresh(db).exec(select(CoachingSession).where(CoachingSession.number == 2)).one()
    moved = client.post(f"/me/sessions/{second.id}/reschedule", json={}, headers=w["karl_h"])
    assert moved.status_code == 200
    assert client.post(f"/me/sessions/{second.id}/cancel", headers=w["karl_h"]).status_code == 200
    assert "round 1 (commit)" in caplog.text and "rescheduled" in caplog.text
    for secret in (SENTINEL, "Paul Coachee", "paul@example.org", "Karl Coach"):
        assert secret not in caplog.text


def test_a_withdrawn_requests_live_proposals_are_superseded_at_once(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    w = build_programme(db, settings, client)
    _commit_round(client, w)
    paul, olga = w["requests"]["paul"].id, w["requests"]["olga"].id
    first, second = _proposals(client, w, "paul")
    rejected = client.post(f"/proposals/{second['id']}/reject", headers=w["hr"])
    assert rejected.status_code == 200, rejected.text
    clock.set(START + timedelta(hours=5))
    cancelled = client.post(f"/requests/{paul}/cancel", headers=w["hr"])
    assert cancelled.status_code == 200, cancelled.text
    rows = {p.id: p for p in fresh(db).exec(select(Proposal))}
    assert rows[first["id"]].status == ProposalStatus.superseded
    assert rows[first["id"]].decided_at == START + timedelta(hours=5)
    assert rows[second["id"]].status == ProposalStatus.rejected  # decided earlier: kept
    assert rows[second["id"]].decided_at == START
    others = [p for p in rows.values() if p.request_id != paul]
    assert others and {p.status for p in others} == {ProposalStatus.proposed}
    late = client.post(f"/proposals/{first['id']}/confirm", headers=w["hr"])
    assert late.status_code == 409 and "superseded" in late.json()["detail"]
    # the coachee withdraws hers: the same
    assert len(_proposals(client, w, "olga")) == 2
    withdrawn = client.post(f"/me/requests/{olga}/cancel", headers=w["olga_h"])
    assert withdrawn.status_code == 200, withdrawn.text
    assert _proposals(client, w, "olga") == []
    # a refused cancellation changes nothing, proposals included
    before = row_counts(db)
    again = client.post(f"/requests/{paul}/cancel", headers=w["hr"])
    assert again.status_code == 409 and again.json()["field"] == "status"
    assert row_counts(db) == before
    assert fresh(db).get(Proposal, first["id"]).decided_at == START + timedelta(hours=5)


def test_two_simultaneous_confirmations_cannot_overbook_a_coach(
    client: TestClient, db: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Karl has one seat left and is proposed to Paul and Olga; HR confirms both at the
    same moment. Both confirmations are held right after their checks until the other
    has checked too (or could not, being made to wait), so without a lock both would see
    the free seat: exactly one must win, the other gets a 409 naming the capacity."""
    import threading

    from api.engagements import transitions  # the confirmation plans the sessions there

    w = build_programme(db, settings, client)
    _commit_round(client, w)
    picks = [_proposals(client, w, who)[0] for who in ("paul", "olga")]
    assert all(p["coach_id"] == w["karl"].id for p in picks)
    karl = w["karl"]
    karl.max_coachees = 1
    db.add(karl)
    db.commit()

    barrier = threading.Barrier(2)
    plan_first = transitions.plan_first

    def held(**kwargs: Any) -> Any:
        # A locked-out confirmation never gets here while the other waits.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1.5)
        return plan_first(**kwargs)

    monkeypatch.setattr(transitions, "plan_first", held)
    results: dict[int, Any] = {}

    def confirm(proposal_id: int) -> None:
        results[proposal_id] = client.post(f"/proposals/{proposal_id}/confirm", headers=w["hr"])

    threads = [threading.Thread(target=confirm, args=(p["id"],)) for p in picks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    codes = sorted(r.status_code for r in results.values())
    assert codes == [200, 409], [r.text for r in results.values()]
    loser = next(r for r in results.values() if r.status_code == 409)
    assert loser.json()["field"] == "coach_id"
    fresh(db)
    engagements = db.exec(select(Engagement).where(Engagement.coach_id == karl.id)).all()
    assert len(engagements) == 1


def test_a_change_that_cannot_get_the_write_lock_in_time_gets_503_and_changes_nothing(
    client: TestClient, db: Session, settings: Settings, database_url: str
) -> None:
    import sqlite3

    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's database write lock, held by another connection")

    w = build_programme(db, settings, client)
    _commit_round(client, w)
    pick = _proposals(client, w, "paul")[0]
    before = row_counts(db)
    other = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        response = client.post(f"/proposals/{pick['id']}/confirm", headers=w["hr"])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "1"
    assert "try again" in response.json()["detail"]
    fresh(db)
    assert row_counts(db) == before
    # Once the lock is free, the same confirmation goes through.
    assert client.post(f"/proposals/{pick['id']}/confirm", headers=w["hr"]).status_code == 200
