"""An engagement as HR's confirmation makes it, with the three parties signed in: Paul
(coachee) with Karl (coach), sponsored by Sacha Sales; four sessions planned and
invited. For the tests of the lifecycle, the contract, evaluations and notifications
(`from life_support import settings, w` gives a test module the fixtures)."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from api_support import add_user, fresh, login
from engaged_support import engage, outbox
from fastapi.testclient import TestClient
from rounds_support import fast
from sqlmodel import Session

from api.models import CoachingSession, Engagement, OutboxMessage
from api.models.enums import EngagementStatus, Role
from api.settings import Settings


def life(client: TestClient, db: Session, settings: Settings, **request: Any) -> dict[str, Any]:
    w = engage(client, db, settings, **request)
    sponsor = add_user(db, settings, Role.sponsor, person=w["people"]["sales"])
    w["sales_h"] = login(client, sponsor.email)
    w["who"] = {"coach": w["karl_h"], "coachee": w["paul_h"], "sponsor": w["sales_h"]}
    return w


def set_state(db: Session, engagement_id: int, state: EngagementStatus, **fields: Any) -> None:
    row = fresh(db).get_one(Engagement, engagement_id)
    row.status = state
    for name, value in fields.items():
        setattr(row, name, value)
    db.add(row)
    db.commit()


def state_of(db: Session, engagement_id: int) -> EngagementStatus:
    return fresh(db).get_one(Engagement, engagement_id).status


def readable(message: OutboxMessage) -> str:
    """Every part of a queued email, decoded, with its headers."""
    parsed = message_from_bytes(message.raw_mime, policy=policy.default)
    parts = [str(parsed)]
    for part in parsed.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                parts.append(payload.decode("utf-8", "replace"))
    return "\n".join(parts)


def calendar_of(message: OutboxMessage) -> str:
    parsed = message_from_bytes(message.raw_mime, policy=policy.default)
    part = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
    return str(part.get_content())


def invites(db: Session, row: CoachingSession) -> list[OutboxMessage]:
    """The invites queued for this session's current SEQUENCE."""
    prefix = f"session:{row.id}:seq:{row.sequence}:"
    return [m for m in outbox(db) if m.dedupe_key.startswith(prefix)]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Small solver limits; sign-ins outlive the clock's moves."""
    return fast(settings, session_ttl=timedelta(days=400))


@pytest.fixture
def w(client: TestClient, db: Session, settings: Settings) -> dict[str, Any]:
    return life(client, db, settings)
