"""HR's neutrality inputs: declared conflicts of interest and pair adjustments."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.models.enums import AdjustmentKind, enum_type
from api.types import RowId, UTCDateTime


class ConflictBase(SQLModel):
    coach_id: RowId
    person_id: RowId
    reason: str = Field(default="", max_length=500)


class Conflict(ConflictBase, table=True):
    """This coach must never coach, nor be matched under the sponsorship of, this person."""

    __table_args__ = (sa.UniqueConstraint("coach_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", index=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class PairAdjustmentBase(SQLModel):
    coach_id: RowId
    request_id: RowId
    kind: AdjustmentKind = Field(sa_type=enum_type(AdjustmentKind))
    weight: int | None = Field(default=None, ge=1, le=100, description="bonus only")
    reason: str = Field(default="", max_length=500)


class PairAdjustment(PairAdjustmentBase, table=True):
    """HR's nudge for one (coach, request) pair: a bonus, or a ban."""

    __tablename__ = "pair_adjustment"
    __table_args__ = (sa.UniqueConstraint("coach_id", "request_id"),)
    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", index=True)
    request_id: int = Field(foreign_key="coaching_request.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
