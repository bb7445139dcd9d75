"""Parse and validate a problem document (the JSON format in the README) into a Problem.

Every error names the offending value by its JSON path, e.g. `$.requests[3].coachee`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from matcher import problem as p
from matcher.errors import OrgChartError, ProblemError
from matcher.orgchart import OrgChart

Id = Annotated[str, Field(min_length=1, max_length=200)]
Code = Annotated[str, Field(min_length=1, max_length=100)]

MAX_PARTICIPANTS = 50  # a team's other members
PARTICIPANT_TYPES = frozenset({p.RequestType.TEAM_COACHING, p.RequestType.MEDIATION})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HorizonIn(_Model):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> HorizonIn:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class PersonIn(_Model):
    id: Id
    manager: Id | None = None
    unit: Code | None = None
    site: Code | None = None
    # Carried for the service; the matcher does not use them.
    name: str | None = None
    email: str | None = None
    timezone: str | None = None
    language: str | None = None


class CoachIn(_Model):
    id: Id
    kind: p.CoachKind
    person: Id | None = None
    vendor: str | None = None
    max_coachees: int = Field(ge=0, le=1000)
    hours: float = Field(ge=0, le=100_000)
    cost_per_session: int = Field(default=0, ge=0)
    types: list[p.RequestType] = Field(min_length=1)
    languages: list[Code] = Field(min_length=1)
    themes: list[Code] = []
    modalities: list[Literal["remote", "onsite"]] = Field(min_length=1)
    sites: list[Code] = []
    home_site: Code | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> CoachIn:
        if self.kind is p.CoachKind.INTERNAL and self.person is None:
            raise ValueError("an internal coach needs 'person' (the employee id)")
        if self.kind is p.CoachKind.EXTERNAL and self.person is not None:
            raise ValueError("an external coach has no 'person'")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class PreferencesIn(_Model):
    require_kind: p.CoachKind | None = None
    prefer_kind: p.CoachKind | None = None
    prefer_coaches: list[Id] = []


class RequestIn(_Model):
    id: Id
    coachee: Id
    sponsor: Id | None = None
    type: p.RequestType = p.RequestType.COACHING
    language: Code
    modality: p.Modality = p.Modality.REMOTE
    themes: list[Code] = []
    sessions: int = Field(ge=1, le=100)
    session_minutes: int = Field(ge=15, le=8 * 60)
    priority: int = Field(default=3, ge=1, le=5)
    submitted: dt.date
    start: dt.date | None = None
    site: Code | None = None
    preferences: PreferencesIn = PreferencesIn()
    participants: list[Id] = Field(default=[], max_length=MAX_PARTICIPANTS)

    @model_validator(mode="after")
    def _participants(self) -> RequestIn:
        if len(set(self.participants)) != len(self.participants):
            raise ValueError("a participant is listed twice")
        if self.coachee in self.participants or (
            self.sponsor is not None and self.sponsor in self.participants
        ):
            raise ValueError("the coachee or the sponsor cannot also be a participant")
        if self.participants and self.type not in PARTICIPANT_TYPES:
            raise ValueError("only team coaching and mediation have participants")
        return self


class ActiveIn(_Model):
    coach: Id
    coachee: Id
    hours: float = Field(ge=0)
    participants: list[Id] = Field(default=[], max_length=MAX_PARTICIPANTS)


class HistoryIn(_Model):
    coach: Id
    coachee: Id


class ConflictIn(_Model):
    coach: Id
    person: Id


class AdjustmentIn(_Model):
    request: Id
    coach: Id
    bonus: int = Field(default=0, ge=-1000, le=1000)
    forbid: bool = False


class TravelIn(_Model):
    from_: Code = Field(alias="from")
    to: Code
    minutes: int = Field(ge=0, le=24 * 60)


class PinIn(_Model):
    request: Id
    coach: Id


class PreviousIn(_Model):
    request: Id
    coach: Id
    confirmed: bool = False


class WeightsIn(_Model):
    theme: int = Field(default=10, ge=0, le=1000)
    theme_cap: int = Field(default=3, ge=0, le=100)
    internal: int = Field(default=15, ge=0, le=1000)
    prefer_kind: int = Field(default=10, ge=0, le=1000)
    prefer_coach: int = Field(default=20, ge=0, le=1000)
    history_prefer: int = Field(default=20, ge=0, le=1000)
    history_avoid: int = Field(default=40, ge=0, le=1000)
    travel_per_hour: int = Field(default=5, ge=0, le=1000)


class PolicyIn(_Model):
    exclude_peers: bool = True
    exclude_same_unit: bool = False
    external_budget: int | None = Field(default=None, ge=0)
    proposals: int = Field(default=3, ge=1, le=10)
    time_limit_s: float = Field(default=10.0, gt=0, le=3600)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    workers: int = Field(default=1, ge=1, le=64)
    history: p.HistoryPolicy = p.HistoryPolicy.AVOID
    weights: WeightsIn = WeightsIn()
    priority_weights: list[Annotated[int, Field(ge=0, le=10_000)]] = Field(
        default=[16, 8, 4, 2, 1], min_length=5, max_length=5
    )


class ProblemIn(_Model):
    horizon: HorizonIn
    today: dt.date | None = None
    people: list[PersonIn] = []
    coaches: list[CoachIn] = []
    requests: list[RequestIn] = []
    active: list[ActiveIn] = []
    history: list[HistoryIn] = []
    conflicts: list[ConflictIn] = []
    adjustments: list[AdjustmentIn] = []
    travel_minutes: list[TravelIn] = []
    pinned: list[PinIn] = []
    previous: list[PreviousIn] = []
    policy: PolicyIn = PolicyIn()


def json_path(loc: Sequence[int | str]) -> str:
    """A pydantic error location as a JSON path: ("requests", 3, "id") -> $.requests[3].id."""
    out = "$"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def parse_problem(document: Mapping[str, Any]) -> p.Problem:
    """Validate a problem document and build the Problem, or raise ProblemError."""
    if not isinstance(document, Mapping):
        raise ProblemError("the problem must be a JSON object", "$")
    try:
        doc = ProblemIn.model_validate(document)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ProblemError(_message(err), json_path(err["loc"])) from None
    _check_references(doc)
    return _build(doc)


def _message(err: Mapping[str, Any]) -> str:
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


def _unique(items: Iterable[Any], key: str, section: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        value = getattr(item, key)
        if value in seen:
            raise ProblemError(
                f"duplicate {key} {value!r} (first at index {seen[value]})",
                f"$.{section}[{i}].{key}",
            )
        seen[value] = i
    return seen


def _check_references(doc: ProblemIn) -> None:
    people = _unique(doc.people, "id", "people")
    coaches = _unique(doc.coaches, "id", "coaches")
    requests = _unique(doc.requests, "id", "requests")

    def need(ids: Mapping[str, int], value: str | None, what: str, path: str) -> None:
        if value is not None and value not in ids:
            raise ProblemError(f"unknown {what} {value!r}", path)

    for i, person in enumerate(doc.people):
        need(people, person.manager, "person", f"$.people[{i}].manager")
    for i, coach in enumerate(doc.coaches):
        need(people, coach.person, "person", f"$.coaches[{i}].person")
    # One employee, one internal coach record: capacity would otherwise count twice.
    seen_person: dict[str, int] = {}
    for i, coach in enumerate(doc.coaches):
        if coach.person is not None:
            if coach.person in seen_person:
                raise ProblemError(
                    f"person {coach.person!r} is already coach index {seen_person[coach.person]}",
                    f"$.coaches[{i}].person",
                )
            seen_person[coach.person] = i
    for i, req in enumerate(doc.requests):
        need(people, req.coachee, "person", f"$.requests[{i}].coachee")
        need(people, req.sponsor, "person", f"$.requests[{i}].sponsor")
        for j, pid in enumerate(req.participants):
            need(people, pid, "person", f"$.requests[{i}].participants[{j}]")
        for j, cid in enumerate(req.preferences.prefer_coaches):
            need(coaches, cid, "coach", f"$.requests[{i}].preferences.prefer_coaches[{j}]")
    for section, rows, fields in (
        ("active", doc.active, (("coach", coaches, "coach"), ("coachee", people, "person"))),
        ("conflicts", doc.conflicts, (("coach", coaches, "coach"), ("person", people, "person"))),
        (
            "adjustments",
            doc.adjustments,
            (("request", requests, "request"), ("coach", coaches, "coach")),
        ),
        ("pinned", doc.pinned, (("request", requests, "request"), ("coach", coaches, "coach"))),
        # A previous match's coach may have left: the match is then dropped or moved.
        ("previous", doc.previous, (("request", requests, "request"),)),
    ):
        for i, row in enumerate(rows):
            for attr, ids, what in fields:
                need(ids, getattr(row, attr), what, f"$.{section}[{i}].{attr}")
    for i, act in enumerate(doc.active):
        for j, pid in enumerate(act.participants):
            need(people, pid, "person", f"$.active[{i}].participants[{j}]")
    _unique(doc.pinned, "request", "pinned")
    _unique(doc.previous, "request", "previous")
    try:
        OrgChart.build((x.id, x.manager) for x in doc.people)
    except OrgChartError as exc:
        raise ProblemError(str(exc), "$.people") from None


def _build(doc: ProblemIn) -> p.Problem:
    sites = {x.id: x.site for x in doc.people}
    policy = doc.policy
    return p.Problem(
        horizon=p.Horizon(doc.horizon.start, doc.horizon.end),
        today=doc.today,
        people=tuple(p.Person(x.id, x.manager, x.unit, x.site) for x in doc.people),
        coaches=tuple(
            p.Coach(
                id=c.id,
                kind=c.kind,
                max_coachees=c.max_coachees,
                hours=c.hours,
                types=frozenset(c.types),
                languages=frozenset(c.languages),
                modalities=frozenset(p.Modality(m) for m in c.modalities),
                person=c.person,
                vendor=c.vendor,
                cost_per_session=c.cost_per_session,
                themes=frozenset(c.themes),
                sites=frozenset(c.sites),
                home_site=c.home_site or (sites.get(c.person) if c.person else None),
                valid_from=c.valid_from,
                valid_until=c.valid_until,
            )
            for c in doc.coaches
        ),
        requests=tuple(
            p.Request(
                id=r.id,
                coachee=r.coachee,
                sponsor=r.sponsor,
                type=r.type,
                language=r.language,
                modality=r.modality,
                sessions=r.sessions,
                session_minutes=r.session_minutes,
                priority=r.priority,
                submitted=r.submitted,
                themes=frozenset(r.themes),
                start=r.start,
                site=r.site,
                preferences=p.Preferences(
                    r.preferences.require_kind,
                    r.preferences.prefer_kind,
                    frozenset(r.preferences.prefer_coaches),
                ),
                participants=tuple(r.participants),
            )
            for r in doc.requests
        ),
        active=tuple(
            p.ActiveEngagement(a.coach, a.coachee, a.hours, tuple(a.participants))
            for a in doc.active
        ),
        history=frozenset((h.coach, h.coachee) for h in doc.history),
        conflicts=frozenset((c.coach, c.person) for c in doc.conflicts),
        adjustments=tuple(
            p.Adjustment(a.request, a.coach, a.bonus, a.forbid) for a in doc.adjustments
        ),
        travel_minutes=tuple((t.from_, t.to, t.minutes) for t in doc.travel_minutes),
        pinned=tuple((x.request, x.coach) for x in doc.pinned),
        previous=tuple(p.Previous(x.request, x.coach, x.confirmed) for x in doc.previous),
        policy=p.Policy(
            exclude_peers=policy.exclude_peers,
            exclude_same_unit=policy.exclude_same_unit,
            external_budget=policy.external_budget,
            proposals=policy.proposals,
            time_limit_s=policy.time_limit_s,
            seed=policy.seed,
            workers=policy.workers,
            history=policy.history,
            weights=p.ScoreWeights(**policy.weights.model_dump()),
            priority_weights=tuple(policy.priority_weights),
        ),
    )
