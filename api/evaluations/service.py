"""Evaluations, detached from the person and the engagement.

    invite    at the end of an engagement: one invitation each for the coachee and the
              sponsor (it knows who and which engagement; it is deleted when answered)
    answer    the answer joins the pool with coarse attributes only, a random key and
              no time; the coach's tally counts it as pending; a coachee's quotable
              testimonial goes to the testimonials instead (`api.testimonials`), the
              answer keeping only that it had one
    release   a periodic job: every cell of the pool (same period, type, unit, coach
              kind, respondent) holding k answers or more moves to `evaluation_answer`,
              in the order of the answers' content, stamped with the day; a coach's
              pending tally is released once it holds k answers

So no table, log line, timestamp or order links an answer to its author: the answer has
no reference, the invitation is gone, the release day and the content order are shared
by at least k answers alike.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from api import messages
from api.engagements import contract
from api.errors import InvalidInput, NotFound
from api.models import (
    Coach,
    CoachEvaluationTally,
    CoachingRequest,
    Engagement,
    EvaluationAnswer,
    EvaluationInvitation,
    PendingEvaluation,
    Person,
    User,
)
from api.models.enums import NotificationKind, Role
from api.models.evaluations import EvaluationCell
from api.notifications import send
from api.settings import Settings
from api.testimonials import service as testimonials

from .schemas import CoachEvaluationSummary, EvaluationIn, EvaluationInvitationView

log = logging.getLogger(__name__)
RESPONDENTS = (Role.coachee, Role.sponsor)


def quarter(moment: datetime) -> str:
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def coarse_unit(session: Session, person_id: int, level: int) -> str:
    """The unit of the person's manager at `level` below the top (0: no unit at all; a
    person higher than that: their own)."""
    if level <= 0:
        return ""
    chain: list[Person] = []
    seen: set[int] = set()
    current = session.get(Person, person_id)
    while current is not None and current.id not in seen:
        seen.add(current.id or 0)
        chain.append(current)
        current = session.get(Person, current.manager_id) if current.manager_id else None
    chain.reverse()  # the top first
    return chain[min(level, len(chain) - 1)].unit if chain else ""


def invite(
    *,
    session: Session,
    settings: Settings,
    engagement: Engagement,
    request: CoachingRequest,
    now: datetime,
) -> None:
    """Open the evaluation to the coachee and the sponsor, and tell them (the caller
    commits)."""
    latest = contract.current(session, engagement.id or 0)
    count = len(latest.objectives) if latest else 0
    until = now + timedelta(days=settings.evaluation_days)
    for role, person_id in ((Role.coachee, request.coachee_id), (Role.sponsor, request.sponsor_id)):
        if person_id is None:
            continue
        exists = session.exec(
            select(EvaluationInvitation).where(
                EvaluationInvitation.engagement_id == engagement.id,
                EvaluationInvitation.role == role.value,
            )
        ).first()
        if exists is not None:
            continue
        session.add(
            EvaluationInvitation(
                engagement_id=engagement.id or 0,
                person_id=person_id,
                role=role.value,
                objectives=count,
                created_at=now,
                expires_at=until,
            )
        )
        addressee = send.person(session, person_id, role)
        send.notify(
            session,
            settings,
            addressee,
            kind=NotificationKind.evaluation,
            event=f"e{engagement.id}:{role.value}",
            now=now,
            until=until.date(),
            link=f"{settings.base_url}/my/evaluations",
        )


def _mine(session: Session, user: User, now: datetime) -> list[EvaluationInvitation]:
    if user.role not in RESPONDENTS or user.person_id is None:
        return []
    return list(
        session.exec(
            select(EvaluationInvitation)
            .where(
                EvaluationInvitation.person_id == user.person_id,
                EvaluationInvitation.role == user.role.value,
                col(EvaluationInvitation.expires_at) > now,
            )
            .order_by(col(EvaluationInvitation.id))
        )
    )


def open_evaluations(
    *, session: Session, user: User, now: datetime
) -> list[EvaluationInvitationView]:
    out = []
    for row in _mine(session, user, now):
        engagement = session.get_one(Engagement, row.engagement_id)
        coach = session.get(Coach, engagement.coach_id)
        latest = contract.current(session, engagement.id or 0)
        out.append(
            EvaluationInvitationView(
                id=row.id or 0,
                engagement_id=row.engagement_id,
                role=row.role,
                coach_name=coach.name if coach else None,
                objectives=list(latest.objectives)[: row.objectives] if latest else [],
                expires_at=row.expires_at,
            )
        )
    return out


def answer(
    *,
    session: Session,
    settings: Settings,
    user: User,
    invitation_id: int,
    data: EvaluationIn,
    now: datetime,
) -> None:
    """Record an answer, detached: nothing of it names the person or the engagement."""
    row = next((r for r in _mine(session, user, now) if r.id == invitation_id), None)
    if row is None:
        raise NotFound(messages.NOT_FOUND.format(what="evaluation"))
    if len(data.objectives) != row.objectives:
        raise InvalidInput(
            messages.EVALUATION_SCORES.format(count=row.objectives), field="objectives"
        )
    engagement = session.get_one(Engagement, row.engagement_id)
    request = session.get_one(CoachingRequest, engagement.request_id)
    coach = session.get_one(Coach, engagement.coach_id)
    cell = EvaluationCell(
        period=quarter(engagement.ended_at or now),
        request_type=request.coaching_type,
        unit=coarse_unit(session, request.coachee_id, settings.evaluation_unit_level),
        coach_kind=coach.kind.value,
        respondent=row.role,
    )
    testimonial = (data.testimonial or "").strip() or None
    quotable = bool(testimonial) and data.quotable
    if (
        quotable
        and testimonial
        and row.role == Role.coachee.value
        and not testimonials.given(session, engagement.id or 0)
    ):
        # a coachee's quotable text becomes the engagement's testimonial, kept apart from
        # this answer (which keeps only that there was one)
        testimonials.pool(
            session=session, settings=settings, engagement_id=engagement.id or 0, text=testimonial
        )
        testimonial = None
    _pool_with(
        session,
        PendingEvaluation(
            id=secrets.token_hex(16),
            **cell.model_dump(),
            satisfaction=data.satisfaction,
            recommend=data.recommend,
            objectives=list(data.objectives),
            testimonial=testimonial,
            quotable=quotable,
        ),
    )
    tally = session.get(CoachEvaluationTally, coach.id) or CoachEvaluationTally(
        coach_id=coach.id or 0
    )
    tally.pending_count += 1
    tally.pending_satisfaction += data.satisfaction
    tally.pending_recommend += int(data.recommend)
    tally.pending_objective_sum += sum(data.objectives)
    tally.pending_objective_count += len(data.objectives)
    session.add(tally)
    session.delete(row)  # nothing keeps who answered
    session.commit()


def _pool_with(session: Session, row: PendingEvaluation) -> None:
    """Add `row` to the pool and write the whole pool again in the order of its content,
    so the order the database keeps the rows in (SQLite's rowid, PostgreSQL's ctid) says
    nothing of when each answer came. The pool is small: less than k answers per cell."""
    pool = list(session.exec(select(PendingEvaluation)))
    copies: list[PendingEvaluation] = [PendingEvaluation(**r.model_dump()) for r in pool]
    for old in pool:
        session.expunge(old)
    session.execute(delete(PendingEvaluation))
    copies.append(row)
    copies.sort(key=_content_key)
    session.add_all(copies)
    session.flush()


def _content_key(row: PendingEvaluation) -> tuple[object, ...]:
    return (
        row.satisfaction,
        row.recommend,
        tuple(row.objectives),
        row.testimonial or "",
        row.quotable,
        row.id,  # random: equal answers in no meaningful order
    )


def release(*, session: Session, settings: Settings, now: datetime) -> int:
    """Move every cell of at least k pending answers to the released answers, and each
    coach's pending tally once it holds k; forget expired invitations. Commits; returns
    the answers released. Safe to run again (what is left is below k)."""
    k = settings.evaluation_k
    cells: defaultdict[tuple[str, ...], list[PendingEvaluation]] = defaultdict(list)
    for row in session.exec(select(PendingEvaluation)):
        cells[(row.period, row.request_type, row.unit, row.coach_kind, row.respondent)].append(row)
    released = 0
    for rows in cells.values():
        if len(rows) < k:
            continue
        for row in sorted(rows, key=_content_key):
            values = row.model_dump(exclude={"id"})
            session.add(EvaluationAnswer(**values, batch=now.date()))
            session.delete(row)
        released += len(rows)
    for tally in session.exec(
        select(CoachEvaluationTally).where(CoachEvaluationTally.pending_count >= k)
    ):
        for name in ("count", "satisfaction", "recommend", "objective_sum", "objective_count"):
            setattr(
                tally,
                f"released_{name}",
                getattr(tally, f"released_{name}") + getattr(tally, f"pending_{name}"),
            )
            setattr(tally, f"pending_{name}", 0)
        session.add(tally)
    session.execute(delete(EvaluationInvitation).where(col(EvaluationInvitation.expires_at) <= now))
    session.commit()
    if released:
        log.info("evaluations: %d answers released", released)
    return released


def coach_summary(*, session: Session, settings: Settings, user: User) -> CoachEvaluationSummary:
    k = settings.evaluation_k
    tally = session.get(CoachEvaluationTally, user.coach_id) if user.coach_id else None
    if tally is None or tally.released_count < k:
        return CoachEvaluationSummary(
            k=k, answers=None, satisfaction=None, recommend_share=None, objectives=None
        )
    n = tally.released_count
    return CoachEvaluationSummary(
        k=k,
        answers=n,
        satisfaction=round(tally.released_satisfaction / n, 2),
        recommend_share=round(tally.released_recommend / n, 2),
        objectives=(
            round(tally.released_objective_sum / tally.released_objective_count, 2)
            if tally.released_objective_count
            else None
        ),
    )
