"""Issue 8, items 5-8: races forced with real concurrent connections, between two server
processes on one database (SQLite and PostgreSQL alike).

Each race starts its requests together (a barrier in the client threads, half of them on
each server) and then checks what the database and the outbox hold.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import datetime, timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import (
    PASSWORD,
    START,
    add_engagement,
    add_request,
    add_session,
    add_user,
    fresh,
    login,
)
from fastapi.testclient import TestClient
from icalendar import Calendar
from live_servers import Server, live_servers
from rounds_support import build_programme
from sqlmodel import Session, col, select

from api.clock import FixedClock
from api.models import (
    CoachingSession,
    LoginThrottle,
    MatchingRound,
    OutboxMessage,
    Proposal,
    SessionAttendance,
)
from api.models.enums import ProposalStatus, Role, SessionStatus
from api.settings import Settings

ROUND_ENV = {
    "COACHMATCH_ROUND_TIME_LIMIT_SECONDS": "1",
    "COACHMATCH_PLANNER_TIME_LIMIT_SECONDS": "0.3",
    "COACHMATCH_ROUND_REMATCH_ATTEMPTS": "1",
}
# Tuesday 10 March 2026 at 09:00 UTC (10:00 in Paris): inside every window of the programme.
SLOT = datetime(2026, 3, 10, 9, 0, tzinfo=START.tzinfo)


def race(calls: list[tuple[str, str, dict[str, Any]]]) -> list[httpx.Response]:
    """Send every (method, url, kwargs) at once, each from its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results: list[httpx.Response | BaseException | None] = [None] * len(calls)

    def run(index: int, method: str, url: str, kwargs: dict[str, Any]) -> None:
        with httpx.Client(timeout=120) as http:
            http.get(url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + "/health")  # connect
            barrier.wait()
            try:
                results[index] = http.request(method, url, **kwargs)
            except BaseException as exc:
                results[index] = exc

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out: list[httpx.Response] = []
    for result in results:
        assert isinstance(result, httpx.Response), result
        out.append(result)
    return out


def _spread(servers: list[Server], i: int) -> str:
    return servers[i % len(servers)].url


def meeting(tmp: Path, target: str, count: int, **extra: str) -> dict[str, str]:
    """Server settings making the first `count` calls of `target` wait for one another,
    across the server processes: every racer has read before any of them goes on."""
    directory = tmp / "rendezvous"
    directory.mkdir()
    return {
        "COACHMATCH_TEST_RENDEZVOUS": target,
        "COACHMATCH_TEST_RENDEZVOUS_DIR": str(directory),
        "COACHMATCH_TEST_RENDEZVOUS_COUNT": str(count),
        **extra,
    }


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Only the server processes run jobs here: the tests' own app sets things up."""
    return settings.model_copy(update={"embedded_worker": False})


@pytest.fixture
def programme(db: Session, settings: Settings, client: TestClient) -> dict[str, Any]:
    return build_programme(db, settings, client)


def _invites(db: Session, session_id: int) -> dict[str, list[Calendar]]:
    """The invites queued for a session, by recipient, in the order they were queued."""
    out: dict[str, list[Calendar]] = defaultdict(list)
    rows = fresh(db).exec(
        select(OutboxMessage)
        .where(col(OutboxMessage.dedupe_key).startswith(f"session:{session_id}:"))
        .order_by(col(OutboxMessage.id))
    )
    for row in rows:
        mail = message_from_bytes(row.raw_mime, policy=default)
        for part in mail.walk():
            if part.get_content_type() == "text/calendar":
                out[row.recipient].append(Calendar.from_ical(part.get_content()))
                break
    return out


# -- 5. concurrent changes to one session never lose an invite ----------------------


