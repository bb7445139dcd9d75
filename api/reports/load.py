"""Read the programme's facts for the indicators: one pass over the tables, then nothing
but plain data (days in the programme's zone, units at the org chart's levels)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from api.models import (
    Coach,
    CoachingRequest,
    CoachingSession,
    ContractAcknowledgement,
    ContractVersion,
    Engagement,
    EvaluationAnswer,
    Person,
)
from api.models.enums import CoachKind, EngagementStatus, RequestStatus
from api.settings import Settings

from .facts import AnswerFact, CoachFact, Place, Programme, RequestFact, SessionFact

WEEKS_PER_MONTH = 52 / 12


def _levels(people: dict[int, Person]) -> dict[int, tuple[str, str]]:
    """Each person's unit at levels 1 and 2: the unit of their manager that far below the
    top (a person higher up: their own), as the evaluations keep it."""
    out: dict[int, tuple[str, str]] = {}
    for pid in people:
        chain: list[Person] = []
        seen: set[int] = set()
        current: Person | None = people[pid]
        while current is not None and current.id not in seen:
            seen.add(current.id or 0)
            chain.append(current)
            current = people.get(current.manager_id) if current.manager_id else None
        chain.reverse()
        out[pid] = (chain[min(1, len(chain) - 1)].unit, chain[min(2, len(chain) - 1)].unit)
    return out


def _contracted(session: Session) -> dict[int, datetime]:
    """When each engagement's contract was first acknowledged by its three parties (the
    coach and the coachee, and the sponsor when there is one)."""
    sponsors = {
        e.id: r.sponsor_id is not None
        for e, r in session.exec(
            select(Engagement, CoachingRequest).where(Engagement.request_id == CoachingRequest.id)
        )
    }
    acks: defaultdict[int, dict[str, datetime]] = defaultdict(dict)
    versions: dict[int, int] = {}
    for ack, version in session.exec(
        select(ContractAcknowledgement, ContractVersion).where(
            ContractAcknowledgement.contract_id == ContractVersion.id
        )
    ):
        acks[version.id or 0][ack.role] = ack.acknowledged_at
        versions[version.id or 0] = version.engagement_id
    out: dict[int, datetime] = {}
    for version_id, roles in acks.items():
        engagement = versions[version_id]
        needed = {"coach", "coachee"} | ({"sponsor"} if sponsors.get(engagement) else set())
        if needed <= set(roles):
            moment = max(roles[r] for r in needed)
            out[engagement] = min(out.get(engagement, moment), moment)
    return out


def load(*, session: Session, settings: Settings) -> Programme:
    zone = ZoneInfo(settings.default_timezone)

    def day(moment: datetime) -> date:
        return moment.astimezone(zone).date()

    people = {p.id or 0: p for p in session.exec(select(Person))}
    levels = _levels(people)
    coaches = {c.id or 0: c for c in session.exec(select(Coach))}
    engagements: defaultdict[int, list[Engagement]] = defaultdict(list)
    for e in session.exec(select(Engagement).order_by(Engagement.id)):  # type: ignore[arg-type]
        engagements[e.request_id].append(e)
    contracted = _contracted(session)
    first_held: dict[int, date] = {}
    sessions_by_engagement: defaultdict[int, list[CoachingSession]] = defaultdict(list)
    for s in session.exec(select(CoachingSession)):
        sessions_by_engagement[s.engagement_id].append(s)

    def place(request: CoachingRequest, coach: Coach | None) -> Place:
        unit1, unit2 = levels.get(request.coachee_id, ("", ""))
        person = people.get(request.coachee_id)
        return Place(
            unit1=unit1,
            unit2=unit2,
            site=person.site if person else "",
            type=request.coaching_type,
            coach_kind=coach.kind.value if coach else "none",
            coach=coach.id if coach else None,
        )

    requests: list[RequestFact] = []
    sessions: list[SessionFact] = []
    for r in session.exec(select(CoachingRequest).order_by(CoachingRequest.id)):  # type: ignore[arg-type]
        rid = r.id or 0
        mine = engagements.get(rid, [])
        last = mine[-1] if mine else None
        coach = coaches.get(last.coach_id) if last else None
        for e in mine:
            e_coach = coaches.get(e.coach_id)
            for s in sessions_by_engagement.get(e.id or 0, []):
                held = s.status.value == "held"
                if held:
                    first_held[rid] = min(first_held.get(rid, day(s.start_at)), day(s.start_at))
                external = e_coach is not None and e_coach.kind is CoachKind.EXTERNAL
                sessions.append(
                    SessionFact(
                        id=s.id or 0,
                        request=rid,
                        person=r.coachee_id,
                        place=place(r, e_coach),
                        day=day(s.start_at),
                        hours=(s.end_at - s.start_at).total_seconds() / 3600,
                        status=s.status.value,
                        cost=(
                            (e_coach.rate_per_session_cents or 0) / 100
                            if external and held and e_coach
                            else 0.0
                        ),
                    )
                )
        confirmed = [e.confirmed_at or e.created_at for e in mine]
        acked = [contracted[e.id or 0] for e in mine if (e.id or 0) in contracted]
        completed = next((e for e in mine if e.status is EngagementStatus.completed), None)
        ended = last if last and last.status is EngagementStatus.ended_early else None
        withdrawn = None
        if not mine and r.status in (RequestStatus.cancelled, RequestStatus.closed):
            withdrawn = day(r.updated_at)
        requests.append(
            RequestFact(
                id=rid,
                person=r.coachee_id,
                place=place(r, coach),
                submitted=day(r.submitted_at),
                withdrawn=withdrawn,
                matched=day(min(confirmed)) if confirmed else None,
                contracted=day(min(acked)) if acked else None,
                first_session=first_held.get(rid),
                completed=day(completed.ended_at or completed.updated_at) if completed else None,
                ended_early=day(ended.ended_at or ended.updated_at) if ended else None,
                end_reason=ended.end_reason.value if ended and ended.end_reason else None,
            )
        )
    coach_facts = tuple(
        CoachFact(
            id=c.id or 0,
            kind=c.kind.value,
            label=_coach_label(c, people),
            monthly_hours=_monthly_hours(c, settings),
        )
        for c in coaches.values()
        if c.active
    )
    answers = tuple(
        AnswerFact(
            id=a.id or 0,
            quarter=a.period,
            type=a.request_type,
            unit1=a.unit,
            coach_kind=a.coach_kind,
            satisfaction=a.satisfaction,
            recommend=a.recommend,
            objectives=tuple(a.objectives),
        )
        for a in session.exec(select(EvaluationAnswer))
    )
    return Programme(
        requests=tuple(requests),
        sessions=tuple(sessions),
        coaches=coach_facts,
        answers=answers,
        external_budget=settings.report_external_budget,
        answer_unit_level=settings.evaluation_unit_level,
    )


def _coach_label(coach: Coach, people: dict[int, Person]) -> str:
    if coach.person_id is not None and coach.person_id in people:
        return people[coach.person_id].name
    return coach.name or f"#{coach.id}"


def _monthly_hours(coach: Coach, settings: Settings) -> float | None:
    if coach.hours_per_month is not None:
        return coach.hours_per_month
    if coach.time_share is not None:
        return coach.time_share * settings.full_time_hours_per_week * WEEKS_PER_MONTH
    return None
