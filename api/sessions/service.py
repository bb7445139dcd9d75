"""Sessions of an engagement: planned at confirmation, rescheduled, cancelled, and marked
held or no-show. Every change bumps the iCalendar SEQUENCE and queues the invites in the
same transaction. Nobody is double-booked: every check counts all of a person's planned
sessions, whatever the engagement.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from api import messages
from api.coaches.lock import lock_coach
from api.engagements.lifecycle import Action, require, settle
from api.errors import Conflict, InvalidInput, NotFound
from api.models import Coach, CoachingRequest, CoachingSession, Engagement, SessionAttendance, User
from api.models.enums import Role, SessionStatus
from api.sessions.attendance import double_booked, sync_attendance
from api.sessions.availability import (
    Pair,
    PlanningData,
    cadence_bounds,
    coach_key,
    person_key,
    planning_config,
)
from api.sessions.invites import queue_invites, uid_domain
from api.sessions.promised import plan_pair
from api.settings import Settings
from scheduling.freetime import free_windows
from scheduling.intervals import Interval
from scheduling.invites import Method, session_uid
from scheduling.plan_types import PlacedSession, SessionRef
from scheduling.replan import replan
from scheduling.timezones import get_zone, local_date

log = logging.getLogger(__name__)

OUTCOMES = (SessionStatus.held, SessionStatus.no_show)


@dataclass(frozen=True)
class SessionContext:
    row: CoachingSession
    engagement: Engagement
    request: CoachingRequest
    coach: Coach


def plan_first(
    *,
    session: Session,
    settings: Settings,
    request: CoachingRequest,
    coach: Coach,
    now: datetime,
    sessions: int | None = None,
    promised: datetime | None = None,
) -> tuple[PlacedSession, ...]:
    """All the sessions of ``request`` with ``coach`` (or the ``sessions`` left of it),
    planned from now around everyone's bookings, the first at ``promised`` (the proposal's
    first session) while it is still free (`api.sessions.promised`); Conflict (409) with
    the planner's reason when they cannot all be placed. Reads only."""
    data = PlanningData(session=session, settings=settings, start=now, coaches=[coach])
    plan = plan_pair(
        data,
        settings=settings,
        request=request,
        coach=coach,
        now=now,
        promised=promised,
        sessions=sessions,
    )
    if not plan.sessions:
        raise Conflict(
            messages.SESSIONS_NOT_PLACED.format(reason=plan.reason),
            field="sessions",
        )
    return plan.sessions


def create_sessions(
    *,
    session: Session,
    settings: Settings,
    engagement: Engagement,
    request: CoachingRequest,
    coach: Coach,
    placed: Sequence[PlacedSession],
    now: datetime,
    after: int = 0,
) -> list[CoachingSession]:
    """Store planned sessions (SEQUENCE 0, stable UIDs) and queue their invites
    (METHOD:REQUEST); numbered on from ``after`` (a resumed engagement's); the caller
    commits."""
    assert engagement.id is not None
    domain = uid_domain(settings)
    rows = []
    for placed_session in placed:
        number = after + placed_session.index
        row = CoachingSession(
            engagement_id=engagement.id,
            number=number,
            start_at=placed_session.start,
            end_at=placed_session.end,
            status=SessionStatus.planned,
            sequence=0,
            # The base URL keeps UIDs apart between two deployments' engagement 1.
            uid=session_uid(f"{settings.base_url}#{engagement.id}", number, domain),
            last_change_at=now,
            created_at=now,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    sync_attendance(session, rows, request, coach)
    for row in rows:
        queue_invites(
            session=session,
            settings=settings,
            row=row,
            request=request,
            coach=coach,
            engagement=engagement,
            method=Method.REQUEST,
            now=now,
        )
    return rows


def _context(session: Session, session_id: int, actor: User) -> SessionContext:
    """The session if ``actor`` may act on it (HR: any; a coach or coachee: their own);
    404 otherwise, so other people's sessions are not revealed."""
    found = session.exec(
        select(CoachingSession, Engagement, CoachingRequest, Coach)
        .join(Engagement, col(Engagement.id) == CoachingSession.engagement_id)
        .join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id)
        .join(Coach, col(Coach.id) == Engagement.coach_id)
        .where(CoachingSession.id == session_id)
    ).first()
    if found is not None:
        ctx = SessionContext(*found)
        if (
            actor.role == Role.hr
            or (actor.role == Role.coach and ctx.engagement.coach_id == actor.coach_id)
            or (actor.role == Role.coachee and ctx.request.coachee_id == actor.person_id)
        ):
            return ctx
    raise NotFound(messages.NOT_FOUND.format(what="session"))


