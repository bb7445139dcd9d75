"""Testimonials: a coachee gives one, a coach reviews, HR reads the released batches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import CoacheeUser, CoachUser, HRUser, SessionDep, SettingsDep
from api.schemas import ERRORS

from . import service
from .schemas import (
    ApproveIn,
    Reviewed,
    ReviewQueue,
    TestimonialBatches,
    TestimonialIn,
    TestimonialOpen,
    TestimonialRecorded,
)

router = APIRouter(tags=["testimonials"], responses=ERRORS)
TestimonialId = Annotated[str, Path(max_length=32, pattern="^[0-9a-f]{1,32}$")]


@router.get("/me/testimonials")
def open_testimonials(user: CoacheeUser, session: SessionDep) -> list[TestimonialOpen]:
    """Your engagements that are over and have given no testimonial yet."""
    return service.open_to(session=session, user=user)


@router.post("/me/testimonials", status_code=201)
def give_testimonial(
    body: TestimonialIn, user: CoacheeUser, session: SessionDep, settings: SettingsDep
) -> TestimonialRecorded:
    """Give a testimonial that may be quoted anonymously (one per engagement). It is kept
    without you, the engagement, the coach or a date; names, units, sites and dates in it
    are taken out; a coach reviews it among at least k others; HR reads it in a batch of
    at least k."""
    service.give(session=session, settings=settings, user=user, data=body)
    return TestimonialRecorded()


@router.get("/testimonials/review")
def review_queue(user: CoachUser, session: SessionDep, settings: SettingsDep) -> ReviewQueue:
    """Texts to review (no author, engagement, coach or date), at least k at a time."""
    return service.queue(session=session, settings=settings)


@router.post("/testimonials/{testimonial_id}/approve")
def approve_testimonial(
    testimonial_id: TestimonialId,
    body: ApproveIn,
    user: CoachUser,
    session: SessionDep,
    settings: SettingsDep,
) -> Reviewed:
    """The text names nobody: approve it as it is, or with `text` redacted."""
    service.approve(
        session=session, settings=settings, testimonial_id=testimonial_id, text=body.text
    )
    return Reviewed(decision="approved")


@router.post("/testimonials/{testimonial_id}/reject")
def reject_testimonial(
    testimonial_id: TestimonialId, user: CoachUser, session: SessionDep
) -> Reviewed:
    """The text cannot be quoted: it is deleted."""
    service.reject(session=session, testimonial_id=testimonial_id)
    return Reviewed(decision="rejected")


@router.get("/testimonials")
def testimonial_batches(
    user: HRUser, session: SessionDep, settings: SettingsDep
) -> TestimonialBatches:
    """The released testimonials, in batches of at least k, with nothing but their text."""
    return service.batches(session=session, settings=settings)
