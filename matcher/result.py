"""The outcome of a matching round: assignments with their reasons, the unmatched with
theirs, and the solver's report. `to_dict` gives the JSON form of the README."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Alternative:
    coach: str
    score: int
    breakdown: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Assignment:
    request: str
    coach: str
    score: int
    breakdown: Mapping[str, int]
    alternatives: tuple[Alternative, ...]
    hours: float
    cost: int
    pinned: bool = False  # kept from a pin or a confirmed match


@dataclass(frozen=True, slots=True)
class Unmatched:
    request: str
    reasons: Mapping[str, int]  # reason code -> how many coaches it ruled out
    summary: str


@dataclass(frozen=True, slots=True)
class CoachLoad:
    coach: str
    coachees: int
    max_coachees: int
    hours_used: float
    hours: float


@dataclass(frozen=True, slots=True)
class Dropped:
    """A pin or confirmed match that no longer holds, and why."""

    request: str
    coach: str
    reason: str


@dataclass(frozen=True, slots=True)
class StageReport:
    name: str
    status: str
    objective: float
    bound: float | None  # None when no bound was proven (a heuristic's value)
    gap: float | None
    seconds: float


@dataclass(frozen=True, slots=True)
class MatchResult:
    status: str  # optimal | feasible | infeasible
    objective: float  # the first stage: priority-weighted requests matched
    bound: float
    gap: float
    solve_seconds: float
    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]
    stages: tuple[StageReport, ...] = ()
    utilisation: tuple[CoachLoad, ...] = ()
    external_cost: int = 0
    dropped: tuple[Dropped, ...] = ()
    moved: tuple[str, ...] = ()  # requests whose earlier (unconfirmed) coach changed
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["solve_seconds"] = round(self.solve_seconds, 3)
        for stage in out["stages"]:
            stage["seconds"] = round(stage["seconds"], 3)
            stage["gap"] = None if stage["gap"] is None else round(stage["gap"], 6)
        out["gap"] = round(self.gap, 6)
        return out

    def assignment_of(self, request: str) -> Assignment | None:
        return next((a for a in self.assignments if a.request == request), None)
