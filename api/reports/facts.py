"""What the indicators are computed from: plain, frozen facts with no database in reach
(`api.reports.load` reads them; the engine and the tests build them directly)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Place:
    """Where an event falls in each grouping: the coachee's units at the org chart's
    levels 1 and 2, their site, the request's type, and the coach's kind and id."""

    unit1: str = ""
    unit2: str = ""
    site: str = ""
    type: str = ""
    coach_kind: str = "none"  # internal | external | none (not matched)
    coach: int | None = None


@dataclass(frozen=True)
class RequestFact:
    id: int
    person: int  # the coachee
    place: Place
    submitted: date
    withdrawn: date | None = None  # cancelled (or closed without an engagement) that day
    matched: date | None = None  # its first engagement confirmed
    contracted: date | None = None  # the three parties acknowledged a contract
    first_session: date | None = None  # the first session held
    completed: date | None = None
    ended_early: date | None = None
    end_reason: str | None = None


@dataclass(frozen=True)
class SessionFact:
    id: int
    request: int
    person: int  # the coachee
    place: Place
    day: date
    hours: float
    status: str  # planned | held | no_show | cancelled
    cost: float = 0.0  # an external coach's rate, in currency units (held sessions)


@dataclass(frozen=True)
class CoachFact:
    id: int
    kind: str
    label: str
    monthly_hours: float | None  # hours available a month (None: not given)


@dataclass(frozen=True)
class AnswerFact:
    """A released evaluation answer: its cell's coarse attributes and its content."""

    id: int
    quarter: str  # e.g. 2027-Q1
    type: str
    unit1: str
    coach_kind: str
    satisfaction: int
    recommend: bool
    objectives: tuple[int, ...] = ()


@dataclass(frozen=True)
class Programme:
    requests: tuple[RequestFact, ...] = ()
    sessions: tuple[SessionFact, ...] = ()
    coaches: tuple[CoachFact, ...] = ()
    answers: tuple[AnswerFact, ...] = ()
    external_budget: float | None = None  # a year, in currency units
    # the unit level the answers keep (evaluation_unit_level): answers group by unit there
    answer_unit_level: int = 1
