"""Testimonials, stored detached from their author, their engagement and their coach.

A coachee who allows quoting sends a text (with the evaluation, or later for an
engagement that is over); the service keeps the text only, under a random key, with no
time, no author, no engagement and no coach. `testimonial_given` only says that an
engagement gave its one testimonial (so nobody floods a batch), never which text.

    pooled    waiting until at least k texts are pooled, rewritten in content order at
              each arrival (so the rows' physical order says nothing of when)
    review    moved k or more at once to the reviewers (coaches), so a new text in the
              queue cannot be matched with an engagement that just ended
    approved  a reviewer checked it names nobody (and may have redacted it)
    released  shown to HR in a batch of at least k approved texts
A rejected text is deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Testimonial(SQLModel, table=True):
    __tablename__ = "testimonial"
    id: str = Field(primary_key=True, max_length=32, description="random: no order")
    text: str = Field(sa_type=sa.Text)
    stage: str = Field(max_length=10, index=True)  # pooled | review | approved | released
    redacted: bool = False
    batch: int | None = Field(default=None, index=True, description="HR's batch, once released")


class TestimonialGiven(SQLModel, table=True):
    """An engagement whose coachee gave its testimonial (which one is not kept)."""

    __tablename__ = "testimonial_given"
    engagement_id: int = Field(foreign_key="engagement.id", ondelete="CASCADE", primary_key=True)
