"""The coach's own calendar: what they give, and what the service shows back (never the
address itself, which is a secret, nor the password)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field


class CalendarIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "ics",
                    "url": "https://outlook.office365.com/owa/calendar/.../calendar.ics",
                },
                {
                    "kind": "caldav",
                    "url": "https://caldav.example.org/calendars/camille/work/",
                    "username": "camille",
                    "password": "app-password",
                },
            ]
        },
    )
    kind: Literal["ics", "caldav"]
    url: str = Field(min_length=8, max_length=2000, pattern=r"^https?://[\x21-\x7e]+$")
    username: str | None = Field(default=None, max_length=254)
    password: str | None = Field(default=None, max_length=500)


class CalendarStatus(BaseModel):
    kind: str
    host: str = Field(description="the calendar's host (the address itself is secret)")
    created_at: datetime
    last_attempt_at: datetime | None
    last_success_at: datetime | None = Field(description="when it was last read without error")
    last_changed_at: datetime | None
    last_error: str | None
    failures: int = Field(description="failed refreshes since the last success")
    busy_intervals: int


def host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""
