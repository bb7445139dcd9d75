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
        "coaching_types": ["individual"],
        "modalities": ["remote"],
        "sites": ["Paris"],
        "max_coachees": 3,
        "timezone": "Europe/Paris",
    }
    if person is not None:
        values.update(kind=CoachKind.internal, person_id=person.id, name=person.name)
    else:
        n = next(_ids)
        values.update(
            kind=CoachKind.external,
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
    user = User(
        email=email or f"{role.value}{next(_ids)}@example.org",
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
        "coaching_type": "individual",
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
    status: EngagementStatus = EngagementStatus.active,
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


def row_counts(db: Session) -> dict[str, int]:
    """Rows in every table: compared before and after a refused write."""
    fresh(db)
    return {
        table.name: db.execute(select(func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
    }


def fresh(db: Session) -> Session:
    """End the test session's snapshot and forget cached rows: see what the app wrote."""
    db.rollback()
    db.expire_all()
    return db
