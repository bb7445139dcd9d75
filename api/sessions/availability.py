"""Database rows → the scheduling core's inputs: availability, bookings, planner settings.

Participants are keyed as in the matching problem: ``p<person id>`` for people (an internal
coach is their person, so their bookings as coach, coachee or sponsor all count), and
``c<coach id>`` for external coaches.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from api.models import (
    AvailabilityException,
    BusyCalendar,
    BusyInterval,
    CalendarSubscription,
    Coach,
    CoachingRequest,
    CoachingSession,
    Engagement,
    ExtraWindow,
    Person,
    PersonException,
    PersonWindow,
    Proposal,
    WeeklyWindow,
)
from api.models.availability import WeeklyTimes
from api.models.chemistry import CallState, ChemistryCall
from api.models.enums import ProposalStatus, SessionStatus
from api.requests.participants import participants_of
from api.settings import Settings
from scheduling.availability import Availability, DateException, available_windows
from scheduling.availability import WeeklyWindow as CoreWeekly
from scheduling.busy_ics import parse_busy_ics
from scheduling.errors import SchedulingError
from scheduling.intervals import Interval
from scheduling.plan_types import Engagement as PlanEngagement
from scheduling.plan_types import PlanningConfig, PlanningProblem

log = logging.getLogger(__name__)

MIDNIGHT = time(0)


def person_key(person_id: int) -> str:
    return f"p{person_id}"


def coach_key(coach: Coach) -> str:
    """An internal coach is their person; an external coach is themself."""
    return person_key(coach.person_id) if coach.person_id is not None else f"c{coach.id}"


def planning_config(settings: Settings, *, polish: bool = True) -> PlanningConfig:
    limit = settings.planner_time_limit_seconds
    return PlanningConfig(
        coach_buffer_minutes=settings.coach_buffer_minutes,
        coach_max_sessions_per_day=settings.coach_max_sessions_per_day,
        solver_deterministic_limit=limit,
        # A safety net that must not bind, even on a busy machine: the deterministic limit
        # decides, so the same data gives the same plan.
        solver_time_limit_seconds=max(120.0, 60 * limit),
        polish=polish,
    )


def _exception_days(start_at: datetime, end_at: datetime, zone: str) -> list[DateException]:
    """A UTC absence as local-day exceptions, so an extra window still wins over it."""
    tz = ZoneInfo(zone)
    first, last = start_at.astimezone(tz), end_at.astimezone(tz)
    out: list[DateException] = []
    day = first.date()
    while day <= last.date():
        lo = first.time().replace(tzinfo=None) if day == first.date() else MIDNIGHT
        hi = last.time().replace(tzinfo=None) if day == last.date() else MIDNIGHT
        if day == last.date() and hi == MIDNIGHT:
            break  # ends at this day's midnight: nothing of it is taken
        if lo == MIDNIGHT and hi == MIDNIGHT:
            out.append(DateException(day))
        elif hi == MIDNIGHT or hi > lo:
            out.append(DateException(day, lo, hi))
        day += timedelta(days=1)
    return out


def coach_availability(
    *,
    session: Session,
    settings: Settings,
    coaches: Sequence[Coach],
    start: datetime,
    end: datetime,
) -> dict[int, Availability]:
    """Each coach's availability: weekly windows in the coach's zone (windows given in
    another zone become one-off windows), absences, extra windows, and busy times from the
    stored calendar file read again over ``[start, end)``."""
    ids = [c.id for c in coaches if c.id is not None]
    weekly = _rows_by_owner(session, WeeklyWindow, "coach_id", ids)
    absences = _rows_by_owner(session, AvailabilityException, "coach_id", ids, (start, end))
    extras = _rows_by_owner(session, ExtraWindow, "coach_id", ids, (start, end))
    calendars = {
        c.coach_id: c
        for c in session.exec(select(BusyCalendar).where(col(BusyCalendar.coach_id).in_(ids)))
    }
    subscribed = {
        c.coach_id: c.content
        for c in session.exec(
            select(CalendarSubscription).where(col(CalendarSubscription.coach_id).in_(ids))
        )
    }
    out: dict[int, Availability] = {}
    for coach in coaches:
        assert coach.id is not None
        zone = coach.timezone
        own = [w for w in weekly[coach.id] if w.timezone == zone]
        extra = [Interval(e.start_at, e.end_at) for e in extras[coach.id]]
        for other_zone in sorted({w.timezone for w in weekly[coach.id]} - {zone}):
            rows = [w for w in weekly[coach.id] if w.timezone == other_zone]
            extra.extend(available_windows(Availability(other_zone, _weekly(rows)), start, end))
        out[coach.id] = Availability(
            zone=zone,
            weekly=_weekly(own),
            exceptions=tuple(
                d for x in absences[coach.id] for d in _exception_days(x.start_at, x.end_at, zone)
            ),
            extra=tuple(extra),
            busy=_busy(session, settings, coach, calendars.get(coach.id), start, end)
            + _subscribed_busy(settings, coach, subscribed.get(coach.id), start, end),
        )
    return out


def _rows_by_owner(
    session: Session,
    model: type[Any],
    owner: str,
    ids: list[int],
    period: tuple[datetime, datetime] | None = None,
) -> defaultdict[int, list[Any]]:
    """The rows of ``model`` whose ``owner`` column is in ``ids``, by owner, in id order;
    with ``period``, only the intervals that overlap it."""
    query = select(model).where(col(getattr(model, owner)).in_(ids))
    if period is not None:
        query = query.where(col(model.end_at) > period[0], col(model.start_at) < period[1])
    out: defaultdict[int, list[Any]] = defaultdict(list)
    for row in session.exec(query.order_by(col(model.id))):
        out[getattr(row, owner)].append(row)
    return out


def person_availability(
    *, session: Session, people: Sequence[Person], start: datetime, end: datetime
) -> dict[int, Availability]:
    """Each person's availability in their zone: their own weekly windows, or working
    hours when they gave none; their time away over ``[start, end)`` always applies."""
    ids = [p.id for p in people if p.id is not None]
    weekly = _rows_by_owner(session, PersonWindow, "person_id", ids)
    away = _rows_by_owner(session, PersonException, "person_id", ids, (start, end))
    out: dict[int, Availability] = {}
    for person in people:
        assert person.id is not None
        zone = person.timezone
        own = _weekly(weekly[person.id]) or Availability.working_hours(zone).weekly
        out[person.id] = Availability(
            zone=zone,
            weekly=own,
            exceptions=tuple(
                d for x in away[person.id] for d in _exception_days(x.start_at, x.end_at, zone)
            ),
        )
    return out


def _weekly(rows: Iterable[WeeklyTimes]) -> tuple[CoreWeekly, ...]:
    return tuple(CoreWeekly(w.weekday, w.start_time, w.end_time) for w in rows)


def _busy(
    session: Session,
    settings: Settings,
    coach: Coach,
    calendar: BusyCalendar | None,
    start: datetime,
    end: datetime,
) -> tuple[Interval, ...]:
    if calendar is None:
        return ()
    try:
        return parse_busy_ics(
            calendar.content,
            start=start,
            end=end,
            max_bytes=max(settings.ics_max_bytes, calendar.size),
            zone=coach.timezone,
        )
    except SchedulingError:
        # Accepted at upload, so this is unexpected: fall back to what was parsed then.
        log.warning("coach %s: stored calendar no longer parses; using its busy rows", coach.id)
        rows = session.exec(
            select(BusyInterval).where(
                BusyInterval.coach_id == coach.id,
                col(BusyInterval.end_at) > start,
                col(BusyInterval.start_at) < end,
            )
        )
        return tuple(Interval(b.start_at, b.end_at) for b in rows)


def _subscribed_busy(
    settings: Settings, coach: Coach, content: bytes | None, start: datetime, end: datetime
) -> tuple[Interval, ...]:
    """Busy times of the coach's own calendar, its last good copy (`api.calendars`)."""
    if not content:
        return ()
    try:
        return parse_busy_ics(
            content,
            start=start,
            end=end,
            max_bytes=max(settings.ics_max_bytes, len(content)),
            max_occurrences=settings.ics_max_occurrences,
            zone=coach.timezone,
        )
    except SchedulingError:
        log.warning("coach %s: stored calendar copy no longer parses; not counted", coach.id)
        return ()


