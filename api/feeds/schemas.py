from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class FeedCreated(BaseModel):
    url: str = Field(description="secret: anyone with it can read your sessions")
    created_at: datetime


class FeedStatus(BaseModel):
    active: bool
    created_at: datetime | None
    last_used_at: datetime | None