@pytest.mark.parametrize("trial", range(2))
def test_simultaneous_changes_to_one_session_each_queue_their_invites(
    programme: dict[str, Any], db: Session, database_url: str, tmp_path: Path, trial: int
) -> None:
    engagement = add_engagement(db, programme["requests"]["paul"], programme["karl"])
    row = add_session(db, engagement, number=1, start=SLOT)
    moves = [SLOT + timedelta(days=1, hours=h) for h in range(6)]
    # Every change has read the session before the first takes the coach's lock.
    env = meeting(tmp_path, "api.sessions.service:lock_coach", 7)
    with live_servers(database_url, tmp_path, env=env) as servers:
        token = programme["karl_h"]
        calls = [
            (
                "POST",
                f"{_spread(servers, i)}/me/sessions/{row.id}/reschedule",
                {"headers": token, "json": {"start_at": moment.isoformat()}},
            )
            for i, moment in enumerate(moves)
        ]
        calls.insert(
            3, ("POST", f"{_spread(servers, 1)}/me/sessions/{row.id}/cancel", {"headers": token})
        )
        responses = race(calls)
    codes = [r.status_code for r in responses]
    # 409: refused for the state it found; 503 (with Retry-After): the database stayed
    # locked longer than its busy timeout (SQLite on a loaded machine). Neither writes.
    assert all(c in (200, 409, 503) for c in codes), [r.text for r in responses]
    assert all(r.headers.get("retry-after") for r in responses if r.status_code == 503)
    accepted = codes.count(200)
    stored = fresh(db).get(CoachingSession, row.id)
    assert stored is not None
    # Every accepted change bumped the SEQUENCE once: it never repeats nor goes back.
    assert stored.sequence == accepted
    invites = _invites(db, row.id)
    assert len(invites) == 3  # coach, coachee, sponsor (first session)
    for recipient, calendars in invites.items():
        sequences = [int(c.walk("VEVENT")[0]["SEQUENCE"]) for c in calendars]
        assert sequences == list(range(1, accepted + 1)), recipient  # none lost
        last = calendars[-1]
        if stored.status == SessionStatus.cancelled:
            assert str(last["METHOD"]) == "CANCEL", recipient
        else:
            assert str(last["METHOD"]) == "REQUEST", recipient
            start = last.walk("VEVENT")[0]["DTSTART"].dt
            assert start == stored.start_at, recipient
    # Once cancelled, nothing moved it again.
    cancel = responses[3]
    if cancel.status_code == 200:
        later = [r for r in responses if r is not cancel and r.status_code == 409]
        assert stored.status == SessionStatus.cancelled or later


# -- 6. nobody is double-booked by two coaches at once -------------------------------


@pytest.mark.parametrize("trial", range(3))
def test_two_coaches_cannot_book_one_coachee_into_one_slot(
    programme: dict[str, Any], db: Session, database_url: str, tmp_path: Path, trial: int
) -> None:
    paul = programme["people"]["paul"]
    first = add_engagement(db, programme["requests"]["paul"], programme["karl"])
    second_request = add_request(db, paul)  # no sponsor: only the coachee is shared
    second = add_engagement(db, second_request, programme["xavier"])
    a = add_session(db, first, number=1, start=SLOT + timedelta(days=2))
    b = add_session(db, second, number=1, start=SLOT + timedelta(days=3))
    for row in (a, b):  # attendance as the service writes it
        from api.sessions.attendance import sync_attendance

        request = first if row is a else second
        sync_attendance(
            db,
            [db.get_one(CoachingSession, row.id)],
            db.get_one(type(programme["requests"]["paul"]), request.request_id),
            programme["karl"] if row is a else programme["xavier"],
        )
        db.commit()
    target = (SLOT + timedelta(hours=trial)).isoformat()
    # Both coaches have read everyone's time before either locks their own calendar.
    env = meeting(tmp_path, "api.sessions.service:lock_coach", 2)
    with live_servers(database_url, tmp_path, env=env) as servers:
        responses = race(
            [
                (
                    "POST",
                    f"{servers[0].url}/me/sessions/{a.id}/reschedule",
                    {"headers": programme["karl_h"], "json": {"start_at": target}},
                ),
                (
                    "POST",
                    f"{servers[1].url}/me/sessions/{b.id}/reschedule",
                    {"headers": programme["xavier_h"], "json": {"start_at": target}},
                ),
            ]
        )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 409).json()
    assert "Paul Coachee" in refused["detail"] and "2026-03-10" in refused["detail"]
    assert refused["field"] == "start_at"
    rows = [fresh(db).get_one(CoachingSession, i) for i in (a.id, b.id)]
    assert not (rows[0].start_at < rows[1].end_at and rows[1].start_at < rows[0].end_at)
    active = (
        fresh(db)
        .exec(
            select(SessionAttendance).where(
                SessionAttendance.attendee == f"p{paul.id}", col(SessionAttendance.active)
            )
        )
        .all()
    )
    assert len(active) == 2 and not (
        active[0].start_at < active[1].end_at and active[1].start_at < active[0].end_at
    )


