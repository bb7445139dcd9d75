"""A coach's availability: what they publish and what they read back."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig  # sqlmodel's config type (SQLModel subclasses)

from api.models.availability import WeeklyWindowBase
from api.types import RowId
from api.validation import TimeZoneName, UTCDatetime


class WeeklyWindowCreate(WeeklyWindowBase):
    model_config = SQLModelConfig(extra="forbid")
    timezone: TimeZoneName = Field(examples=["Europe/Paris"])


class WeeklyWindowPublic(WeeklyWindowBase):
    id: int


class IntervalCreate(SQLModel):
    model_config = SQLModelConfig(extra="forbid")
    start_at: UTCDatetime = Field(examples=["2026-04-06T00:00:00+02:00"])
    end_at: UTCDatetime = Field(examples=["2026-04-11T00:00:00+02:00"])


class ExceptionCreate(IntervalCreate):
    reason: str = Field(default="", max_length=200)


class IntervalPublic(BaseModel):
    id: int
    start_at: datetime
    end_at: datetime


class ExceptionPublic(IntervalPublic):
    reason: str


class BusyCalendarInfo(BaseModel):
    filename: str
    size: int
    sha256: str
    uploaded_at: datetime
    parsed_at: datetime | None
    busy_intervals: int


class BusyInterval(BaseModel):
    start_at: datetime
    end_at: datetime


class AvailabilityPublic(BaseModel):
    coach_id: RowId
    timezone: str
    weekly: list[WeeklyWindowPublic]
    exceptions: list[ExceptionPublic]
    extra: list[IntervalPublic]
    calendar: BusyCalendarInfo | None
    busy: list[BusyInterval]
