from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FeedDetail = Literal["title", "names"]


class FeedCreated(BaseModel):
    url: str = Field(description="secret: anyone with it can read your sessions")
    created_at: datetime


class FeedStatus(BaseModel):
    active: bool
    created_at: datetime | None
    last_used_at: datetime | None
    detail: FeedDetail = Field(
        description="what each event shows: `title` (a neutral title, the time, the place "
        "or join link) or `names` (and the other attendees' names)"
    )


class FeedSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"detail": "names"}]})
    detail: FeedDetail
