"""What a respondent reads and sends, and what a coach sees of their answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from api.validation import max_chars, max_items

TESTIMONIAL_MAX = 1000
Score = Annotated[int, Field(ge=1, le=5)]


class EvaluationInvitationView(BaseModel):
    """An evaluation open to you: the objectives to rate (yours to read) and until when."""

    id: int
    engagement_id: int
    role: str
    coach_name: str | None
    objectives: list[str]
    expires_at: datetime


class EvaluationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    objectives: Annotated[list[Score], *max_items(10)] = Field(
        default_factory=list, description="1-5 per objective, in the contract's order"
    )
    satisfaction: Score
    recommend: bool
    testimonial: Annotated[str | None, max_chars(TESTIMONIAL_MAX)] = None
    quotable: bool = Field(False, description="may be quoted anonymously")


class EvaluationRecorded(BaseModel):
    recorded: bool = True


class CoachEvaluationSummary(BaseModel):
    """A coach's own answers, summed, shown once there are at least k of them, and
    thereafter in steps of k (so no single answer can be told apart by comparing)."""

    k: int
    answers: int | None
    satisfaction: float | None
    recommend_share: float | None
    objectives: float | None
