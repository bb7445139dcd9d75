"""What a coachee or sponsor publishes of their availability, and reads back."""

from __future__ import annotations

from pydantic import BaseModel
from sqlmodel._compat import SQLModelConfig  # sqlmodel's config type (SQLModel subclasses)

from api.availability.schemas import ExceptionPublic
from api.models.availability import WeeklyTimes
from api.types import RowId


class PersonWindowCreate(WeeklyTimes):
    """A recurring window, e.g. Tuesdays 14:00-17:00, in the person's own time zone."""

    model_config = SQLModelConfig(
        extra="forbid",
        json_schema_extra={
            "examples": [{"weekday": 1, "start_time": "14:00", "end_time": "17:00"}]
        },
    )


class PersonWindowPublic(WeeklyTimes):
    id: int


class PersonWindowsPublic(BaseModel):
    person_id: RowId
    timezone: str
    working_hours: bool  # no weekly window given: Monday-Friday 09:00-18:00 in `timezone`
    weekly: list[PersonWindowPublic]
    exceptions: list[ExceptionPublic]
