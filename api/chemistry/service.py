"""Booking and cancelling a chemistry call: only the coachee of an open proposal, one
booked call per proposal, in the coach's and the coachee's free time (the planner's own
availability and bookings, `api.sessions.availability`), never in the past. A booked call
is busy time for both (`bookings` counts it) and is invited like a session, with nothing
of the request in the invite."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api.chemistry import invites
from api.coaches.lock import lock_coach
from api.errors import Conflict, InvalidInput, NotFound
from api.models import Coach, CoachingRequest, Proposal, User
from api.models.chemistry import CallState, ChemistryCall
from api.models.enums import ProposalStatus, RequestStatus
from api.sessions.availability import PlanningData, coach_key, person_key
from api.sessions.invites import uid_domain
from api.settings import Settings
from scheduling.freetime import free_windows
from scheduling.intervals import Interval, Intervals, intersect
from scheduling.invites import Method

log = logging.getLogger(__name__)

STEP = timedelta(minutes=30)  # offered starts: on the hour and the half hour
HORIZON = timedelta(days=14)  # a call is for choosing soon, not in a month
SHOWN = 6  # starts offered at once

# English for the API; the pages say it from the catalog by the error's `code`.
OFF = "this programme offers no chemistry calls"
NOT_FOUND = "proposal not found"
CLOSED = "this proposal is no longer open: the coach was chosen or set aside"
PAST = "the call must start in the future"
TOO_FAR = "the call must start within {days} days"
NOT_FREE = "the coach or you are not free then; the next free starts are given"
ALREADY = "a chemistry call is already booked for this proposal"
NO_CALL = "no chemistry call is booked for this proposal"
STARTED = "the call has started; it can no longer be cancelled"
OVERLAP = (
    "you already have a chemistry call booked from {start} to {end}: choose a start that "
    "does not overlap it"
)


@dataclass(frozen=True)
class Offer:
    """What the coachee may do about one proposal: its booked call, or the starts free."""

    proposal_id: int
    minutes: int
    call: ChemistryCall | None
    starts: tuple[datetime, ...]


def minutes_of(settings: Settings) -> int:
    """The call's length; 404 when the programme offers none."""
    if settings.chemistry_call_minutes == 0:
        raise NotFound(OFF, field="proposal_id", code="off")
    return settings.chemistry_call_minutes


def _own(session: Session, proposal_id: int, actor: User) -> tuple[Proposal, CoachingRequest]:
    """The proposal when it is the actor's (404 otherwise: another's is not even named)."""
    proposal = session.get(Proposal, proposal_id)
    request = session.get(CoachingRequest, proposal.request_id) if proposal else None
    if proposal is None or request is None or request.coachee_id != actor.person_id:
        raise NotFound(NOT_FOUND, field="proposal_id", code="not_found")
    return proposal, request


def _open(session: Session, proposal_id: int, actor: User) -> tuple[Proposal, CoachingRequest]:
    proposal, request = _own(session, proposal_id, actor)
    if proposal.status != ProposalStatus.proposed or request.status != RequestStatus.proposed:
        raise Conflict(CLOSED, field="proposal_id", code="closed")
    return proposal, request


def booked_call(session: Session, proposal_id: int) -> ChemistryCall | None:
    return session.exec(
        select(ChemistryCall).where(
            ChemistryCall.proposal_id == proposal_id, ChemistryCall.state == CallState.booked
        )
    ).first()


def _free(
    session: Session, settings: Settings, coach: Coach, coachee_id: int, now: datetime
) -> Intervals:
    """When both are free over the next two weeks: the coach's windows net of their
    bookings (with the buffer the planner keeps around them), and the coachee's."""
    data = PlanningData(session=session, settings=settings, start=now, coaches=[coach])
    ck, pk = coach_key(coach), person_key(coachee_id)
    buffer = timedelta(minutes=settings.coach_buffer_minutes)
    coach_busy = [Interval(b.start - buffer, b.end + buffer) for b in data.booked.get(ck, [])]
    end = now + HORIZON
    return intersect(
        free_windows(data.availability_of(ck, coach=coach), now, end, coach_busy),
        free_windows(data.availability_of(pk), now, end, data.booked.get(pk, [])),
    )


