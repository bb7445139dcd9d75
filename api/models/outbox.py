"""Outgoing email, written in the same transaction as the change it reports."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.models.enums import OutboxStatus, enum_type
from api.types import UTCDateTime


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_message_due", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    # One key per change (e.g. "invitation:12", "session:7:seq:2"): never queued twice.
    dedupe_key: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=50)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=500)
    raw_mime: bytes = Field(sa_type=sa.LargeBinary)
    status: OutboxStatus = Field(default=OutboxStatus.pending, sa_type=enum_type(OutboxStatus))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
