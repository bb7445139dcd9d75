"""Session change requests."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.validation import UTCDatetime


class RescheduleIn(BaseModel):
    """Give `start_at` to propose a time (checked against everyone's availability and
    sessions), or leave it out for the planner's nearest good time."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"start_at": "2026-03-18T09:00:00+01:00"}, {}]},
    )
    start_at: UTCDatetime | None = Field(None, description="new start, with its UTC offset")


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "held"}]})
    status: Literal["held", "no_show"]
