"""Rows for issue 13's endpoints, added to `api_support.build_world`'s world: pending
reschedule requests (one per coach) and the coach's own calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from api_support import START
from sqlmodel import Session

from api.models import CalendarSubscription, RescheduleRequest

# Monday 9 March 2026, 09:00 Paris: inside the world's Monday windows of everyone.
FREE_MONDAY = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


def add_reschedule_requests(w: dict[str, Any], db: Session) -> None:
    rows = {}
    for key, session_key in (
        ("reschedule_request", "session"),
        ("reschedule_request2", "session2"),
    ):
        rows[key] = RescheduleRequest(
            session_id=w[session_key],
            attendee=f"p{w['person']}",
            role="coachee",
            proposed_start=FREE_MONDAY,
            proposed_end=FREE_MONDAY + timedelta(hours=1),
            sequence=0,
            created_at=START,
        )
        db.add(rows[key])
    db.commit()
    for key, row in rows.items():
        w[key] = row.id


def add_calendar(w: dict[str, Any], db: Session) -> None:
    db.add(
        CalendarSubscription(
            coach_id=w["coach"], kind="ics", url="https://127.0.0.1:9/c.ics", created_at=START
        )
    )
    db.commit()
