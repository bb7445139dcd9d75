"""Coaching requests. `description` and `objectives` are confidential: only the coachee,
the sponsor and the coach may read them (never HR, invites, feeds, logs or exports)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.models.enums import Modality, RequestStatus, enum_type
from api.types import RowId, UTCDateTime

DESCRIPTION_MAX = 1000
OBJECTIVES_MAX = 1000


class RequestBase(SQLModel):
    """The fields everyone involved may see."""

    coachee_id: RowId
    sponsor_id: RowId | None = None
    coaching_type: str = Field(max_length=100)
    themes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    language: str = Field(max_length=10)
    modality: Modality = Field(default=Modality.ANY, sa_type=enum_type(Modality))
    sessions: int = Field(default=6, ge=1, le=50)
    session_minutes: int = Field(default=60, ge=15, le=480)
    cadence_days: int = Field(default=14, ge=1, le=180, description="days between sessions")
    priority: int = Field(default=3, ge=1, le=5, description="1 = most urgent, 5 = least")


class CoachingRequest(RequestBase, table=True):
    __tablename__ = "coaching_request"
    id: int | None = Field(default=None, primary_key=True)
    coachee_id: int = Field(foreign_key="person.id", ondelete="RESTRICT", index=True)
    sponsor_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="RESTRICT", index=True
    )
    status: RequestStatus = Field(
        default=RequestStatus.open, sa_type=enum_type(RequestStatus), index=True
    )
    description: str | None = Field(default=None, sa_type=sa.Text)
    objectives: str | None = Field(default=None, sa_type=sa.Text)
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    submitted_by_id: int | None = Field(
        default=None, foreign_key="app_user.id", ondelete="SET NULL"
    )
    # Set by the retention job once its engagements ended long enough ago: the brief is
    # gone and its people are pseudonyms (api.privacy.retention).
    pseudonymised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A cancel keeps HR's reason and the status it left, so it can be undone for a while
    # (api.requests.service.restore_request).
    cancel_reason: str | None = Field(default=None, max_length=500)
    status_before_cancel: RequestStatus | None = Field(
        default=None, sa_type=enum_type(RequestStatus)
    )