def bookings(
    *,
    session: Session,
    start: datetime,
    exclude_engagements: Iterable[int] = (),
    exclude_sessions: Iterable[int] = (),
) -> dict[str, list[Interval]]:
    """Every planned session ending after ``start``, per participant (a team's members and
    a mediation's parties at every session, the sponsor at session 1 only), but those
    excluded."""
    excluded = list(exclude_engagements)
    skipped = list(exclude_sessions)
    query = (
        select(CoachingSession, CoachingRequest, Coach)
        .join(Engagement, col(Engagement.id) == CoachingSession.engagement_id)
        .join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id)
        .join(Coach, col(Coach.id) == Engagement.coach_id)
        .where(CoachingSession.status == SessionStatus.planned, col(CoachingSession.end_at) > start)
        .order_by(col(CoachingSession.start_at), col(CoachingSession.id))
    )
    if excluded:
        query = query.where(col(CoachingSession.engagement_id).not_in(excluded))
    if skipped:
        query = query.where(col(CoachingSession.id).not_in(skipped))
    out: defaultdict[str, list[Interval]] = defaultdict(list)
    rows = list(session.exec(query))
    others = participants_of(session, {r.id for _, r, _ in rows if r.id is not None})
    for row, request, coach in rows:
        interval = Interval(row.start_at, row.end_at)
        out[coach_key(coach)].append(interval)
        out[person_key(request.coachee_id)].append(interval)
        for person_id in others.get(request.id or 0, ()):
            out[person_key(person_id)].append(interval)
        if row.number == 1 and request.sponsor_id is not None:
            out[person_key(request.sponsor_id)].append(interval)
    _chemistry_calls(session, start, out)
    return dict(out)


