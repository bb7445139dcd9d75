"""A coach's availability: weekly windows, exceptions, extra windows, busy times."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.types import LocalTime, UTCDateTime


class WeeklyTimes(SQLModel):
    weekday: int = Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday")
    start_time: LocalTime
    end_time: LocalTime


class WeeklyWindowBase(WeeklyTimes):
    timezone: str = Field(max_length=64, description="IANA zone the times are in")


class WeeklyWindow(WeeklyWindowBase, table=True):
    __tablename__ = "weekly_window"
    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class IntervalBase(SQLModel):
    start_at: datetime = Field(sa_type=UTCDateTime)
    end_at: datetime = Field(sa_type=UTCDateTime)


class AvailabilityException(IntervalBase, table=True):
    """A period when the coach is away, whatever the weekly windows say."""

    __tablename__ = "availability_exception"
    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", index=True)
    reason: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)


class ExtraWindow(IntervalBase, table=True):
    """A one-off period of availability outside the weekly windows."""

    __tablename__ = "extra_window"
    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class BusyCalendar(SQLModel, table=True):
    """The coach's last uploaded .ics file, kept raw so it can be parsed again."""

    __tablename__ = "busy_calendar"
    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", unique=True)
    filename: str = Field(max_length=255)
    content: bytes = Field(sa_type=sa.LargeBinary)
    size: int
    sha256: str = Field(max_length=64)
    uploaded_at: datetime = Field(sa_type=UTCDateTime)
    parsed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class BusyInterval(IntervalBase, table=True):
    """A busy time parsed from the coach's calendar file."""

    __tablename__ = "busy_interval"
    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", index=True)
    calendar_id: int = Field(foreign_key="busy_calendar.id", ondelete="CASCADE", index=True)
