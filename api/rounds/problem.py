"""Database rows → `matcher.problem.Problem`, and round parameters.

Ids in the problem are database ids with a prefix: ``p12`` (person), ``c3`` (coach),
``r7`` (request); `db_id` maps them back. A coach's hours are their real free time in the
round's horizon (availability net of booked sessions), capped by what they declared; an
on-site session also costs its coach the round trip between the sites (`api.travel`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from api.engagements.lifecycle import holds_capacity
from api.models import (
    Coach,
    CoachingRequest,
    CoachingSession,
    Conflict,
    Engagement,
    PairAdjustment,
    Person,
    Proposal,
)
from api.models.enums import (
    LIVE_ENGAGEMENT,
    PAST_ENGAGEMENT,
    AdjustmentKind,
    EngagementStatus,
    ProposalStatus,
    RequestStatus,
    SessionStatus,
)
from api.records.service import unreferenced_coaches
from api.requests.participants import participants_of
from api.sessions.availability import bookings, coach_availability, coach_key, horizon_midnight
from api.settings import Settings
from api.travel.service import round_travel
from matcher import problem as core
from scheduling.freetime import free_minutes

# Engagements that hold a coach's time: live ones, and flagged ones under HR's review (a
# hold may release its seat: `holds_capacity`).
HOLDING = (*LIVE_ENGAGEMENT, EngagementStatus.flagged)
PAST = PAST_ENGAGEMENT
MATCHABLE = (RequestStatus.open, RequestStatus.proposed)
DAYS_PER_MONTH = 365.25 / 12


def pkey(person_id: int) -> str:
    return f"p{person_id}"


def ckey(coach_id: int) -> str:
    return f"c{coach_id}"


def rkey(request_id: int) -> str:
    return f"r{request_id}"


def db_id(key: str) -> int:
    """``"c12"`` → 12."""
    return int(key[1:])


@dataclass(frozen=True)
class RoundParams:
    """A round's resolved parameters (stored with the round, so a confirm re-checks under
    the same policy)."""

    horizon_start: date
    horizon_end: date
    proposals: int
    external_budget: int | None
    time_limit_seconds: float
    exclude_same_unit: bool
    exclude_peers: bool
    history: core.HistoryPolicy
    seed: int

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["horizon_start"] = self.horizon_start.isoformat()
        out["horizon_end"] = self.horizon_end.isoformat()
        out["history"] = self.history.value
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RoundParams:
        values = dict(data)
        values["horizon_start"] = date.fromisoformat(values["horizon_start"])
        values["horizon_end"] = date.fromisoformat(values["horizon_end"])
        values["history"] = core.HistoryPolicy(values["history"])
        return cls(**values)

    def policy(self) -> core.Policy:
        return core.Policy(
            exclude_peers=self.exclude_peers,
            exclude_same_unit=self.exclude_same_unit,
            external_budget=self.external_budget,
            proposals=self.proposals,
            time_limit_s=self.time_limit_seconds,
            seed=self.seed,
            history=self.history,
        )

    def starting(self, day: date) -> RoundParams:
        """The same parameters over a horizon of the same length from ``day``."""
        length = self.horizon_end - self.horizon_start
        values = asdict(self) | {"horizon_start": day, "horizon_end": day + length}
        return RoundParams(**values)


@dataclass(frozen=True)
class CoachHours:
    """How a coach's hours were found, for the explanation."""

    free: float  # free time in the horizon, net of booked sessions
    held: float  # planned sessions of their live engagements in the horizon
    declared: float | None  # hours_per_month / time_share over the horizon
    hours: float  # what the matcher got


@dataclass(frozen=True)
class BuiltProblem:
    problem: core.Problem
    requests: Mapping[str, CoachingRequest]
    coaches: Mapping[str, Coach]
    hours: Mapping[str, CoachHours]
    start: datetime  # the horizon in UTC instants
    end: datetime


def _people(session: Session) -> tuple[core.Person, ...]:
    rows = list(session.exec(select(Person).order_by(col(Person.id))))
    active = {p.id for p in rows if p.active}
    # Someone who left keeps no place in the hierarchy (their old links may be stale).
    return tuple(
        core.Person(
            id=pkey(p.id or 0),
            manager=(
                pkey(p.manager_id)
                if p.active and p.manager_id is not None and p.manager_id in active
                else None
            ),
            unit=p.unit or None,
            site=p.site or None,
        )
        for p in rows
    )


def declared_hours(coach: Coach, settings: Settings, days: float) -> float | None:
    """The coach's declared time over ``days`` days (the smaller when both are given)."""
    caps = []
    if coach.hours_per_month is not None:
        caps.append(coach.hours_per_month * days / DAYS_PER_MONTH)
    if coach.time_share is not None:
        caps.append(coach.time_share * settings.full_time_hours_per_week * days / 7)
    return min(caps) if caps else None