def session_for(*, session: Session, session_id: int, actor: User) -> CoachingSession:
    """The session if ``actor`` takes part in it (or is HR); 404 otherwise."""
    return _context(session, session_id, actor).row


def _locked_context(session: Session, session_id: int, actor: User) -> SessionContext:
    """The session as it is once this change holds its coach's lock: every change to a
    coach's sessions waits for the one before and then reads what it committed, so two
    simultaneous changes never both build on the same SEQUENCE (no invite is lost, the
    SEQUENCE never repeats or goes back, the last invite matches the stored state)."""
    ctx = _context(session, session_id, actor)
    assert ctx.coach.id is not None
    lock_coach(session, ctx.coach.id)
    session.expire_all()  # forget what was read before the lock
    return _context(session, session_id, actor)


def _check_status(row: CoachingSession, allowed: Sequence[SessionStatus]) -> None:
    if row.status not in allowed:
        raise Conflict(
            messages.SESSION_STATE.format(
                status=row.status.value, allowed=" or ".join(s.value for s in allowed)
            ),
            field="status",
        )


def _siblings(session: Session, engagement_id: int) -> list[CoachingSession]:
    """The engagement's sessions that still count (not cancelled), in order."""
    return list(
        session.exec(
            select(CoachingSession)
            .where(
                CoachingSession.engagement_id == engagement_id,
                CoachingSession.status != SessionStatus.cancelled,
            )
            .order_by(col(CoachingSession.number))
        )
    )


def _change(
    session: Session,
    settings: Settings,
    ctx: SessionContext,
    row: CoachingSession,
    method: Method,
    now: datetime,
    *,
    previous: tuple[datetime, datetime] | None = None,
    cancelled_by: str | None = None,
) -> None:
    from api.notifications.reminders import drop_pending_reminders

    row.sequence += 1
    row.last_change_at = now
    session.add(row)
    session.flush()
    drop_pending_reminders(session, row)  # a reminder of the old time is never sent
    sync_attendance(session, [row], ctx.request, ctx.coach)
    queue_invites(
        session=session,
        settings=settings,
        row=row,
        request=ctx.request,
        coach=ctx.coach,
        engagement=ctx.engagement,
        method=method,
        now=now,
        previous=previous,
        cancelled_by=cancelled_by,
    )


def reschedule_session(
    *,
    session: Session,
    settings: Settings,
    session_id: int,
    actor: User,
    start_at: datetime | None,
    now: datetime,
) -> list[CoachingSession]:
    """Move a planned future session. With ``start_at`` the time is checked against the
    coach's, coachee's (and for session 1 the sponsor's) availability and every session
    they have, the cadence with the neighbouring sessions and the coach's daily maximum
    (the planner's rules); without it the planner finds the nearest good time, moving later sessions
    of the engagement only when the cadence requires it. Each moved session gets
    SEQUENCE+1 and updated invites. Returns the moved sessions."""
    ctx = _locked_context(session, session_id, actor)
    row = ctx.row
    _check_status(row, (SessionStatus.planned,))
    require(ctx.engagement, Action.sessions)
    if row.start_at <= now:
        raise Conflict(messages.SESSION_STARTED, field="start_at")
    before = {s.id: (s.start_at, s.end_at) for s in _siblings(session, ctx.engagement.id or 0)}
    if start_at is not None:
        _check_time(session, settings, ctx, start_at, now)
        row.end_at = start_at + (row.end_at - row.start_at)
        row.start_at = start_at
        moved = [row]
    else:
        moved = _replan(session, settings, ctx, now)
    for item in moved:
        _change(session, settings, ctx, item, Method.REQUEST, now, previous=before.get(item.id))
    session.commit()
    log.info("session %s rescheduled (%d session(s) moved)", row.id, len(moved))
    return moved


