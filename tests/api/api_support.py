"""Builders for service tests: rows written straight to the database, and sign-in."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from api.models import (
    Coach,
    CoachingRequest,
    CoachingSession,
    Engagement,
    Person,
    User,
)
from api.models.enums import CoachKind, EngagementStatus, Role
from api.security import Passwords
from api.settings import Settings

PASSWORD = "correct horse battery staple"
# Monday 2 March 2026, 08:00 UTC: every test's clock starts here.
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
_ids = itertools.count(1)


def now_of(db: Session) -> datetime:
    """Rows are stamped with the tests' start instant (the FixedClock's first reading)."""
    return START


def add_person(
    db: Session,
    ext: str,
    *,
    manager: Person | None = None,
    name: str | None = None,
    email: str | None = None,
    timezone: str = "Europe/Paris",
    language: str = "en",
    site: str = "Paris",
    unit: str = "Ops",
) -> Person:
    now = now_of(db)
    person = Person(
        external_id=ext,
        name=name or f"Person {ext}",
        email=email or f"{ext.lower()}@example.org",
        manager_id=manager.id if manager else None,
        timezone=timezone,
        language=language,
        site=site,
        unit=unit,
        active=True,
        created_at=now,
        updated_at=now,
    )
    db.add(person)
    db.commit()
    return person


def add_coach(db: Session, *, person: Person | None = None, **fields: Any) -> Coach:
    now = now_of(db)
    values: dict[str, Any] = {
        "languages": ["en", "fr"],
        "themes": ["leadership"],
        "coaching_types": ["coaching"],
        "modalities": ["remote"],
        "sites": ["Paris"],
        "max_coachees": 3,
        "timezone": "Europe/Paris",
    }
    if person is not None:
        values.update(kind=CoachKind.INTERNAL, person_id=person.id, name=person.name)
    else:
        n = next(_ids)
        values.update(
            kind=CoachKind.EXTERNAL,
            name=f"External {n}",
            email=f"ext{n}@vendor.example",
            vendor="Vendor",
            rate_per_session_cents=30000,
            currency="EUR",
        )
    values.update(fields)
    coach = Coach(created_at=now, updated_at=now, **values)
    db.add(coach)
    db.commit()
    return coach


def add_user(
    db: Session,
    settings: Settings,
    role: Role,
    *,
    email: str | None = None,
    person: Person | None = None,
    coach: Coach | None = None,
    password: str = PASSWORD,
    active: bool = True,
) -> User:
    if email is None:  # an account's address is its person's own (or its coach's)
        if person is not None:
            email = person.email
        elif coach is not None and coach.person_id is not None:
            email = db.get_one(Person, coach.person_id).email
        elif coach is not None and coach.email:
            email = coach.email
        else:
            email = f"{role.value}{next(_ids)}@example.org"
    user = User(
        email=email,
        role=role,
        name=f"{role.value} user",
        person_id=person.id if person else (coach.person_id if coach else None),
        coach_id=coach.id if coach else None,
        password_hash=Passwords(settings).hash(password),
        active=active,
        created_at=now_of(db),
    )
    db.add(user)
    db.commit()
    return user


def login(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    client.cookies.clear()  # tests authenticate with the header unless they say otherwise
    return {"Authorization": f"Bearer {response.json()['token']}"}


def add_request(
    db: Session,
    coachee: Person,
    *,
    sponsor: Person | None = None,
    description: str | None = None,
    **fields: Any,
) -> CoachingRequest:
    now = now_of(db)
    values: dict[str, Any] = {
        "coaching_type": "coaching",
        "themes": ["leadership"],
        "language": "en",
        "sessions": 4,
        "session_minutes": 60,
    }
    values.update(fields)
    request = CoachingRequest(
        coachee_id=coachee.id,
        sponsor_id=sponsor.id if sponsor else None,
        description=description,
        submitted_at=now,
        updated_at=now,
        **values,
    )
    db.add(request)
    db.commit()
    return request


def add_engagement(
    db: Session,
    request: CoachingRequest,
    coach: Coach,
    *,
    status: EngagementStatus = EngagementStatus.in_progress,
) -> Engagement:
    now = now_of(db)
    engagement = Engagement(
        request_id=request.id,
        coach_id=coach.id,
        status=status,
        confirmed_at=now,
        created_at=now,
        updated_at=now,
    )
    db.add(engagement)
    db.commit()
    return engagement


def add_session(
    db: Session, engagement: Engagement, *, number: int, start: datetime, minutes: int = 60
) -> CoachingSession:
    now = now_of(db)
    row = CoachingSession(
        engagement_id=engagement.id,
        number=number,
        start_at=start,
        end_at=start + timedelta(minutes=minutes),
        uid=f"session-{engagement.id}-{number}@coachmatch.test",
        last_change_at=now,
        created_at=now,
    )
    db.add(row)
    db.commit()
    return row


# The audit log grows with every read of a brief or objectives (an answer that changes
# nothing still shows them): test_api_audit.py holds it to what happened.
AUDIT_TABLES = frozenset({"audit_log", "audit_head"})


def row_counts(db: Session) -> dict[str, int]:
    """Rows in every table but the audit's: compared before and after a refused write."""
    fresh(db)
    return {
        table.name: db.execute(select(func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
        if table.name not in AUDIT_TABLES
    }


def fresh(db: Session) -> Session:
    """End the test session's snapshot and forget cached rows: see what the app wrote."""
    db.rollback()
    db.expire_all()
    return db


ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:busy-1@test\r\nDTSTAMP:20260301T000000Z\r\n"
    "DTSTART:20260303T090000Z\r\nDTEND:20260303T110000Z\r\nSUMMARY:Busy\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:busy-2@test\r\nDTSTAMP:20260301T000000Z\r\n"
    "DTSTART:20260305T130000Z\r\nDTEND:20260305T140000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
    "SUMMARY:Weekly\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)

ROLES = ("hr", "coach", "coachee", "sponsor")


def build_world(db: Session, settings: Settings, client: TestClient) -> dict[str, Any]:
    """One programme with a row of every kind, and a signed-in user of every role.

    Two of everything a role owns (coach C1 vs C2, request R1 vs R2...) so tests can check
    that a user reaches their own rows and gets 404 on the others'.
    """
    from datetime import time

    from api.models import (
        AvailabilityException,
        BusyCalendar,
        Conflict,
        ExtraWindow,
        FeedToken,
        Invitation,
        PairAdjustment,
        PersonException,
        PersonWindow,
        WeeklyWindow,
    )
    from api.models.enums import AdjustmentKind, RequestStatus
    from api.security import hash_token

    now = START
    boss = add_person(db, "B1", name="Beatrice Boss")
    coachee = add_person(db, "P1", manager=boss, name="Paul Coachee")
    other_coachee = add_person(db, "P2", manager=boss, name="Olga Other")
    coach_person = add_person(db, "K1", name="Karl Coach")
    c1 = add_coach(db, person=coach_person)
    c2 = add_coach(db)
    c3 = add_coach(db)  # never used: deletable
    r1 = add_request(
        db, coachee, sponsor=boss, description="SENTINEL-R1", status=RequestStatus.matched
    )
    r2 = add_request(db, other_coachee, sponsor=boss, status=RequestStatus.matched)
    r3 = add_request(db, coachee, sponsor=boss)  # open
    e1 = add_engagement(db, r1, c1)
    e2 = add_engagement(db, r2, c2)
    e_flagged = add_engagement(
        db,
        add_request(db, other_coachee, status=RequestStatus.matched),
        c2,
        status=EngagementStatus.flagged,
    )
    e_flagged.status_before_flag = EngagementStatus.in_progress
    e_flagged.flag_reason = "test flag"
    db.add(e_flagged)
    s1 = add_session(db, e1, number=1, start=START + timedelta(days=2, hours=1))
    s2 = add_session(db, e2, number=1, start=START + timedelta(days=3, hours=1))

    users = {
        "hr": add_user(db, settings, Role.hr, email="hr@example.org"),
        # Accounts have their people's own addresses (k1@, p1@, b1@example.org).
        "coach": add_user(db, settings, Role.coach, coach=c1),
        "coachee": add_user(db, settings, Role.coachee, person=coachee),
        "sponsor": add_user(db, settings, Role.sponsor, person=boss),
    }
    other_coach_user = add_user(db, settings, Role.coach, coach=c2)
    pending = User(
        email=other_coachee.email,
        role=Role.coachee,
        person_id=other_coachee.id,
        active=False,
        invited_at=now,
        created_at=now,
    )
    db.add(pending)
    db.flush()
    invitation_tokens = []
    for i in range(8):
        token = f"invitation-token-{i}-" + "x" * 20
        invitation_tokens.append(token)
        newcomer = add_person(db, f"N{i}", manager=boss, name=f"Nina Newcomer {i}")
        invited = User(
            email=newcomer.email,
            role=Role.coachee,
            person_id=newcomer.id,
            active=False,
            invited_at=now,
            created_at=now,
        )
        db.add(invited)
        db.flush()
        db.add(
            Invitation(
                user_id=invited.id,
                token_hash=hash_token(token),
                created_at=now,
                expires_at=now + timedelta(days=7),
            )
        )

    def window(coach: Coach) -> WeeklyWindow:
        row = WeeklyWindow(
            coach_id=coach.id,
            weekday=0,
            start_time=time(9),
            end_time=time(12),
            timezone="Europe/Paris",
            created_at=now,
        )
        db.add(row)
        return row

    w1, w2 = window(c1), window(c2)
    x1 = AvailabilityException(
        coach_id=c1.id, start_at=START, end_at=START + timedelta(days=1), created_at=now
    )
    x2 = AvailabilityException(
        coach_id=c2.id, start_at=START, end_at=START + timedelta(days=1), created_at=now
    )
    extra1 = ExtraWindow(
        coach_id=c1.id, start_at=START, end_at=START + timedelta(hours=2), created_at=now
    )
    extra2 = ExtraWindow(
        coach_id=c2.id, start_at=START, end_at=START + timedelta(hours=2), created_at=now
    )
    calendar = BusyCalendar(
        coach_id=c1.id,
        filename="cal.ics",
        content=ICS.encode(),
        size=len(ICS),
        sha256="0" * 64,
        uploaded_at=now,
    )
    conflict = Conflict(coach_id=c1.id, person_id=other_coachee.id, created_at=now)
    adjustment = PairAdjustment(
        coach_id=c1.id, request_id=r3.id, kind=AdjustmentKind.forbid, created_at=now
    )
    db.add_all([x1, x2, extra1, extra2, calendar, conflict, adjustment])
    # a coachee's and a sponsor's own windows and time away (and someone else's); the
    # windows are the coaches' (Mondays 09:00-12:00 Paris), so sessions can still be planned
    own_windows, own_away = {}, {}
    for key, person in (("coachee", coachee), ("sponsor", boss), ("other", other_coachee)):
        own_windows[key] = PersonWindow(
            person_id=person.id, weekday=0, start_time=time(9), end_time=time(12), created_at=now
        )
        own_away[key] = PersonException(
            person_id=person.id, start_at=START, end_at=START + timedelta(days=2), created_at=now
        )
    db.add_all([*own_windows.values(), *own_away.values()])
    rounds = _add_round(db, coachee, other_coachee, boss, c1, c2)
    feed_tokens = {}
    for role, user in users.items():
        token = f"feed-token-{role}-" + "y" * 20
        feed_tokens[role] = token
        db.add(FeedToken(user_id=user.id, token_hash=hash_token(token), created_at=now))
    db.commit()

    headers = {role: login(client, user.email) for role, user in users.items()}
    return {
        "headers": headers,
        "users": users,
        "other_coach_headers": login(client, other_coach_user.email),
        "pending_user": pending.id,
        "invitation_tokens": invitation_tokens,
        "feed_tokens": feed_tokens,
        "person": coachee.id,
        "people": {
            "boss": boss.id,
            "coachee": coachee.id,
            "other": other_coachee.id,
            "coach": coach_person.id,
        },
        "coach": c1.id,
        "coach2": c2.id,
        "coach_unused": c3.id,
        "request": r1.id,
        "request2": r2.id,
        "request_open": r3.id,
        "engagement": e1.id,
        "engagement2": e2.id,
        "engagement_flagged": e_flagged.id,
        "session": s1.id,
        "session2": s2.id,
        "weekly": w1.id,
        "weekly2": w2.id,
        "exception": x1.id,
        "exception2": x2.id,
        "extra": extra1.id,
        "extra2": extra2.id,
        "conflict": conflict.id,
        "adjustment": adjustment.id,
        **{f"person_window_{k}": v.id for k, v in own_windows.items()},
        **{f"person_exception_{k}": v.id for k, v in own_away.items()},
        **rounds,
    }


def _add_round(
    db: Session, coachee: Person, other: Person, boss: Person, c1: Coach, c2: Coach
) -> dict[str, int]:
    """A committed round: the coachee's request proposed with C1 then C2 (an earlier
    round's C1 proposal superseded); the other coachee's with C2 then C1 (C1 has a
    declared conflict with them since, so confirming it is refused)."""
    from api.models import MatchingRound, Proposal
    from api.models.enums import ProposalStatus, RequestStatus, RoundKind, RoundStatus

    parameters = {
        "horizon_start": "2026-03-02",
        "horizon_end": "2026-05-25",
        "proposals": 3,
        "external_budget": None,
        "time_limit_seconds": 10.0,
        "exclude_same_unit": False,
        "exclude_peers": True,
        "history": "avoid",
        "seed": 0,
    }
    old, current = (
        MatchingRound(
            status=RoundStatus.done,
            kind=RoundKind.commit,
            created_at=START,
            committed_at=START,
            parameters=parameters,
        )
        for _ in range(2)
    )
    # A done preview (committing it stores nothing: it matched no one) and a queued round.
    preview = MatchingRound(
        status=RoundStatus.done,
        kind=RoundKind.preview,
        created_at=START,
        parameters=parameters,
        base_version=0,
    )
    queued = MatchingRound(
        status=RoundStatus.queued, kind=RoundKind.preview, created_at=START, parameters=parameters
    )
    db.add_all([old, current, preview, queued])
    mine = add_request(db, coachee, sponsor=boss, status=RequestStatus.proposed)
    theirs = add_request(db, other, sponsor=boss, status=RequestStatus.proposed)

    def propose(
        round_: MatchingRound, request: CoachingRequest, coach: Coach, rank: int, **kw: Any
    ) -> Proposal:
        row = Proposal(
            round_id=round_.id,
            request_id=request.id,
            coach_id=coach.id,
            rank=rank,
            score=10.0,
            explanation={"breakdown": {"themes": 10}},
            **kw,
        )
        db.add(row)
        return row

    superseded = propose(old, mine, c1, 1, status=ProposalStatus.superseded)
    p1 = propose(current, mine, c1, 1)
    p2 = propose(current, mine, c2, 2)
    other1 = propose(current, theirs, c2, 1)
    conflicted = propose(current, theirs, c1, 2)
    db.commit()
    return {
        "round": current.id,
        "round_preview": preview.id,
        "round_queued": queued.id,
        "request_proposed": mine.id,
        "proposal": p1.id,
        "proposal2": p2.id,
        "proposal_old": superseded.id,
        "proposal_other": other1.id,
        "proposal_conflicted": conflicted.id,
    }