def test_the_database_itself_refuses_an_overlapping_attendance(
    programme: dict[str, Any], db: Session
) -> None:
    """Whatever a future code path forgets to check, the database holds the rule."""
    from sqlalchemy.exc import IntegrityError

    engagement = add_engagement(db, programme["requests"]["paul"], programme["karl"])
    a = add_session(db, engagement, number=1, start=SLOT)
    b = add_session(db, engagement, number=2, start=SLOT + timedelta(minutes=30))
    person = f"p{programme['people']['paul'].id}"
    db.add(
        SessionAttendance(
            session_id=a.id, attendee=person, role="coachee", start_at=a.start_at, end_at=a.end_at
        )
    )
    db.commit()
    db.add(
        SessionAttendance(
            session_id=b.id, attendee=person, role="coachee", start_at=b.start_at, end_at=b.end_at
        )
    )
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()
    db.add(  # a cancelled session's attendance does not hold the time
        SessionAttendance(
            session_id=b.id,
            attendee=person,
            role="coachee",
            start_at=b.start_at,
            end_at=b.end_at,
            active=False,
        )
    )
    db.commit()


# -- 7. one round commits at a time --------------------------------------------------


def test_two_round_commits_at_once_one_wins_the_other_is_refused(
    programme: dict[str, Any], db: Session, database_url: str, tmp_path: Path
) -> None:
    # Both rounds start from the same committed state before either stores anything.
    env = meeting(tmp_path, "api.rounds.runner:committed_version", 2, **ROUND_ENV)
    headers = {**programme["hr"], "Prefer": "wait=60"}
    with live_servers(database_url, tmp_path, env=env) as servers:
        responses = race(
            [
                (
                    "POST",
                    f"{server.url}/rounds",
                    {"headers": headers, "json": {"time_limit_seconds": 1}},
                )
                for server in servers
            ]
        )
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    outcomes = sorted((r.json()["status"], r.json()["error"] or "") for r in responses)
    assert [s for s, _ in outcomes] == ["done", "failed"], outcomes
    assert "another round" in outcomes[1][1]
    committed = (
        fresh(db)
        .exec(select(MatchingRound).where(col(MatchingRound.committed_at).is_not(None)))
        .all()
    )
    assert len(committed) == 1
    live = fresh(db).exec(select(Proposal).where(Proposal.status == ProposalStatus.proposed))
    assert {p.round_id for p in live} == {committed[0].id}


# -- 8. a burst of sign-ins cannot outrun the throttle -------------------------------


def test_a_burst_of_wrong_passwords_checks_at_most_the_limit(
    db: Session,
    settings: Settings,
    client: TestClient,
    clock: FixedClock,
    database_url: str,
    tmp_path: Path,
) -> None:
    user = add_user(db, settings, Role.hr, email="hr@example.org")
    limit = settings.login_max_failures
    with live_servers(database_url, tmp_path) as servers:
        wrong = race(
            [
                (
                    "POST",
                    f"{_spread(servers, i)}/auth/login",
                    {"json": {"email": user.email, "password": f"wrong {i}"}},
                )
                for i in range(20)
            ]
        )
        unknown = race(
            [
                (
                    "POST",
                    f"{_spread(servers, i)}/auth/login",
                    {"json": {"email": "nobody@example.org", "password": "guess"}},
                )
                for i in range(20)
            ]
        )
    codes = sorted(r.status_code for r in wrong)
    # Only `limit` passwords were checked (a 401 is a checked password); the rest waited.
    assert codes == [401] * limit + [429] * (20 - limit), codes
    assert all(int(r.headers["retry-after"]) >= 1 for r in wrong if r.status_code == 429)
    assert sorted(r.status_code for r in unknown) == [401] * limit + [429] * (20 - limit)
    account = (
        fresh(db)
        .exec(
            select(LoginThrottle).where(
                LoginThrottle.scope == "account", LoginThrottle.key == user.email
            )
        )
        .one()
    )
    assert account.failures == limit  # every checked failure counted, none lost
    # After the lock, the right password works again (the app's clock moves on).
    locked = client.post("/auth/login", json={"email": user.email, "password": PASSWORD})
    assert locked.status_code == 429
    clock.advance(timedelta(seconds=settings.login_lockout_max_seconds + 1))
    assert login(client, user.email)


def test_the_client_address_is_throttled_across_accounts(
    db: Session, settings: Settings, client: TestClient
) -> None:
    limit = settings.login_max_failures_per_client
    codes = [
        client.post(
            "/auth/login", json={"email": f"user{i}@example.org", "password": "guess"}
        ).status_code
        for i in range(limit + 2)
    ]
    assert codes == [401] * limit + [429, 429]
