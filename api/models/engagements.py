"""Engagements (a confirmed coach for a request) and their sessions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.models.enums import EngagementStatus, SessionStatus, enum_type
from api.types import UTCDateTime


class EngagementBase(SQLModel):
    request_id: int
    coach_id: int
    status: EngagementStatus = Field(
        default=EngagementStatus.confirmed, sa_type=enum_type(EngagementStatus)
    )
    flag_reason: str | None = Field(default=None, max_length=500)


class Engagement(EngagementBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="coaching_request.id", ondelete="RESTRICT", index=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="RESTRICT", index=True)
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id", ondelete="SET NULL")
    status: EngagementStatus = Field(
        default=EngagementStatus.confirmed, sa_type=enum_type(EngagementStatus), index=True
    )
    # Kept so HR can clear a flag and put the engagement back where it was.
    status_before_flag: EngagementStatus | None = Field(
        default=None, sa_type=enum_type(EngagementStatus)
    )
    flagged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class SessionBase(SQLModel):
    engagement_id: int
    number: int = Field(ge=1, description="1 for the first session of the engagement")
    start_at: datetime = Field(sa_type=UTCDateTime)
    end_at: datetime = Field(sa_type=UTCDateTime)
    status: SessionStatus = Field(default=SessionStatus.planned, sa_type=enum_type(SessionStatus))
    sequence: int = Field(default=0, ge=0, description="iCalendar SEQUENCE")


class CoachingSession(SessionBase, table=True):
    __tablename__ = "coaching_session"
    __table_args__ = (sa.UniqueConstraint("engagement_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", ondelete="CASCADE", index=True)
    uid: str = Field(max_length=200, unique=True, description="iCalendar UID")
    start_at: datetime = Field(sa_type=UTCDateTime, index=True)
    last_change_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
