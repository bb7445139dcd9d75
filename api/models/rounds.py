"""Matching rounds and the proposals they produced (filled by phase 2's round runner)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.models.enums import ProposalStatus, RoundKind, RoundStatus, enum_type
from api.types import UTCDateTime

REJECT_REASON_MAX = 500


class MatchingRound(SQLModel, table=True):
    """A round: a job that loads the programme, solves, plans, and keeps its result here.
    `offers` are the proposals it would store (a preview commits exactly them);
    `fingerprint` names the inputs it read, so a commit can tell whether they changed."""

    __tablename__ = "matching_round"
    id: int | None = Field(default=None, primary_key=True)
    status: RoundStatus = Field(sa_type=enum_type(RoundStatus), index=True)
    kind: RoundKind = Field(default=RoundKind.commit, sa_type=enum_type(RoundKind))
    created_at: datetime = Field(sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    committed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    idempotency_key: str | None = Field(default=None, max_length=200, unique=True)
    cancel_requested: bool = False
    progress: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    error: str | None = Field(default=None, max_length=500)
    base_version: int | None = None
    fingerprint: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    offers: list[Any] = Field(default_factory=list, sa_type=sa.JSON)
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    solve_seconds: float | None = None
    parameters: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    proposals: list[Any] = Field(default_factory=list, sa_type=sa.JSON)
    explanations: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


class Proposal(SQLModel, table=True):
    """One proposed coach for one request, reviewable by HR and the coachee."""

    __table_args__ = (sa.UniqueConstraint("round_id", "request_id", "coach_id"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="matching_round.id", ondelete="CASCADE", index=True)
    request_id: int = Field(foreign_key="coaching_request.id", ondelete="CASCADE", index=True)
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", index=True)
    rank: int = Field(default=1, ge=1)
    score: float | None = None
    explanation: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    status: ProposalStatus = Field(
        default=ProposalStatus.proposed, sa_type=enum_type(ProposalStatus)
    )
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # HR's words when turning the coach down: on HR's pages only (never in an invite, a
    # feed, a log, an export or a report).
    reject_reason: str | None = Field(default=None, max_length=REJECT_REASON_MAX)


class RoundLock(SQLModel, table=True):
    """One row: the version of the programme's committed rounds. A commit moves it on only
    from the version its round started from, so of two simultaneous commits one wins and
    the other is refused (409) instead of both leaving live proposals."""

    __tablename__ = "round_lock"
    id: int = Field(default=1, primary_key=True)
    version: int = 0
    committed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