def _core_coach(
    coach: Coach, person: Person | None, hours: float, *, referenced: bool = True
) -> core.Coach:
    """The coach for the matcher; an external coach whose referencing is proposed, under
    review or lapsed is not qualified (the qualification rule excludes it)."""
    internal = coach.person_id is not None
    types = {t.value for t in core.RequestType}
    modalities = {core.Modality.REMOTE.value, core.Modality.ONSITE.value}
    return core.Coach(
        id=ckey(coach.id or 0),
        kind=core.CoachKind(coach.kind),
        max_coachees=coach.max_coachees,
        hours=hours,
        types=frozenset(core.RequestType(t) for t in coach.coaching_types if t in types),
        languages=frozenset(coach.languages),
        modalities=frozenset(core.Modality(m) for m in coach.modalities if m in modalities),
        person=pkey(coach.person_id) if coach.person_id is not None else None,
        vendor=coach.vendor,
        cost_per_session=round((coach.rate_per_session_cents or 0) / 100),
        themes=frozenset(coach.themes),
        sites=frozenset(coach.sites),
        home_site=(person.site or None) if internal and person is not None else None,
        valid_from=None if internal else coach.referenced_from,
        valid_until=(
            coach.certified_until
            if internal
            else coach.referenced_until
            if referenced
            else date.min
        ),
    )


def _core_request(request: CoachingRequest, others: Mapping[int, list[int]]) -> core.Request:
    return core.Request(
        id=rkey(request.id or 0),
        coachee=pkey(request.coachee_id),
        sponsor=pkey(request.sponsor_id) if request.sponsor_id is not None else None,
        type=core.RequestType(request.coaching_type),
        language=request.language,
        modality=core.Modality(request.modality),
        sessions=request.sessions,
        session_minutes=request.session_minutes,
        priority=request.priority,
        submitted=request.submitted_at.date(),
        themes=frozenset(request.themes),
        participants=tuple(pkey(x) for x in others.get(request.id or 0, ())),
    )


