"""Testimonials, detached from their author (see `api.models.testimonials`).

    give      a coachee's quotable text (with the evaluation, or later for an engagement
              that is over): names, units, sites and dates taken out (`scrub`), pooled
              under a random key with nothing else; the engagement is marked as having
              given one (one each)
    pool      once k texts are pooled, they all go to the reviewers at once
    review    a coach approves a text (redacted, or as it is) or rejects it (deleted)
    release   once k approved texts wait, they become HR's next batch

Nothing here writes a time, an author, an engagement or a coach next to a text, and the
pool is rewritten in content order at each arrival (as the evaluations' pool is).
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from api import messages
from api.errors import Conflict, InvalidInput, NotFound
from api.models import (
    Coach,
    CoachingRequest,
    Engagement,
    Person,
    Site,
    Testimonial,
    TestimonialGiven,
    User,
)
from api.models.enums import EngagementStatus
from api.settings import Settings

from . import scrub
from .schemas import (
    Batch,
    ReviewQueue,
    TestimonialBatches,
    TestimonialIn,
    TestimonialOpen,
    ToReview,
)

log = logging.getLogger(__name__)
OVER = (EngagementStatus.completed, EngagementStatus.ended_early)
POOLED, REVIEW, APPROVED, RELEASED = "pooled", "review", "approved", "released"


def clean(session: Session, text: str) -> str:
    """The text without the org chart's names, units and sites, nor dates."""
    names = [p.name for p in session.exec(select(Person))]
    names += [c.name or "" for c in session.exec(select(Coach))]
    places = [p.unit for p in session.exec(select(Person))]
    places += [p.site for p in session.exec(select(Person))]
    places += [s.name for s in session.exec(select(Site))]
    words, phrases = scrub.vocabulary(names, places)
    return scrub.scrub(text, words, phrases)


def _content_key(row: Testimonial) -> tuple[str, str]:
    return (row.text, row.id)


def pool(*, session: Session, settings: Settings, engagement_id: int, text: str) -> None:
    """Pool a quotable text for `engagement_id` (which gives its one); once k are pooled,
    hand them all to the reviewers. The caller has checked the engagement and commits."""
    session.add(TestimonialGiven(engagement_id=engagement_id))
    pooled = list(session.exec(select(Testimonial).where(Testimonial.stage == POOLED)))
    copies = [Testimonial(**r.model_dump()) for r in pooled]
    for old in pooled:
        session.expunge(old)
    session.execute(delete(Testimonial).where(col(Testimonial.stage) == POOLED))
    copies.append(Testimonial(id=secrets.token_hex(16), text=clean(session, text), stage=POOLED))
    copies.sort(key=_content_key)
    stage = REVIEW if len(copies) >= settings.report_k else POOLED
    for row in copies:
        row.stage = stage
    session.add_all(copies)
    session.flush()


def given(session: Session, engagement_id: int) -> bool:
    return session.get(TestimonialGiven, engagement_id) is not None


def _over_engagements(session: Session, user: User) -> list[tuple[Engagement, Coach | None]]:
    if user.person_id is None:
        return []
    rows = session.exec(
        select(Engagement)
        .join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id)
        .where(
            CoachingRequest.coachee_id == user.person_id,
            col(Engagement.status).in_([s.value for s in OVER]),
        )
        .order_by(col(Engagement.id))
    )
    return [(e, session.get(Coach, e.coach_id)) for e in rows]


def open_to(*, session: Session, user: User) -> list[TestimonialOpen]:
    """The coachee's engagements that are over and have given no testimonial."""
    return [
        TestimonialOpen(engagement_id=e.id or 0, coach_name=c.name if c else None)
        for e, c in _over_engagements(session, user)
        if not given(session, e.id or 0)
    ]


def give(*, session: Session, settings: Settings, user: User, data: TestimonialIn) -> None:
    if not data.quotable:
        raise InvalidInput(messages.TESTIMONIAL_CONSENT, field="quotable")
    mine = {e.id: e for e, _ in _over_engagements(session, user)}
    if data.engagement_id not in mine:
        raise NotFound(messages.NOT_FOUND.format(what="engagement that is over"))
    if given(session, data.engagement_id):
        raise Conflict(messages.TESTIMONIAL_GIVEN, field="engagement_id")
    pool(session=session, settings=settings, engagement_id=data.engagement_id, text=data.text)
    session.commit()


def queue(*, session: Session, settings: Settings) -> ReviewQueue:
    rows = session.exec(
        select(Testimonial)
        .where(Testimonial.stage == REVIEW)
        .order_by(col(Testimonial.text), col(Testimonial.id))
    )
    return ReviewQueue(
        k=settings.report_k, testimonials=[ToReview(id=r.id, text=r.text) for r in rows]
    )


def _to_review(session: Session, testimonial_id: str) -> Testimonial:
    row = session.get(Testimonial, testimonial_id)
    if row is None or row.stage != REVIEW:
        raise NotFound(messages.NOT_FOUND.format(what="testimonial to review"))
    return row


def approve(*, session: Session, settings: Settings, testimonial_id: str, text: str | None) -> None:
    """Approve a text (the reviewer's redaction, itself cleaned, or as it is); once k
    approved texts wait, release them as HR's next batch."""
    row = _to_review(session, testimonial_id)
    if text is not None and text != row.text:
        row.text = clean(session, text)
        row.redacted = True
    row.stage = APPROVED
    session.add(row)
    session.flush()
    waiting = list(session.exec(select(Testimonial).where(Testimonial.stage == APPROVED)))
    if len(waiting) >= settings.report_k:
        last = session.exec(select(func.max(Testimonial.batch))).one()
        batch = (last or 0) + 1
        for r in waiting:
            r.stage, r.batch = RELEASED, batch
            session.add(r)
        log.info("testimonials: batch %d released (%d texts)", batch, len(waiting))
    session.commit()


def reject(*, session: Session, testimonial_id: str) -> None:
    """A text that names someone, or that cannot be redacted: deleted."""
    row = _to_review(session, testimonial_id)
    session.delete(row)
    session.commit()


def batches(*, session: Session, settings: Settings) -> TestimonialBatches:
    grouped: defaultdict[int, list[str]] = defaultdict(list)
    rows = session.exec(
        select(Testimonial)
        .where(Testimonial.stage == RELEASED)
        .order_by(col(Testimonial.batch), col(Testimonial.text))
    )
    for r in rows:
        grouped[r.batch or 0].append(r.text)
    k = settings.report_k
    return TestimonialBatches(
        k=k,
        batches=[Batch(batch=b, testimonials=t) for b, t in sorted(grouped.items()) if len(t) >= k],
    )
