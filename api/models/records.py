"""A coach's professional record: certifications, supervision hours, accreditation, peer
group and, for external coaches, the referencing workflow."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from api.models.enums import ReferencingState, enum_type
from api.types import UTCDateTime


class Certification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", index=True)
    body: str = Field(max_length=200, description="the certifying body")
    level: str = Field(max_length=100)
    obtained: date
    valid_until: date | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)


class SupervisionLog(SQLModel, table=True):
    __tablename__ = "supervision_log"
    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", index=True)
    day: date = Field(description="when the supervision took place")
    hours: float = Field(gt=0, le=100)
    created_at: datetime = Field(sa_type=UTCDateTime)


class CoachRecord(SQLModel, table=True):
    __tablename__ = "coach_record"
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", primary_key=True)
    accreditation: str | None = Field(default=None, max_length=200)
    peer_group: str | None = Field(default=None, max_length=200)
    referencing_state: ReferencingState | None = Field(
        default=None, sa_type=enum_type(ReferencingState)
    )
    updated_at: datetime = Field(sa_type=UTCDateTime)