def _starts(free: Intervals, length: timedelta, now: datetime, count: int) -> tuple[datetime, ...]:
    step = int(STEP.total_seconds())
    found: list[datetime] = []
    for window in free:
        first = max(window.start, now + timedelta(seconds=1))
        candidate = first + timedelta(seconds=-int(first.timestamp()) % step)
        while candidate + length <= window.end and len(found) < count:
            found.append(candidate)
            candidate += STEP
    return tuple(found)


def offer(
    *, session: Session, settings: Settings, proposal: Proposal, coachee_id: int, now: datetime
) -> Offer:
    """The booked call of an open proposal, else the next free starts. Reads only."""
    minutes = settings.chemistry_call_minutes
    assert proposal.id is not None and minutes > 0
    call = booked_call(session, proposal.id)
    if call is not None:
        return Offer(proposal.id, minutes, call, ())
    coach = session.get_one(Coach, proposal.coach_id)
    free = _free(session, settings, coach, coachee_id, now)
    return Offer(proposal.id, minutes, None, _starts(free, timedelta(minutes=minutes), now, SHOWN))


def starts_for(
    *, session: Session, settings: Settings, proposal_id: int, actor: User, now: datetime
) -> Offer:
    minutes_of(settings)
    proposal, request = _open(session, proposal_id, actor)
    return offer(
        session=session,
        settings=settings,
        proposal=proposal,
        coachee_id=request.coachee_id,
        now=now,
    )


def book(
    *,
    session: Session,
    settings: Settings,
    proposal_id: int,
    actor: User,
    start: datetime,
    now: datetime,
) -> ChemistryCall:
    """Book the call at `start`: 422 naming `start_at` in the past or too far ahead, 409
    naming it (with `next_starts`) when the coachee holds another call then (`overlap`)
    or either is not free then (`not_free`), 409 when one is booked for the proposal (the
    rule: one call per proposed coach, so at most that many per request)."""
    length = timedelta(minutes=minutes_of(settings))
    proposal, request = _open(session, proposal_id, actor)
    if start <= now:
        raise InvalidInput(PAST, field="start_at", code="past")
    if start > now + HORIZON:
        raise InvalidInput(
            TOO_FAR.format(days=HORIZON.days), field="start_at", code="too_far", days=HORIZON.days
        )
    release_closed(session=session, settings=settings, now=now)
    lock_coach(session, proposal.coach_id)  # two bookings of one coach: one at a time
    if booked_call(session, proposal_id) is not None:
        session.rollback()
        raise Conflict(ALREADY, field="proposal_id", code="already")
    coach = session.get_one(Coach, proposal.coach_id)
    free = _free(session, settings, coach, request.coachee_id, now)
    held = _overlapping(session, request.coachee_id, start, start + length)
    if held is not None:  # their own call with another coach: said as such
        after = _starts(free, length, max(now, start - STEP), SHOWN)
        session.rollback()
        raise Conflict(
            OVERLAP.format(start=held.start_at.isoformat(), end=held.end_at.isoformat()),
            field="start_at",
            code="overlap",
            next_starts=[s.isoformat() for s in after],
        )
    if not any(w.contains(Interval(start, start + length)) for w in free):
        after = _starts(free, length, max(now, start - STEP), SHOWN)
        session.rollback()
        raise Conflict(
            NOT_FREE,
            field="start_at",
            code="not_free",
            next_starts=[s.isoformat() for s in after],
        )
    call = ChemistryCall(
        proposal_id=proposal_id,
        coach_id=proposal.coach_id,
        coachee_id=request.coachee_id,
        start_at=start,
        end_at=start + length,
        uid=f"chemistry-{secrets.token_hex(12)}@{uid_domain(settings)}",
        created_at=now,
    )
    session.add(call)
    try:
        session.flush()
    except IntegrityError:  # the same proposal booked at the same instant elsewhere
        session.rollback()
        raise Conflict(ALREADY, field="proposal_id", code="already") from None
    invites.queue(session=session, settings=settings, call=call, method=Method.REQUEST, now=now)
    session.commit()
    session.refresh(call)
    log.info("chemistry call %s booked for proposal %s", call.id, proposal_id)
    return call


