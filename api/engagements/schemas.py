"""Engagement and session views."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from api.models.engagements import SessionBase
from api.models.enums import EngagementStatus


class EngagementView(BaseModel):
    """What the coach, coachee and sponsor see of their engagement."""

    id: int
    request_id: int
    coach_id: int
    coach_name: str | None
    coachee_id: int
    sponsor_id: int | None
    status: EngagementStatus
    confirmed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class EngagementHRView(EngagementView):
    flag_reason: str | None
    flagged_at: datetime | None


class SessionPublic(SessionBase):
    id: int
    uid: str
    last_change_at: datetime
