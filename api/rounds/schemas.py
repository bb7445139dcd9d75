"""Round and proposal schemas. None carries a request's description or objectives: HR's
views of a round name requests, coachees and coaches by id, with scores and reasons."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.models.enums import CoachKind, ProposalStatus, RoundKind, RoundStatus
from api.types import RowId
from matcher.problem import HistoryPolicy


class RoundParamsIn(BaseModel):
    """A round's parameters; every one has a default (see the settings)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "horizon_start": "2026-03-09",
                    "horizon_weeks": 12,
                    "proposals": 3,
                    "external_budget": 10000,
                    "time_limit_seconds": 10,
                    "exclude_same_unit": False,
                    "history": "avoid",
                    "seed": 0,
                }
            ]
        },
    )

    horizon_start: date | None = Field(None, description="default: today")
    horizon_weeks: int | None = Field(None, ge=1, le=104, description="default: setting")
    proposals: int | None = Field(
        None, ge=1, le=10, description="the chosen coach plus up to k-1 alternatives"
    )
    external_budget: int | None = Field(None, ge=0, description="in currency units; none: no cap")
    time_limit_seconds: float | None = Field(
        None, gt=0, le=600, description="CP-SAT deterministic seconds"
    )
    exclude_same_unit: bool = False
    exclude_peers: bool = True
    history: HistoryPolicy = Field(HistoryPolicy.AVOID, description="the previous coach")
    seed: int = Field(0, ge=0, le=2**31 - 1)


class ReasonCount(BaseModel):
    code: str
    label: str
    count: int = Field(description="coaches ruled out for this reason (totals: requests)")


class UnschedulablePair(BaseModel):
    """A pair the matcher chose or offered whose sessions could not be planned."""

    request_id: RowId
    coach_id: RowId
    rank: int = Field(description="1: the chosen coach (re-matched), 2+: an alternative")
    code: str
    reason: str = Field(description="the planner's reason")
    rematched: bool


class AlternativeView(BaseModel):
    coach_id: RowId
    coach_name: str | None
    score: float
    breakdown: dict[str, int]
    first_session_at: datetime


class MatchView(BaseModel):
    request_id: RowId
    coachee_id: RowId | None
    coach_id: RowId
    coach_name: str | None
    score: float
    breakdown: dict[str, int] = Field(description="points per criterion")
    hours: float
    cost: int
    first_session_at: datetime
    alternatives: list[AlternativeView]
    unschedulable: list[UnschedulablePair]


class UnmatchedView(BaseModel):
    request_id: RowId
    coachee_id: RowId | None
    reasons: list[ReasonCount]
    summary: str
    unschedulable: list[UnschedulablePair]


class RoundProgress(BaseModel):
    """Where a running round is (while `status` is running; its last state after)."""

    stage: str = Field(description="queued, matching, planning, alternatives, explaining, done…")
    best: float | None = Field(None, description="best priority-weighted matches found so far")
    bound: float | None = Field(None, description="its proven upper bound")
    elapsed_s: float | None = None
    attempt: int | None = Field(None, description="re-match attempt (0: the first solve)")


class RoundSummary(BaseModel):
    id: int
    status: RoundStatus = Field(description="queued | running | done | failed | cancelled")
    kind: RoundKind = Field(description="preview (commit it later, as shown) or commit")
    progress: RoundProgress
    error: str | None = None
    created_at: datetime
    committed_at: datetime | None
    created_by_id: RowId | None
    objective: float | None
    bound: float | None
    gap: float | None
    solve_seconds: float | None
    parameters: dict[str, Any]
    requests_count: int
    matched_count: int
    unmatched_count: int


