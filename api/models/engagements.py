"""Engagements (a confirmed coach for a request) and their sessions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.models.enums import EndReason, EngagementStatus, SessionStatus, enum_type
from api.types import UTCDateTime


class EngagementBase(SQLModel):
    request_id: int
    coach_id: int
    status: EngagementStatus = Field(
        default=EngagementStatus.proposed, sa_type=enum_type(EngagementStatus)
    )
    flag_reason: str | None = Field(default=None, max_length=500)


class Engagement(EngagementBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="coaching_request.id", ondelete="RESTRICT", index=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="RESTRICT", index=True)
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id", ondelete="SET NULL")
    status: EngagementStatus = Field(
        default=EngagementStatus.proposed, sa_type=enum_type(EngagementStatus), index=True
    )
    # Kept so HR can clear a flag and put the engagement back where it was.
    status_before_flag: EngagementStatus | None = Field(
        default=None, sa_type=enum_type(EngagementStatus)
    )
    flagged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    # Where it is held: the room the coach chose (on site), and the random id of its
    # online room when the join link comes from COACHMATCH_MEETING_URL_TEMPLATE.
    room: str | None = Field(default=None, max_length=200)
    meeting_id: str | None = Field(default=None, max_length=64)
    # The lifecycle (api.engagements.lifecycle): how it ended, a hold, a coach change.
    end_reason: EndReason | None = Field(default=None, sa_type=enum_type(EndReason))
    ended_by: str | None = Field(default=None, max_length=10, description="the role")
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status_before_hold: EngagementStatus | None = Field(
        default=None, sa_type=enum_type(EngagementStatus)
    )
    hold_keeps_capacity: bool = True
    midway_review_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    coach_change_requested_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The engagement this one continues after a coach change (its history is kept; no
    # foreign key: SQLite adds the column in place, without copying the table).
    predecessor_id: int | None = None


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


class SessionAttendance(SQLModel, table=True):
    """Who attends a session, and when: one row per attendee (`attendee` is `p<person>`
    or, for an external coach, `c<coach>`). The database refuses two active rows of one
    attendee whose times overlap: an exclusion constraint on PostgreSQL, a trigger on
    SQLite (migration 0004), so no race between two coaches double-books a coachee."""

    __tablename__ = "session_attendance"
    __table_args__ = (sa.UniqueConstraint("session_id", "attendee"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="coaching_session.id", ondelete="CASCADE", index=True)
    attendee: str = Field(max_length=32, index=True)
    role: str = Field(max_length=10)
    start_at: datetime = Field(sa_type=UTCDateTime)
    end_at: datetime = Field(sa_type=UTCDateTime)
    active: bool = True
    # The attendee's answer (iTIP REPLY) to the session's current SEQUENCE.
    partstat: str = Field(default="NEEDS-ACTION", max_length=20)
    partstat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
