"""A coachee's or sponsor's own availability: weekly windows and time away.

Without any weekly window a person is available during working hours in their zone
(`scheduling.availability.Availability.working_hours`); their time away always applies.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from api.models.availability import IntervalBase, WeeklyTimes
from api.types import UTCDateTime


class PersonWindow(WeeklyTimes, table=True):
    """Every `weekday`, from `start_time` to `end_time` in the person's time zone."""

    __tablename__ = "person_window"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class PersonException(IntervalBase, table=True):
    """A period when the person is away (leave), whatever their windows say."""

    __tablename__ = "person_exception"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    reason: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
