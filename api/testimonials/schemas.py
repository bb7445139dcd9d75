"""What a coachee sends, what a reviewer reads and decides, and what HR reads."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.evaluations.schemas import TESTIMONIAL_MAX
from api.types import RowId
from api.validation import max_chars

Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), max_chars(TESTIMONIAL_MAX)
]


class TestimonialIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    engagement_id: RowId = Field(description="an engagement of yours that is over")
    text: Text
    quotable: bool = Field(description="must be true: you allow it to be quoted anonymously")


class TestimonialOpen(BaseModel):
    """An engagement of yours that is over and has given no testimonial yet."""

    engagement_id: int
    coach_name: str | None


class TestimonialRecorded(BaseModel):
    recorded: bool = True


class ToReview(BaseModel):
    id: str
    text: str


class ReviewQueue(BaseModel):
    k: int = Field(description="texts reach the queue, and HR, at least k at a time")
    testimonials: list[ToReview] = Field(description="in the order of their text")


class ApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Text | None = Field(None, description="the text redacted; none: as it is")


class Reviewed(BaseModel):
    decision: str  # approved | rejected


class Batch(BaseModel):
    batch: int
    testimonials: list[str] = Field(description="the texts, in their own order")


class TestimonialBatches(BaseModel):
    k: int = Field(description="every batch holds at least k approved testimonials")
    batches: list[Batch]
