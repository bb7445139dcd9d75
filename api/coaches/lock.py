"""One decision about a coach at a time, on PostgreSQL and SQLite alike."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from api.models import Coach


def lock_coach(session: Session, coach_id: int) -> None:
    """Hold the coach's write lock until the transaction ends, before reading what a
    decision checks (seats, hours, sessions).

    An UPDATE that changes nothing: PostgreSQL locks the row, as SELECT ... FOR UPDATE
    would; SQLite, which has no row locks and ignores FOR UPDATE, takes its database
    write lock. A second decision about the coach waits (the busy timeout) and then
    reads what the first one committed, so two simultaneous confirmations cannot both
    take the last seat."""
    session.execute(
        update(Coach).where(col(Coach.id) == coach_id).values(updated_at=Coach.updated_at)
    )
