"""Moving an engagement on by hand: a party ends it early, the coach puts it on hold and
resumes it, records the mid-way and the final reviews; the coachee asks for another
coach and HR reassigns. Each checks the state (`lifecycle.require`: 409 naming it) and
does all its work in one transaction: the remaining sessions are cancelled with CANCEL
invites, planned again on resume or with the new coach."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from api import messages
from api.coaches.lock import lock_coach
from api.engagements import contract, lifecycle
from api.engagements.lifecycle import Action, require
from api.errors import Conflict, InvalidInput, NotFound
from api.models import (
    Coach,
    CoachingRequest,
    CoachingSession,
    Engagement,
    PairAdjustment,
    User,
)
from api.models.enums import (
    AdjustmentKind,
    EndReason,
    EngagementStatus,
    RequestStatus,
    SessionStatus,
)
from api.sessions.service import cancel_remaining, create_sessions, plan_first
from api.settings import Settings

log = logging.getLogger(__name__)
S = EngagementStatus


def sessions_left(session: Session, request: CoachingRequest) -> int:
    """The sessions still owed on the request: its number (the current contract's frame
    when there is one) less those held or missed with any of its coaches."""
    total = request.sessions
    latest = session.exec(
        select(Engagement)
        .where(Engagement.request_id == request.id)
        .order_by(col(Engagement.id).desc())
    ).first()
    if latest is not None:
        version = contract.current(session, latest.id or 0)
        if version is not None:
            total = int(version.frame.get("sessions", total))
    over = session.exec(
        select(func.count())
        .select_from(CoachingSession)
        .join(Engagement, col(Engagement.id) == CoachingSession.engagement_id)
        .where(
            Engagement.request_id == request.id,
            col(CoachingSession.status).in_([SessionStatus.held, SessionStatus.no_show]),
        )
    ).one()
    return max(0, total - over)


def _finish(
    session: Session,
    settings: Settings,
    engagement: Engagement,
    request: CoachingRequest,
    state: EngagementStatus,
    now: datetime,
) -> None:
    """An engagement that is over: the request is closed, the evaluations open."""
    from api.evaluations.service import invite

    lifecycle.move(engagement, state, now)
    engagement.ended_at = now
    session.add(engagement)
    request.status = RequestStatus.closed
    request.updated_at = now
    session.add(request)
    invite(session=session, settings=settings, engagement=engagement, request=request, now=now)


def end(
    *,
    session: Session,
    settings: Settings,
    user: User,
    engagement_id: int,
    reason: EndReason,
    now: datetime,
) -> Engagement:
    """A party ends the engagement early, with a reason code: the remaining sessions are
    cancelled (CANCEL to everyone), the request closed, the evaluations opened."""
    engagement, request = contract._load(session, user, engagement_id)
    require(engagement, Action.end)
    role = contract.party_role(user, request)
    cancel_remaining(
        session=session, settings=settings, engagement=engagement, now=now, cancelled_by=role
    )
    engagement.end_reason = reason
    engagement.ended_by = role
    _finish(session, settings, engagement, request, S.ended_early, now)
    session.commit()
    log.info("engagement %s ended early by the %s (%s)", engagement_id, role, reason.value)
    return engagement


def hold(
    *,
    session: Session,
    settings: Settings,
    user: User,
    engagement_id: int,
    keep_capacity: bool,
    now: datetime,
) -> Engagement:
    """The coach suspends the engagement: its remaining sessions are cancelled; the seat
    is kept for it, or released for others (`keep_capacity`)."""
    engagement, _ = contract._load(session, user, engagement_id)
    require(engagement, Action.hold)
    cancel_remaining(
        session=session, settings=settings, engagement=engagement, now=now, cancelled_by="coach"
    )
    engagement.status_before_hold = engagement.status
    engagement.hold_keeps_capacity = keep_capacity
    lifecycle.move(engagement, S.on_hold, now)
    session.add(engagement)
    session.commit()
    log.info("engagement %s on hold", engagement_id)
    return engagement


def resume(
    *, session: Session, settings: Settings, user: User, engagement_id: int, now: datetime
) -> Engagement:
    """Back where it was, with the sessions still owed planned again from now (409 with
    the planner's reason when they cannot be placed: nothing changes)."""
    engagement, request = contract._load(session, user, engagement_id)
    require(engagement, Action.resume)
    coach = session.get(Coach, engagement.coach_id)
    assert coach is not None
    if not engagement.hold_keeps_capacity:
        _check_seat(session, coach, engagement)
    left = sessions_left(session, request)
    if left:
        placed = plan_first(
            session=session, settings=settings, request=request, coach=coach, now=now, sessions=left
        )
        last = session.exec(
            select(func.max(CoachingSession.number)).where(
                CoachingSession.engagement_id == engagement.id
            )
        ).one()
        create_sessions(
            session=session,
            settings=settings,
            engagement=engagement,
            request=request,
            coach=coach,
            placed=placed,
            now=now,
            after=last or 0,
        )
    lifecycle.move(engagement, engagement.status_before_hold or S.proposed, now)
    engagement.status_before_hold = None
    engagement.hold_keeps_capacity = True
    session.add(engagement)
    lifecycle.settle(session, engagement, now, midway=settings.midway_review)
    session.commit()
    return engagement


def _check_seat(session: Session, coach: Coach, engagement: Engagement) -> None:
    """A hold that released its seat takes it back only if the coach has one free (409
    otherwise: the seat went to someone else meanwhile)."""
    others = session.exec(
        select(Engagement).where(Engagement.coach_id == coach.id, Engagement.id != engagement.id)
    )
    taken = sum(1 for row in others if lifecycle.holds_capacity(row))
    if taken >= coach.max_coachees:
        raise Conflict(
            messages.RESUME_NO_SEAT.format(taken=taken, seats=coach.max_coachees),
            field="keep_capacity",
        )


def review(
    *, session: Session, settings: Settings, user: User, engagement_id: int, now: datetime
) -> Engagement:
    """The coach records the mid-way tripartite review: the work goes on."""
    engagement, _ = contract._load(session, user, engagement_id)
    require(engagement, Action.review)
    engagement.midway_review_at = now
    lifecycle.move(engagement, S.in_progress, now)
    session.add(engagement)
    lifecycle.settle(session, engagement, now, midway=settings.midway_review)
    session.commit()
    return engagement


def close(
    *, session: Session, settings: Settings, user: User, engagement_id: int, now: datetime
) -> Engagement:
    """The coach records the final tripartite review: completed, the evaluations open."""
    engagement, request = contract._load(session, user, engagement_id)
    require(engagement, Action.close)
    _finish(session, settings, engagement, request, S.completed, now)
    session.commit()
    log.info("engagement %s completed", engagement_id)
    return engagement


def ask_coach_change(
    *, session: Session, settings: Settings, user: User, engagement_id: int, now: datetime
) -> Engagement:
    """The coachee asks HR for another coach (HR is told; nothing else changes)."""
    from api.notifications.events import coach_change_asked

    engagement, _ = contract._load(session, user, engagement_id)
    require(engagement, Action.coach_change)
    if engagement.coach_change_requested_at is None:
        engagement.coach_change_requested_at = now
        session.add(engagement)
        coach_change_asked(session=session, settings=settings, engagement=engagement, now=now)
        session.commit()
    return engagement


def reassign(
    *,
    session: Session,
    settings: Settings,
    engagement_id: int,
    coach_id: int | None,
    now: datetime,
) -> Engagement:
    """HR gives the coachee another coach, keeping the history: the engagement becomes
    reassigned, its remaining sessions are cancelled, its coach is excluded from the
    request from now on. With `coach_id` the new coach is checked like a proposal (the
    matcher's rules) and a new engagement goes on with the sessions still owed and the
    contract's last version; without, the request is open for the next round."""
    from api.rounds.labels import label
    from api.rounds.problem import build_problem, ckey, pair_problems, rkey
    from api.rounds.schemas import RoundParamsIn
    from api.rounds.views import resolve_params

    old = session.get(Engagement, engagement_id)
    if old is None:
        raise NotFound(messages.NOT_FOUND.format(what="engagement"))
    lock_coach(session, old.coach_id)
    session.expire_all()
    old = session.get_one(Engagement, engagement_id)
    require(old, Action.reassign)
    if coach_id is not None and coach_id == old.coach_id:
        raise InvalidInput(messages.REASSIGN_SAME_COACH, field="coach_id")
    coach = session.get(Coach, coach_id) if coach_id is not None else None
    if coach_id is not None and coach is None:
        raise InvalidInput(messages.NOT_FOUND.format(what="coach"), field="coach_id")
    request = release(
        session=session,
        settings=settings,
        engagement=old,
        reason=EndReason.neutrality if old.flag_reason else EndReason.coachee_request,
        now=now,
    )
    if coach is None or coach_id is None:
        session.commit()
        log.info("engagement %s reassigned: request %s open again", engagement_id, request.id)
        return old
    lock_coach(session, coach_id)
    params = resolve_params(RoundParamsIn(), settings=settings, now=now)
    built = build_problem(
        session=session,
        settings=settings,
        now=now,
        params=params,
        request_ids=[request.id or 0],
        coach_ids=[coach_id],
    )
    problems = pair_problems(built, rkey(request.id or 0), ckey(coach_id))
    if problems:
        reasons = ", ".join(label(code) for code in problems)
        raise Conflict(messages.PROPOSAL_NO_LONGER_HOLDS.format(reasons=reasons), field="coach_id")
    new = start_engagement(
        session=session, settings=settings, request=request, coach=coach, now=now, predecessor=old
    )
    session.commit()
    log.info("engagement %s reassigned: engagement %s goes on", engagement_id, new.id)
    return new


def release(
    *,
    session: Session,
    settings: Settings,
    engagement: Engagement,
    reason: EndReason,
    now: datetime,
) -> CoachingRequest:
    """HR takes the engagement from its coach (a reassignment, or the coach's erasure):
    its remaining sessions are cancelled (CANCEL to everyone), it becomes reassigned, its
    coach is excluded from the request, and the request is open for the next round. The
    state is the caller's to check; the caller commits."""
    request = session.get_one(CoachingRequest, engagement.request_id)
    cancel_remaining(
        session=session, settings=settings, engagement=engagement, now=now, cancelled_by="hr"
    )
    lifecycle.move(engagement, S.reassigned, now)
    engagement.ended_at = now
    engagement.end_reason = engagement.end_reason or reason
    engagement.ended_by = "hr"
    session.add(engagement)
    excluded = session.exec(
        select(PairAdjustment).where(
            PairAdjustment.request_id == request.id,
            PairAdjustment.coach_id == engagement.coach_id,
        )
    ).first()
    if excluded is None:
        session.add(
            PairAdjustment(
                request_id=request.id or 0,
                coach_id=engagement.coach_id,
                kind=AdjustmentKind.forbid,
                created_at=now,
            )
        )
    elif excluded.kind != AdjustmentKind.forbid:
        excluded.kind, excluded.weight = AdjustmentKind.forbid, None
        session.add(excluded)
    request.status = RequestStatus.open
    request.updated_at = now
    session.add(request)
    session.flush()
    return request


def start_engagement(
    *,
    session: Session,
    settings: Settings,
    request: CoachingRequest,
    coach: Coach,
    now: datetime,
    predecessor: Engagement | None = None,
    proposal_id: int | None = None,
    promised: datetime | None = None,
) -> Engagement:
    """A new engagement (proposed) with its sessions planned and invited: all of the
    request's, or those still owed after a coach change (whose contract carries over); the
    first at ``promised`` (the proposal's) while it is free. 409 when the sessions cannot
    be planned. The caller commits."""
    from api.notifications.events import new_engagement

    left = sessions_left(session, request) if predecessor is not None else request.sessions
    placed = plan_first(
        session=session, settings=settings, request=request, coach=coach, now=now,
        sessions=max(1, left), promised=promised,
    )  # fmt: skip
    request.status = RequestStatus.matched
    request.updated_at = now
    session.add(request)
    engagement = Engagement(
        request_id=request.id or 0,
        coach_id=coach.id or 0,
        proposal_id=proposal_id,
        status=S.proposed,
        predecessor_id=predecessor.id if predecessor is not None else None,
        confirmed_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(engagement)
    session.flush()
    create_sessions(
        session=session,
        settings=settings,
        engagement=engagement,
        request=request,
        coach=coach,
        placed=placed,
        now=now,
    )
    if predecessor is not None:
        contract.carry_over(session, predecessor, engagement, request, now)
    new_engagement(session=session, settings=settings, engagement=engagement, now=now)
    return engagement


def latest_reassigned(session: Session, request_id: int) -> Engagement | None:
    """The engagement a new one on this request continues, if its coach was changed."""
    return session.exec(
        select(Engagement)
        .where(Engagement.request_id == request_id, Engagement.status == S.reassigned)
        .order_by(col(Engagement.id).desc())
    ).first()