class RoundView(RoundSummary):
    """A round with its explanations: each match's score breakdown, each unmatched
    request's reasons with labels, and totals per reason."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 4,
                    "status": "done",
                    "kind": "commit",
                    "progress": {"stage": "done", "best": 24.0, "bound": 24.0, "elapsed_s": 0.4},
                    "created_at": "2026-03-02T08:00:00Z",
                    "committed_at": "2026-03-02T08:00:00Z",
                    "created_by_id": 1,
                    "objective": 24.0,
                    "bound": 24.0,
                    "gap": 0.0,
                    "solve_seconds": 0.21,
                    "parameters": {"horizon_start": "2026-03-02", "proposals": 2},
                    "requests_count": 3,
                    "matched_count": 2,
                    "unmatched_count": 1,
                    "solver_status": "optimal",
                    "message": "",
                    "matches": [
                        {
                            "request_id": 7,
                            "coachee_id": 42,
                            "coach_id": 3,
                            "coach_name": "Camille Coach",
                            "score": 25,
                            "breakdown": {"themes": 10, "internal_first": 15},
                            "hours": 4.0,
                            "cost": 0,
                            "first_session_at": "2026-03-04T08:00:00Z",
                            "alternatives": [],
                            "unschedulable": [],
                        }
                    ],
                    "unmatched": [
                        {
                            "request_id": 9,
                            "coachee_id": 44,
                            "reasons": [
                                {"code": "neutrality", "label": "neutrality", "count": 1},
                                {"code": "language", "label": "language", "count": 2},
                            ],
                            "summary": "neutrality: 1, language: 2",
                            "unschedulable": [],
                        }
                    ],
                    "reason_totals": [
                        {"code": "language", "label": "language", "count": 1},
                        {"code": "neutrality", "label": "neutrality", "count": 1},
                    ],
                    "unschedulable": [],
                    "rematches": 0,
                    "moved": [],
                    "external_cost": 0,
                }
            ]
        }
    )

    solver_status: str
    message: str
    matches: list[MatchView]
    unmatched: list[UnmatchedView]
    reason_totals: list[ReasonCount] = Field(
        description="per reason, how many unmatched requests it applies to"
    )
    unschedulable: list[UnschedulablePair]
    rematches: int
    moved: list[int] = Field(description="requests whose earlier proposed coach changed")
    external_cost: int


class PromisedFirstSession(BaseModel):
    """The first session a proposal promised, and whether it still holds."""

    first_session_at: datetime | None = Field(description="the first session promised")
    first_session_free: bool | None = Field(
        None,
        description="still to decide: whether the promised first session is still free "
        "(confirming books it exactly); null once decided",
    )
    first_session_instead: datetime | None = Field(
        None,
        description="when the promised first session is gone: the first session confirming "
        "would book instead (null when none can be planned now)",
    )


class ProposalView(PromisedFirstSession):
    """A proposed coach for a request, as HR reviews it."""

    id: int | None
    round_id: RowId | None
    request_id: RowId
    coachee_id: RowId
    coach_id: RowId
    coach_name: str | None
    coach_kind: CoachKind
    rank: int = Field(description="1: the chosen coach, then the alternatives")
    score: float | None
    breakdown: dict[str, int]
    status: ProposalStatus
    decided_at: datetime | None
    reject_reason: str | None = Field(None, description="HR's reason for a rejection")


class RejectIn(BaseModel):
    """HR's reason for turning a proposed coach down (optional; seen by HR only)."""

    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(None, max_length=500)


class CredentialView(BaseModel):
    """A certification of the coach's professional record, still valid."""

    body: str
    level: str
    valid_until: date | None = Field(description="null: no end")


class CoachOffer(PromisedFirstSession):
    """A coach proposed to the coachee: who they are and when they could start."""

    id: int = Field(description="the proposal to choose")
    request_id: RowId
    rank: int
    coach_id: RowId
    coach_name: str | None
    coach_kind: CoachKind
    languages: list[str]
    themes: list[str]
    modalities: list[str]
    sites: list[str] = Field(default_factory=list, description="the sites served on site")
    bio: str | None = Field(None, description="the coach's short presentation")
    certifications: list[CredentialView] = Field(
        default_factory=list, description="the coach's certifications still valid today"
    )
    accreditation: str | None = None
    photo_url: str | None = Field(None, description="the coach's photo, when they have one")
    request_type: str | None = Field(None, description="the type of the request it is for")
    request_submitted_at: datetime | None = None
    choosable: bool = Field(description="several coaches were proposed: the coachee chooses")
