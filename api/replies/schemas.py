"""Replies as the API shows them: metadata only (never a message's bytes)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class ReplyPublic(BaseModel):
    id: int
    received_at: datetime
    source: str
    method: str | None
    uid: str | None
    sequence: int | None
    attendee_email: str | None
    partstat: str | None
    outcome: str
    reason: str | None
    session_id: int | None


class RescheduleRequestPublic(BaseModel):
    id: int
    session_id: int
    role: str
    proposed_start: datetime
    proposed_end: datetime
    status: str
    created_at: datetime


class AttendeeAnswer(BaseModel):
    role: str
    partstat: str
    answered_at: datetime | None
