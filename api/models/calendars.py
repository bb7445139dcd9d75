"""A coach's own calendar, read by the service for busy times: a private ICS URL or a
CalDAV calendar. The last good copy is kept (and parsed by the planner like an upload);
the validators (ETag, Last-Modified, CalDAV CTag) let a refresh skip an unchanged one."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.types import UTCDateTime


class CalendarSubscription(SQLModel, table=True):
    __tablename__ = "calendar_subscription"
    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", unique=True)
    kind: str = Field(max_length=10, description="ics or caldav")
    # Secrets: a private ICS URL is one; a CalDAV password too. Never shown or logged.
    url: str = Field(max_length=2000)
    username: str | None = Field(default=None, max_length=254)
    password: str | None = Field(default=None, max_length=500)
    etag: str | None = Field(default=None, max_length=500)
    last_modified: str | None = Field(default=None, max_length=100)
    content: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    busy_intervals: int = 0
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_success_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=300)
    failures: int = 0