def _check_time(
    session: Session, settings: Settings, ctx: SessionContext, start_at: datetime, now: datetime
) -> None:
    row = ctx.row
    if start_at <= now:
        raise InvalidInput(messages.MUST_BE_FUTURE, field="start_at")
    wanted = Interval(start_at, start_at + (row.end_at - row.start_at))
    siblings = [s for s in _siblings(session, ctx.engagement.id or 0) if s.id != row.id]
    before = [s for s in siblings if s.number < row.number]
    after = [s for s in siblings if s.number > row.number]
    if (before and before[-1].end_at > wanted.start) or (after and after[0].start_at < wanted.end):
        raise Conflict(messages.SESSION_ORDER, field="start_at")
    data = PlanningData(
        session=session,
        settings=settings,
        start=now,
        coaches=[ctx.coach],
        exclude_sessions=[row.id or 0],
    )
    request = ctx.request
    coachee_zone = data.availability_of(person_key(request.coachee_id)).zone
    _check_cadence(
        settings,
        request,
        wanted.start,
        before[-1] if before else None,
        after[0] if after else None,
        coachee_zone,
    )
    _check_daily_maximum(settings, data, ctx.coach, wanted.start)
    people = [("coach", coach_key(ctx.coach)), ("coachee", person_key(request.coachee_id))]
    data.load_requests([request])
    people += [("member", person_key(i)) for i in data.members.get(request.id or 0, ())]
    if row.number == 1 and request.sponsor_id is not None:
        people.append(("sponsor", person_key(request.sponsor_id)))
    buffer = timedelta(minutes=settings.coach_buffer_minutes)
    for who, key in people:
        is_coach = who == "coach"
        availability = data.availability_of(key, coach=ctx.coach if is_coach else None)
        booked = data.booked.get(key, [])
        clash = next((b for b in booked if b.start < wanted.end and wanted.start < b.end), None)
        if clash is not None:
            raise double_booked(
                session, ctx.coach, who=who, key=key, start=clash.start, end=clash.end
            )
        if is_coach:  # the coach's buffer around each of their sessions
            booked = [Interval(b.start - buffer, b.end + buffer) for b in booked]
        windows = free_windows(
            availability, wanted.start - timedelta(days=1), wanted.end + timedelta(days=1), booked
        )
        if not any(w.contains(wanted) for w in windows):
            raise Conflict(messages.SESSION_UNAVAILABLE.format(who=who), field="start_at")


MOVE_STEP = timedelta(minutes=30)
MOVE_CHECKS = 60  # candidates tried at most: a refused move's page stays quick


def next_free_starts(
    *,
    session: Session,
    settings: Settings,
    session_id: int,
    actor: User,
    after: datetime,
    now: datetime,
    count: int = 3,
) -> list[datetime]:
    """The first ``count`` starts from ``after`` (on the half hour, its own start left
    out) to which the session could move: the coach's free windows propose the
    candidates, and each is checked by the very rules of a move (`_check_time`), so every
    start returned would be accepted now. Reads only; fewer (or none) when the coach's
    calendar is full."""
    ctx = _context(session, session_id, actor)
    row = ctx.row
    length = row.end_at - row.start_at
    data = PlanningData(
        session=session,
        settings=settings,
        start=now,
        coaches=[ctx.coach],
        exclude_sessions=[row.id or 0],
    )
    key = coach_key(ctx.coach)
    buffer = timedelta(minutes=settings.coach_buffer_minutes)
    booked = [Interval(b.start - buffer, b.end + buffer) for b in data.booked.get(key, [])]
    start = max(after, now)
    step = int(MOVE_STEP.total_seconds())
    horizon = start + timedelta(
        days=ctx.request.cadence_days + settings.cadence_tolerance_days + 28
    )
    windows = free_windows(data.availability_of(key, coach=ctx.coach), start, horizon, booked)
    found: list[datetime] = []
    checks = 0
    for window in windows:
        offset = -int(window.start.timestamp()) % step
        candidate = window.start + timedelta(seconds=offset)
        while candidate + length <= window.end and len(found) < count and checks < MOVE_CHECKS:
            if candidate == row.start_at:  # where it already is: no move
                candidate += MOVE_STEP
                continue
            checks += 1
            try:
                _check_time(session, settings, ctx, candidate, now)
            except (Conflict, InvalidInput):
                pass
            else:
                found.append(candidate)
            candidate += MOVE_STEP
    return found