def _chemistry_calls(
    session: Session, start: datetime, out: defaultdict[str, list[Interval]]
) -> None:
    """A booked chemistry call takes the coach's and the coachee's time while its
    proposal is open or was chosen (the call of a proposal set aside no longer counts)."""
    query = (
        select(ChemistryCall, Coach)
        .join(Proposal, col(Proposal.id) == ChemistryCall.proposal_id)
        .join(Coach, col(Coach.id) == ChemistryCall.coach_id)
        .where(
            ChemistryCall.state == CallState.booked,
            col(ChemistryCall.end_at) > start,
            col(Proposal.status).in_([ProposalStatus.proposed, ProposalStatus.accepted]),
        )
        .order_by(col(ChemistryCall.start_at), col(ChemistryCall.id))
    )
    for call, coach in session.exec(query):
        interval = Interval(call.start_at, call.end_at)
        out[coach_key(coach)].append(interval)
        out[person_key(call.coachee_id)].append(interval)


def cadence_bounds(settings: Settings, request: CoachingRequest) -> tuple[int, int]:
    """The fewest and most calendar days (in the coachee's zone) between two consecutive
    sessions: ``cadence_days`` plus or minus the tolerance, at least one day."""
    tolerance = settings.cadence_tolerance_days
    return max(1, request.cadence_days - tolerance), request.cadence_days + tolerance


@dataclass(frozen=True)
class Pair:
    """A coach for a request, to plan: ``key`` names it in the planner's result."""

    key: str
    request: CoachingRequest
    coach: Coach
    earliest: datetime
    sessions: int | None = None  # default: the request's
    first_at: datetime | None = None  # the first session exactly then (a promised slot)


