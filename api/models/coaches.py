"""Coaches: internal (an employee) or external (a referenced vendor)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.models.enums import CoachKind, enum_type
from api.types import RowId, UTCDateTime


class CoachBase(SQLModel):
    kind: CoachKind = Field(sa_type=enum_type(CoachKind))
    person_id: RowId | None = Field(default=None, description="internal: the employee")
    name: str | None = Field(default=None, max_length=200, description="external: full name")
    email: str | None = Field(default=None, max_length=254, description="external: email")
    timezone: str = Field(default="UTC", max_length=64)
    certified_until: date | None = Field(default=None, description="internal certification")
    vendor: str | None = Field(default=None, max_length=200)
    rate_per_session_cents: int | None = Field(default=None, ge=0, le=100_000_000)
    currency: str | None = Field(default=None, max_length=3)
    referenced_from: date | None = None
    referenced_until: date | None = None
    languages: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    themes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    coaching_types: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    modalities: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    sites: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    max_coachees: int = Field(default=1, ge=0, le=1000)
    time_share: float | None = Field(default=None, ge=0, le=1, description="internal: FTE share")
    hours_per_month: float | None = Field(default=None, ge=0, le=744)
    active: bool = True
    bio: str | None = Field(
        default=None,
        max_length=600,
        description="a short presentation the coachee reads before choosing (plain text)",
    )
    room_url: str | None = Field(
        default=None,
        max_length=500,
        description="the coach's own online meeting room (https): the join link of their "
        "remote sessions",
    )


class Coach(CoachBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="RESTRICT", unique=True
    )
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class CoachPhoto(SQLModel, table=True):
    """The coach's optional photo, checked at upload (PNG, JPEG or WebP, 1 MB at most)."""

    __tablename__ = "coach_photo"
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", primary_key=True)
    content_type: str = Field(max_length=20)
    data: bytes = Field(sa_type=sa.LargeBinary)
    updated_at: datetime = Field(sa_type=UTCDateTime)