def _check_cadence(
    settings: Settings,
    request: CoachingRequest,
    start: datetime,
    previous: CoachingSession | None,
    following: CoachingSession | None,
    zone: str,
) -> None:
    """The planner's cadence with the neighbouring sessions: calendar days between their
    starts, in the coachee's zone."""
    low, high = cadence_bounds(settings, request)
    tz = get_zone(zone)
    day = local_date(start, tz)
    sides = (
        (previous, 1, messages.SESSION_CADENCE_PREVIOUS),
        (following, -1, messages.SESSION_CADENCE_NEXT),
    )
    for other, sign, message in sides:
        if other is None:
            continue
        their = local_date(other.start_at, tz)
        if not low <= sign * (day - their).days <= high:
            raise Conflict(message.format(low=low, high=high, day=their), field="start_at")


def _check_daily_maximum(
    settings: Settings, data: PlanningData, coach: Coach, start: datetime
) -> None:
    """The coach's most sessions in a day (local day in the coach's zone), counting
    everything they attend, as the planner does."""
    key = coach_key(coach)
    zone = get_zone(data.availability_of(key, coach=coach).zone)
    day = local_date(start, zone)
    taken = sum(1 for b in data.booked.get(key, []) if local_date(b.start, zone) == day)
    limit = settings.coach_max_sessions_per_day
    if taken >= limit:
        raise Conflict(messages.SESSION_DAILY_MAX.format(limit=limit, day=day), field="start_at")


def _replan(
    session: Session, settings: Settings, ctx: SessionContext, now: datetime
) -> list[CoachingSession]:
    live = _siblings(session, ctx.engagement.id or 0)
    data = PlanningData(
        session=session,
        settings=settings,
        start=now,
        coaches=[ctx.coach],
        exclude_engagements=[ctx.engagement.id or 0],
    )
    key = f"e{ctx.engagement.id}"
    pair = Pair(key, ctx.request, ctx.coach, min(live[0].start_at, now), sessions=len(live))
    last = max(s.end_at for s in live)
    tolerance = settings.cadence_tolerance_days
    problem = data.problem(
        [pair], end=last + timedelta(days=ctx.request.cadence_days + tolerance + 2)
    )
    engagement = problem.engagements[0]
    current = [
        PlacedSession(
            key,
            index,
            s.start_at,
            s.end_at,
            engagement.coach_id,
            engagement.coachee_id,
            engagement.sponsor_id if index == 1 else None,
            engagement.members,
        )
        for index, s in enumerate(live, start=1)
    ]
    target = next(i for i, s in enumerate(live, start=1) if s.id == ctx.row.id)
    out = replan(problem, current, [SessionRef(key, target)], planning_config(settings))
    if out.result.unplaced:
        raise Conflict(
            messages.SESSION_NOT_REPLANNED.format(reason=out.result.unplaced[0].reason),
            field="start_at",
        )
    moved = []
    for move in out.moves:
        item = live[move.index - 1]
        item.end_at = move.new_start + (item.end_at - item.start_at)
        item.start_at = move.new_start
        moved.append(item)
    return moved


def cancel_session(
    *, session: Session, settings: Settings, session_id: int, actor: User, now: datetime
) -> CoachingSession:
    """Cancel a planned future session: STATUS:CANCELLED, SEQUENCE+1, METHOD:CANCEL to every
    attendee. A coachee cancels only with the configured notice. Cancelling again changes
    nothing."""
    ctx = _locked_context(session, session_id, actor)
    row = ctx.row
    if row.status == SessionStatus.cancelled:
        return row
    _check_status(row, (SessionStatus.planned,))
    require(ctx.engagement, Action.sessions)
    if row.start_at <= now:
        raise Conflict(messages.SESSION_STARTED, field="start_at")
    notice = timedelta(hours=settings.coachee_cancel_notice_hours)
    if actor.role == Role.coachee and row.start_at - now < notice:
        raise Conflict(
            messages.SESSION_NOTICE.format(hours=settings.coachee_cancel_notice_hours),
            field="start_at",
        )
    row.status = SessionStatus.cancelled
    _change(session, settings, ctx, row, Method.CANCEL, now, cancelled_by=actor.role.value)
    settle(session, ctx.engagement, now, midway=settings.midway_review)
    session.commit()
    log.info("session %s cancelled by a %s", row.id, actor.role.value)
    return row


