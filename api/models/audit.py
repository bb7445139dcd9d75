"""The audit log: who read a confidential field or changed a row, when, from where.

Append-only: the database refuses UPDATE and DELETE on `audit_log` (a trigger on
PostgreSQL and on SQLite, migration 0009), and each entry's `hash` covers the previous
entry's hash and its own content, so an entry removed or edited behind the service's
back breaks the chain (`api.audit.chain.verify`). `audit_head` is the chain's one-row
head: appending takes its lock, so two writers never fork the chain.

An entry holds ids, column names and addresses, never a value: no brief, objective,
name or email ever enters it, so it can stay whole when a person is erased.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.types import UTCDateTime

GENESIS = "0" * 64  # the "previous hash" of the first entry


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    seq: int = Field(sa_column_kwargs={"autoincrement": False}, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    # Who: an account (and its role then), or nobody (a job, the command line).
    actor_user_id: int | None = Field(default=None, index=True)
    actor_role: str | None = Field(default=None, max_length=10)
    ip: str | None = Field(default=None, max_length=64, description="the client's address")
    via: str = Field(max_length=200, description="the route template, or the job")
    # What: read | insert | update | delete | export | erase | retain
    action: str = Field(max_length=10, index=True)
    target: str = Field(max_length=64, description="the table")
    target_id: str | None = Field(default=None, max_length=64)
    fields: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # Whose data it is (a read of a brief: the coachee), for GET /me/audit.
    subject_person_id: int | None = Field(default=None, index=True)
    request_id: int | None = None
    engagement_id: int | None = None
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class AuditHead(SQLModel, table=True):
    """The last entry's sequence number and hash (one row, id 1)."""

    __tablename__ = "audit_head"
    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = Field(default=GENESIS, max_length=64)