def _overlapping(
    session: Session, coachee_id: int, start: datetime, end: datetime
) -> ChemistryCall | None:
    """The coachee's booked call (with any coach) that overlaps [start, end), if any."""
    return session.exec(
        select(ChemistryCall)
        .where(
            ChemistryCall.coachee_id == coachee_id,
            ChemistryCall.state == CallState.booked,
            col(ChemistryCall.start_at) < end,
            col(ChemistryCall.end_at) > start,
        )
        .order_by(col(ChemistryCall.start_at))
    ).first()


def list_calls(
    *,
    session: Session,
    now: datetime,
    upcoming: bool,
    limit: int,
    offset: int,
    coach_id: int | None = None,
) -> tuple[list[ChemistryCall], int]:
    """Calls, booked or cancelled: those still to end (soonest first) or those over
    (latest first); one coach's only when `coach_id` is given. Reads only."""
    query = select(ChemistryCall).where(
        col(ChemistryCall.end_at) > now if upcoming else col(ChemistryCall.end_at) <= now
    )
    if coach_id is not None:
        query = query.where(ChemistryCall.coach_id == coach_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    order = (
        (col(ChemistryCall.start_at), col(ChemistryCall.id))
        if upcoming
        else (col(ChemistryCall.start_at).desc(), col(ChemistryCall.id).desc())
    )
    rows = session.exec(query.order_by(*order).limit(limit).offset(offset)).all()
    return list(rows), total


def _cancel(
    session: Session, settings: Settings, call: ChemistryCall, now: datetime, by: str | None
) -> None:
    call.state, call.cancelled_at = CallState.cancelled, now
    call.sequence += 1
    session.add(call)
    invites.queue(
        session=session, settings=settings, call=call, method=Method.CANCEL, now=now, by=by
    )


def cancel(
    *, session: Session, settings: Settings, proposal_id: int, actor: User, now: datetime
) -> ChemistryCall:
    """The coachee cancels their call (404 when none is booked, 409 once it started)."""
    _own(session, proposal_id, actor)
    call = booked_call(session, proposal_id)
    if call is None:
        raise NotFound(NO_CALL, field="proposal_id", code="no_call")
    if call.start_at <= now:
        raise Conflict(STARTED, field="proposal_id", code="started")
    _cancel(session, settings, call, now, "coachee")
    session.commit()
    return call


def release_closed(*, session: Session, settings: Settings, now: datetime) -> int:
    """Cancel (with METHOD:CANCEL to both) the future calls of the proposals set aside:
    another coach chosen, the proposal rejected or superseded, the request decided or
    cancelled. The caller commits. Returns how many."""
    rows = session.exec(
        select(ChemistryCall, Proposal, CoachingRequest)
        .join(Proposal, col(Proposal.id) == ChemistryCall.proposal_id)
        .join(CoachingRequest, col(CoachingRequest.id) == Proposal.request_id)
        .where(ChemistryCall.state == CallState.booked, col(ChemistryCall.start_at) > now)
    ).all()
    closed = [
        call
        for call, proposal, request in rows
        if proposal.status in (ProposalStatus.rejected, ProposalStatus.superseded)
        or (proposal.status == ProposalStatus.proposed and request.status != RequestStatus.proposed)
    ]
    for call in closed:
        _cancel(session, settings, call, now, None)
    return len(closed)


def cancel_for_erasure(
    *, session: Session, settings: Settings, person_id: int, coach_id: int | None, now: datetime
) -> None:
    """An erased person's future calls, as coachee or coach, are cancelled (the other
    party is told; the erased person is mailed nothing). The caller commits."""
    who = col(ChemistryCall.coachee_id) == person_id
    if coach_id is not None:
        who = who | (col(ChemistryCall.coach_id) == coach_id)
    for call in session.exec(
        select(ChemistryCall).where(
            who, ChemistryCall.state == CallState.booked, col(ChemistryCall.start_at) > now
        )
    ):
        _cancel(session, settings, call, now, "hr")
