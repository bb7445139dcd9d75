"""Replies to the invites (iTIP REPLY and COUNTER), and reschedule requests from them.

Every message read from the programme mailbox leaves one `inbound_reply` row, applied or
not, so the same message read twice (an MTA retry, an IMAP poll after a crash) is
recognised by its key and changes nothing the second time. A quarantined message keeps
its raw bytes for whoever runs the service; nothing else does.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.types import UTCDateTime


class InboundReply(SQLModel, table=True):
    __tablename__ = "inbound_reply"
    id: int | None = Field(default=None, primary_key=True)
    message_key: str = Field(max_length=64, unique=True, description="SHA-256 of Message-ID")
    source: str = Field(max_length=10, description="mail-in or imap")
    received_at: datetime = Field(sa_type=UTCDateTime, index=True)
    method: str | None = Field(default=None, max_length=20)
    uid: str | None = Field(default=None, max_length=255)
    sequence: int | None = None
    attendee_email: str | None = Field(default=None, max_length=254)
    partstat: str | None = Field(default=None, max_length=20)
    outcome: str = Field(max_length=20, index=True, description="applied, stale, quarantined")
    reason: str | None = Field(default=None, max_length=40)
    session_id: int | None = Field(
        default=None, foreign_key="coaching_session.id", ondelete="SET NULL", index=True
    )
    raw: bytes | None = Field(default=None, sa_type=sa.LargeBinary)


class RescheduleRequest(SQLModel, table=True):
    """An attendee's proposed new time (iTIP COUNTER), for the coach to accept or decline."""

    __tablename__ = "reschedule_request"
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="coaching_session.id", ondelete="CASCADE", index=True)
    attendee: str = Field(max_length=32, description="p<person id> or c<coach id>")
    role: str = Field(max_length=10)
    proposed_start: datetime = Field(sa_type=UTCDateTime)
    proposed_end: datetime = Field(sa_type=UTCDateTime)
    sequence: int
    status: str = Field(default="pending", max_length=20, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reply_id: int | None = Field(default=None, foreign_key="inbound_reply.id", ondelete="SET NULL")