def build_problem(
    *,
    session: Session,
    settings: Settings,
    now: datetime,
    params: RoundParams,
    request_ids: Collection[int] | None = None,
    coach_ids: Collection[int] | None = None,
) -> BuiltProblem:
    """The matching problem of the open (and already proposed) requests and the active
    coaches, or of the given ones only. Reads only: nothing is written."""
    start = max(now, horizon_midnight(params.horizon_start))
    end = horizon_midnight(params.horizon_end)
    people = {p.id: p for p in session.exec(select(Person))}

    query = select(Coach).where(Coach.active == True).order_by(col(Coach.id))  # noqa: E712
    if coach_ids is not None:
        query = query.where(col(Coach.id).in_(list(coach_ids)))
    coaches = [
        c
        for c in session.exec(query)
        if c.person_id is None or (c.person_id in people and people[c.person_id].active)
    ]
    open_requests = (
        select(CoachingRequest)
        .where(col(CoachingRequest.status).in_(MATCHABLE))
        .order_by(col(CoachingRequest.id))
    )
    if request_ids is not None:
        open_requests = open_requests.where(col(CoachingRequest.id).in_(list(request_ids)))
    candidates = list(session.exec(open_requests))
    others = participants_of(session, [r.id for r in candidates if r.id is not None])
    requests = [
        r
        for r in candidates
        if people[r.coachee_id].active
        and (r.sponsor_id is None or people[r.sponsor_id].active)
        and all(people[x].active for x in others.get(r.id or 0, ()))
    ]
    coach_by_id = {c.id: c for c in coaches}

    # Live engagements: their planned sessions in the horizon hold the coach's hours.
    held: defaultdict[int, float] = defaultdict(float)  # engagement -> minutes
    engagements = list(
        session.exec(
            select(Engagement, CoachingRequest)
            .join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id)
            .order_by(col(Engagement.id))
        )
    )
    for row in session.exec(
        select(CoachingSession)
        .join(Engagement, col(Engagement.id) == CoachingSession.engagement_id)
        .where(
            col(Engagement.status).in_(HOLDING),
            CoachingSession.status == SessionStatus.planned,
            col(CoachingSession.end_at) > start,
            col(CoachingSession.start_at) < end,
        )
    ):
        held[row.engagement_id] += (row.end_at - row.start_at).total_seconds() / 60
    held_others = participants_of(session, [r.id for _, r in engagements if r.id is not None])
    active = tuple(
        core.ActiveEngagement(
            coach=ckey(e.coach_id),
            coachee=pkey(r.coachee_id),
            hours=round(held[e.id or 0] / 60, 2),
            participants=tuple(pkey(x) for x in held_others.get(r.id or 0, ())),
        )
        for e, r in engagements
        if holds_capacity(e) and e.coach_id in coach_by_id
    )
    history = frozenset(
        (ckey(e.coach_id), pkey(r.coachee_id)) for e, r in engagements if e.status in PAST
    )
    held_by_coach: defaultdict[str, float] = defaultdict(float)
    for a in active:
        held_by_coach[a.coach] += a.hours

    availability = coach_availability(
        session=session, settings=settings, coaches=coaches, start=start, end=end
    )
    booked = bookings(session=session, start=start)
    days = max(0.0, (end - start).total_seconds() / 86400)
    unreferenced = unreferenced_coaches(session)
    core_coaches = []
    hours: dict[str, CoachHours] = {}
    for coach in coaches:
        key = ckey(coach.id or 0)
        free = (
            free_minutes(availability[coach.id or 0], start, end, booked.get(coach_key(coach), ()))
            / 60
            if end > start
            else 0.0
        )
        declared = declared_hours(coach, settings, days)
        total = free + held_by_coach[key]
        if declared is not None:
            total = min(total, declared)
        hours[key] = CoachHours(
            free=round(free, 2),
            held=round(held_by_coach[key], 2),
            declared=None if declared is None else round(declared, 2),
            hours=round(total, 2),
        )
        person = people.get(coach.person_id) if coach.person_id is not None else None
        referenced = coach.id not in unreferenced
        core_coaches.append(_core_coach(coach, person, hours[key].hours, referenced=referenced))

    ids = [r.id for r in requests]
    adjustments: list[core.Adjustment] = []
    for adj in session.exec(
        select(PairAdjustment)
        .where(col(PairAdjustment.request_id).in_(ids))
        .order_by(col(PairAdjustment.id))
    ):
        adjustments.append(
            core.Adjustment(
                request=rkey(adj.request_id),
                coach=ckey(adj.coach_id),
                bonus=(adj.weight or 0) if adj.kind == AdjustmentKind.bonus else 0,
                forbid=adj.kind == AdjustmentKind.forbid,
            )
        )
    previous: dict[str, core.Previous] = {}
    proposals = session.exec(
        select(Proposal)
        .where(
            col(Proposal.request_id).in_(ids),
            col(Proposal.status).in_([ProposalStatus.proposed, ProposalStatus.rejected]),
        )
        .order_by(col(Proposal.round_id).desc(), col(Proposal.rank))
    )
    for p in proposals:
        if p.status == ProposalStatus.rejected:  # HR or the coachee said no: not again
            adjustments.append(core.Adjustment(rkey(p.request_id), ckey(p.coach_id), forbid=True))
        else:  # the latest round's best live proposal: a re-run moves it as little as possible
            previous.setdefault(
                rkey(p.request_id), core.Previous(rkey(p.request_id), ckey(p.coach_id))
            )

    conflicts = frozenset(
        (ckey(c.coach_id), pkey(c.person_id)) for c in session.exec(select(Conflict))
    )
    # On site, a coach travels from their home site to the coachee's and back.
    travel = round_travel(
        session=session,
        origins={c.home_site for c in core_coaches if c.home_site},
        destinations={people[r.coachee_id].site for r in requests if people[r.coachee_id].site},
    )
    problem = core.Problem(
        horizon=core.Horizon(params.horizon_start, params.horizon_end),
        people=_people(session),
        coaches=tuple(core_coaches),
        requests=tuple(_core_request(r, others) for r in requests),
        active=active,
        history=history,
        conflicts=conflicts,
        adjustments=tuple(adjustments),
        travel_minutes=travel,
        previous=tuple(previous.values()),
        policy=params.policy(),
        today=now.date(),
    )
    return BuiltProblem(
        problem=problem,
        requests={rkey(r.id or 0): r for r in requests},
        coaches={ckey(c.id or 0): c for c in coaches},
        hours=hours,
        start=start,
        end=end,
    )


def pair_problems(built: BuiltProblem, request: str, coach: str) -> list[str]:
    """The rule codes that now keep ``coach`` from ``request`` (empty: the pair still holds).
    Uses the matcher's own eligibility, capacity and ethics rules."""
    from matcher.instance import prepare

    problem = built.problem
    if coach not in built.coaches:
        return ["coach_unknown"]
    if request not in built.requests:
        return ["request_unknown"]
    only = dataclasses.replace(
        problem,
        requests=tuple(r for r in problem.requests if r.id == request),
        coaches=tuple(c for c in problem.coaches if c.id == coach),
        previous=(),
    )
    prepared = prepare(only)
    if prepared.instance.candidates:
        return []
    return list(prepared.exclusions[0])