def record_outcome(
    *,
    session: Session,
    settings: Settings,
    session_id: int,
    actor: User,
    status: SessionStatus,
    now: datetime,
) -> CoachingSession:
    """Mark a session that has started as held or no-show (a mistake can be corrected).
    The engagement moves on by itself (`api.engagements.lifecycle.settle`): in progress
    once contracted and a session is held, the mid-way review at half-way, the closing
    review once every session is over."""
    if status not in OUTCOMES:
        raise InvalidInput(
            messages.UNKNOWN_VALUE.format(allowed=", ".join(s.value for s in OUTCOMES)),
            field="status",
        )
    ctx = _context(session, session_id, actor)
    row = ctx.row
    _check_status(row, (SessionStatus.planned, *OUTCOMES))
    if row.start_at > now:
        raise Conflict(messages.SESSION_NOT_STARTED, field="status")
    row.status = status
    row.last_change_at = now
    session.add(row)
    session.flush()
    settle(session, ctx.engagement, now, midway=settings.midway_review)
    session.commit()
    return row


def cancel_remaining(
    *,
    session: Session,
    settings: Settings,
    engagement: Engagement,
    now: datetime,
    cancelled_by: str,
) -> list[CoachingSession]:
    """Cancel every planned session of ``engagement`` still to come, each with a
    METHOD:CANCEL invite to its attendees (an engagement ended, on hold or reassigned).
    Takes the coach's lock; the caller commits."""
    request = session.get(CoachingRequest, engagement.request_id)
    coach = session.get(Coach, engagement.coach_id)
    assert request is not None and coach is not None and coach.id is not None
    lock_coach(session, coach.id)
    rows = list(
        session.exec(
            select(CoachingSession)
            .where(
                CoachingSession.engagement_id == engagement.id,
                CoachingSession.status == SessionStatus.planned,
                col(CoachingSession.start_at) > now,
            )
            .order_by(col(CoachingSession.number))
        )
    )
    for row in rows:
        row.status = SessionStatus.cancelled
        ctx = SessionContext(row, engagement, request, coach)
        _change(session, settings, ctx, row, Method.CANCEL, now, cancelled_by=cancelled_by)
    return rows


def leave_sessions(
    *, session: Session, settings: Settings, attendee: str, now: datetime
) -> list[CoachingSession]:
    """`attendee` (`p<person>`) no longer attends the planned sessions still to come: each
    is updated without them (SEQUENCE+1, a METHOD:REQUEST to the others), for a person
    erased who was a sponsor or a team's member (the caller has taken them off the request
    first). Takes each coach's lock; the caller commits."""
    ids = session.exec(
        select(SessionAttendance.session_id).where(
            SessionAttendance.attendee == attendee, col(SessionAttendance.active).is_(True)
        )
    ).all()
    query = (
        select(CoachingSession, Engagement, CoachingRequest, Coach)
        .join(Engagement, col(Engagement.id) == CoachingSession.engagement_id)
        .join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id)
        .join(Coach, col(Coach.id) == Engagement.coach_id)
        .where(
            col(CoachingSession.id).in_(ids),
            CoachingSession.status == SessionStatus.planned,
            col(CoachingSession.start_at) > now,
        )
        .order_by(col(CoachingSession.start_at))
    )
    for coach_id in sorted({coach.id or 0 for _, _, _, coach in session.exec(query)}):
        lock_coach(session, coach_id)
    session.expire_all()  # read again what the locks now guard
    rows = list(session.exec(query))
    for row, engagement, request, coach in rows:
        ctx = SessionContext(row, engagement, request, coach)
        _change(session, settings, ctx, row, Method.REQUEST, now)
    return [row for row, _, _, _ in rows]
