"""What the audit's endpoints answer: ids, actions and column names, never a value."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class AuditEntryView(BaseModel):
    seq: int
    at: datetime
    actor_user_id: int | None = Field(description="the account, or null (a job, the shell)")
    actor_role: str | None
    ip: str | None = Field(description="the client's address as the service computes it")
    via: str = Field(description="the route template, or the job")
    action: str = Field(description="read, insert, update, delete, export, erase or retain")
    target: str = Field(description="the table, or brief / objectives for a read")
    target_id: str | None
    fields: list[str] = Field(description="the columns read or changed (never their values)")
    subject_person_id: int | None = Field(description="whose data it is")
    request_id: int | None
    engagement_id: int | None
    summary: str = Field(examples=["coach (user 4) read the brief of request 12"])
    prev_hash: str
    hash: str


class ReadOfMine(BaseModel):
    """Someone read (or exported) your confidential data."""

    at: datetime
    what: str = Field(description="brief, objectives, or export")
    request_id: int | None
    engagement_id: int | None
    reader_user_id: int | None
    reader_role: str | None
    reader_name: str | None
    party: str | None = Field(
        description="you, coach, sponsor (the tripartite parties), hr (an export), "
        "or null: not a party"
    )
    alarm: bool = Field(description="the reader is none of the parties: it should not happen")
    via: str


class MyAudit(BaseModel):
    items: list[ReadOfMine]
    total: int
    limit: int
    offset: int
    alarms: int = Field(description="entries on this page whose reader is not a party")


class ChainCheck(BaseModel):
    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    problems: list[str] = Field(examples=[["entry 41: missing", "entry 42: broken link"]])
