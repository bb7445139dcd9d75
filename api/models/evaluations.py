"""Evaluations, stored detached from the engagement and the person.

An invitation knows its engagement and respondent; it is deleted when answered (or when
it expires), so nothing records who answered. The answer itself goes to a pool with no
reference to anyone and no time, only coarse attributes; the release job moves a cell of
the pool (same attributes) to `evaluation_answer` once it holds at least k answers, in an
order given by the answers' content, stamped with the release day only. A coach's tally
counts their answers in the same way: the coach sees it in steps of k answers.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.types import UTCDateTime


class EvaluationInvitation(SQLModel, table=True):
    __tablename__ = "evaluation_invitation"
    __table_args__ = (sa.UniqueConstraint("engagement_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", ondelete="CASCADE", index=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    role: str = Field(max_length=10)  # coachee | sponsor
    objectives: int = Field(ge=0, description="how many objectives are rated")
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class EvaluationCell(SQLModel):
    """The coarse attributes reports need, and nothing finer."""

    period: str = Field(max_length=7, description="the quarter it ended, e.g. 2027-Q1")
    request_type: str = Field(max_length=20)
    unit: str = Field(default="", max_length=200, description="at the programme's level")
    coach_kind: str = Field(max_length=10)
    respondent: str = Field(max_length=10, description="coachee or sponsor")


class EvaluationContent(SQLModel):
    satisfaction: int = Field(ge=1, le=5)
    recommend: bool
    objectives: list[int] = Field(default_factory=list, sa_type=sa.JSON)
    testimonial: str | None = Field(default=None, sa_type=sa.Text)
    quotable: bool = False


class PendingEvaluation(EvaluationCell, EvaluationContent, table=True):
    """An answer waiting for its cell to reach k: a random key, no time, no reference."""

    __tablename__ = "pending_evaluation"
    id: str = Field(primary_key=True, max_length=32)


class EvaluationAnswer(EvaluationCell, EvaluationContent, table=True):
    """A released answer: what reports read."""

    __tablename__ = "evaluation_answer"
    id: int | None = Field(default=None, primary_key=True)
    batch: date = Field(index=True, description="the day its cell was released")


class CoachEvaluationTally(SQLModel, table=True):
    """A coach's answers summed, pending then released k at a time."""

    __tablename__ = "coach_evaluation_tally"
    coach_id: int = Field(foreign_key="coach.id", ondelete="CASCADE", primary_key=True)
    pending_count: int = 0
    pending_satisfaction: int = 0
    pending_recommend: int = 0
    pending_objective_sum: int = 0
    pending_objective_count: int = 0
    released_count: int = 0
    released_satisfaction: int = 0
    released_recommend: int = 0
    released_objective_sum: int = 0
    released_objective_count: int = 0
