"""The matching problem: immutable, validated input types (built by `matcher.schema`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class CoachKind(StrEnum):
    INTERNAL = "internal"
    EXTERNAL = "external"


class RequestType(StrEnum):
    COACHING = "coaching"
    TEAM_COACHING = "team_coaching"
    MEDIATION = "mediation"
    TUTORING = "tutoring"


class Modality(StrEnum):
    REMOTE = "remote"
    ONSITE = "onsite"
    ANY = "any"  # a request's "either": remote, or on site where the coach serves it


class HistoryPolicy(StrEnum):
    """What to do with a coachee's previous coach."""

    AVOID = "avoid"  # soft: a penalty in the score
    EXCLUDE = "exclude"  # hard: never the previous coach
    PREFER = "prefer"  # soft: a bonus in the score
    IGNORE = "ignore"


@dataclass(frozen=True, slots=True)
class Horizon:
    start: dt.date
    end: dt.date


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    manager: str | None = None
    unit: str | None = None
    site: str | None = None


@dataclass(frozen=True, slots=True)
class Coach:
    id: str
    kind: CoachKind
    max_coachees: int
    hours: float
    types: frozenset[RequestType]
    languages: frozenset[str]
    modalities: frozenset[Modality]
    person: str | None = None  # internal coaches are employees
    vendor: str | None = None
    cost_per_session: int = 0
    themes: frozenset[str] = frozenset()
    sites: frozenset[str] = frozenset()
    home_site: str | None = None  # where on-site travel starts (None: no travel)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    @property
    def internal(self) -> bool:
        return self.kind is CoachKind.INTERNAL


@dataclass(frozen=True, slots=True)
class Preferences:
    """The coachee's wishes: `require_kind` is hard, the others are soft."""

    require_kind: CoachKind | None = None
    prefer_kind: CoachKind | None = None
    prefer_coaches: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Request:
    id: str
    coachee: str
    sponsor: str | None
    type: RequestType
    language: str
    modality: Modality
    sessions: int
    session_minutes: int
    priority: int  # 1 (most urgent) .. 5
    submitted: dt.date
    themes: frozenset[str] = frozenset()
    start: dt.date | None = None  # defaults to the horizon start
    site: str | None = None  # defaults to the coachee's site
    preferences: Preferences = Preferences()
    # The other people the request is about: a team's members (team coaching) or the
    # second party (mediation). Every rule that protects the coachee protects them too.
    participants: tuple[str, ...] = ()

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone the coach works with: the coachee first, then the participants."""
        return (self.coachee, *self.participants)


@dataclass(frozen=True, slots=True)
class ActiveEngagement:
    """An engagement already running: it holds coach capacity and counts for ethics."""

    coach: str
    coachee: str
    hours: float
    participants: tuple[str, ...] = ()  # a team's or a mediation's other people

    @property
    def people(self) -> tuple[str, ...]:
        return (self.coachee, *self.participants)


@dataclass(frozen=True, slots=True)
class Adjustment:
    """HR's word on one pair: a score bonus (or penalty, negative) or a ban."""

    request: str
    coach: str
    bonus: int = 0
    forbid: bool = False


@dataclass(frozen=True, slots=True)
class Previous:
    """A match from an earlier round. Confirmed ones are kept while still valid."""

    request: str
    coach: str
    confirmed: bool = False


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """Points per soft criterion; every score's breakdown uses these names."""

    theme: int = 10  # per shared theme
    theme_cap: int = 3  # at most this many themes count
    internal: int = 15  # internal-first
    prefer_kind: int = 10
    prefer_coach: int = 20
    history_prefer: int = 20
    history_avoid: int = 40
    travel_per_hour: int = 5  # penalty per hour of on-site travel per session


@dataclass(frozen=True, slots=True)
class Policy:
    exclude_peers: bool = True
    exclude_same_unit: bool = False
    external_budget: int | None = None
    proposals: int = 3
    time_limit_s: float = 10.0
    seed: int = 0
    workers: int = 1  # >1 uses CP-SAT's deterministic interleaved search
    history: HistoryPolicy = HistoryPolicy.AVOID
    weights: ScoreWeights = ScoreWeights()
    # Weight of a matched request by priority 1..5: one priority-1 match is worth
    # two priority-2 matches, and so on.
    priority_weights: tuple[int, ...] = (16, 8, 4, 2, 1)


@dataclass(frozen=True, slots=True)
class Problem:
    horizon: Horizon
    people: tuple[Person, ...]
    coaches: tuple[Coach, ...]
    requests: tuple[Request, ...]
    active: tuple[ActiveEngagement, ...] = ()
    history: frozenset[tuple[str, str]] = frozenset()  # (coach, coachee)
    conflicts: frozenset[tuple[str, str]] = frozenset()  # (coach, person)
    adjustments: tuple[Adjustment, ...] = ()
    travel_minutes: tuple[tuple[str, str, int], ...] = ()  # one way, symmetric
    pinned: tuple[tuple[str, str], ...] = ()  # (request, coach) kept as is
    previous: tuple[Previous, ...] = ()
    policy: Policy = field(default_factory=Policy)
    today: dt.date | None = None  # for waiting time; defaults to the horizon start