class PlanningData:
    """Availability and bookings over ``[start, start + busy_horizon_days)``, read once, for
    planning any number of (request, coach) pairs."""

    def __init__(
        self,
        *,
        session: Session | None,
        settings: Settings,
        start: datetime,
        coaches: Sequence[Coach],
        exclude_engagements: Iterable[int] = (),
        exclude_sessions: Iterable[int] = (),
    ) -> None:
        assert session is not None, "planning data is read from a database session"
        self.session: Session | None = session
        self.settings = settings
        self.start = start
        self.end = start + timedelta(days=settings.busy_horizon_days)
        self.coaches = coach_availability(
            session=session, settings=settings, coaches=coaches, start=start, end=self.end
        )
        self.booked = bookings(
            session=session,
            start=start,
            exclude_engagements=exclude_engagements,
            exclude_sessions=exclude_sessions,
        )
        self.people: dict[int, Availability] = {}
        self.members: dict[int, tuple[int, ...]] = {}  # request id -> its other participants

    def detach(self) -> None:
        """No more reading: what is loaded is all there is (a round's engine runs so)."""
        self.session = None

    def load_people(self, person_ids: Iterable[int]) -> None:
        """Read the availability of those of ``person_ids`` not read yet, at once."""
        missing = sorted(set(person_ids) - self.people.keys())
        if not missing:
            return
        if self.session is None:
            raise LookupError(f"planning data is detached; people {missing} were not loaded")
        people = list(self.session.exec(select(Person).where(col(Person.id).in_(missing))))
        assert len(people) == len(missing)
        self.people.update(
            person_availability(session=self.session, people=people, start=self.start, end=self.end)
        )

    def load_requests(self, requests: Iterable[CoachingRequest]) -> None:
        """Read, at once, the other participants of ``requests`` not read yet, then the
        availability of everyone of them (coachee, sponsor, participants)."""
        wanted = [r for r in requests if r.id is not None]
        missing = sorted({r.id for r in wanted if r.id is not None} - self.members.keys())
        if missing:
            if self.session is None:
                raise LookupError(f"planning data is detached; requests {missing} not loaded")
            found = participants_of(self.session, missing)
            self.members.update({i: tuple(found.get(i, ())) for i in missing})
        self.load_people(
            i
            for r in wanted
            for i in (r.coachee_id, r.sponsor_id, *self.members[r.id or 0])
            if i is not None
        )

    def availability_of(self, key: str, *, coach: Coach | None = None) -> Availability:
        """A coach's windows, or a person's own windows (else working hours) in their
        zone, with their time away."""
        if coach is not None and coach.id is not None:
            return self.coaches[coach.id]
        person_id = int(key[1:])
        self.load_people([person_id])
        return self.people[person_id]

    def engagement(self, pair: Pair) -> PlanEngagement:
        request, settings = pair.request, self.settings
        min_days, max_days = cadence_bounds(settings, request)
        return PlanEngagement(
            id=pair.key,
            coach_id=coach_key(pair.coach),
            coachee_id=person_key(request.coachee_id),
            sponsor_id=person_key(request.sponsor_id) if request.sponsor_id else None,
            sessions=pair.sessions or request.sessions,
            minutes=request.session_minutes,
            min_days=min_days,
            max_days=max_days,
            ideal_days=request.cadence_days,
            earliest_start=pair.earliest,
            first_within_days=settings.first_session_within_days,
            members=tuple(person_key(i) for i in self.members.get(request.id or 0, ())),
            first_at=pair.first_at,
        )

    def problem(
        self,
        pairs: Sequence[Pair],
        *,
        extra_booked: dict[str, list[Interval]] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> PlanningProblem:
        """The planning problem of ``pairs``, with every existing booking (and
        ``extra_booked``) blocking time."""
        self.load_requests(p.request for p in pairs)
        engagements = tuple(self.engagement(p) for p in pairs)
        availability: dict[str, Availability] = {}
        for pair in pairs:
            request = pair.request
            for person_id in (
                request.coachee_id,
                request.sponsor_id,
                *self.members.get(request.id or 0, ()),
            ):
                if person_id is not None:
                    key = person_key(person_id)
                    availability.setdefault(key, self.availability_of(key))
        for pair in pairs:  # an internal coach coaches in their own windows
            key = coach_key(pair.coach)
            availability[key] = self.availability_of(key, coach=pair.coach)
        booked: dict[str, list[Interval]] = {k: list(v) for k, v in self.booked.items()}
        for key, intervals in (extra_booked or {}).items():
            booked.setdefault(key, []).extend(intervals)
        ends = [
            e.earliest_start
            + timedelta(days=e.first_within_days + (e.sessions - 1) * e.max_days + 2)
            for e in engagements
        ]
        return PlanningProblem(
            start=start or self.start,
            end=min(max([*ends, end or self.start]), self.end),
            engagements=engagements,
            availability=availability,
            booked={k: tuple(sorted(v)) for k, v in booked.items() if k in availability},
        )


def horizon_midnight(day: date) -> datetime:
    """00:00 UTC of ``day``."""
    return datetime.combine(day, MIDNIGHT, tzinfo=UTC)
