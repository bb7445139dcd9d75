"""Chemistry calls: a short call a coachee books with a proposed coach before choosing."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.models.enums import enum_type
from api.types import UTCDateTime


class CallState(StrEnum):
    booked = "booked"
    cancelled = "cancelled"


class ChemistryCall(SQLModel, table=True):
    """One call for one proposal. At most one booked call per proposal, held by a partial
    unique index; the coach's row lock (`api.coaches.lock`) keeps two bookings of one
    coach from taking the same time."""

    __tablename__ = "chemistry_call"
    __table_args__ = (
        sa.Index(
            "uq_chemistry_call_booked_proposal",
            "proposal_id",
            unique=True,
            sqlite_where=sa.text("state = 'booked'"),
            postgresql_where=sa.text("state = 'booked'"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", ondelete="CASCADE", index=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", index=True)
    coachee_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    start_at: datetime = Field(sa_type=UTCDateTime)
    end_at: datetime = Field(sa_type=UTCDateTime)
    state: CallState = Field(default=CallState.booked, sa_type=enum_type(CallState))
    uid: str = Field(max_length=255)
    sequence: int = 0  # iCalendar SEQUENCE: 1 once cancelled
    created_at: datetime = Field(sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
