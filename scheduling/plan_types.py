"""Input and output types of the session planner (frozen dataclasses, UTC instants)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from scheduling.availability import Availability
from scheduling.errors import InvalidProblemError
from scheduling.intervals import Interval
from scheduling.timezones import require_utc


@dataclass(frozen=True)
class Engagement:
    """A confirmed match to schedule: ``sessions`` sessions of ``minutes`` minutes.

    Consecutive sessions are ``min_days``–``max_days`` calendar days apart (dates in the
    coachee's zone), ideally ``ideal_days`` (default: the midpoint). The first session starts
    at or after ``earliest_start`` and before ``earliest_start + first_within_days``; when
    ``sponsor_id`` is set the sponsor joins the first (tripartite) session. ``members`` are
    the other participants (a team's members, a mediation's other party): they attend every
    session, and their windows and bookings count like the coachee's. With ``first_at``
    the first session starts exactly then (the slot a proposal promised) or not at all.
    """

    id: str
    coach_id: str
    coachee_id: str
    sessions: int
    minutes: int
    min_days: int
    max_days: int
    earliest_start: dt.datetime
    first_within_days: int
    sponsor_id: str | None = None
    ideal_days: int | None = None
    members: tuple[str, ...] = ()
    first_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        f = f"engagements[{self.id}]"
        object.__setattr__(
            self, "earliest_start", require_utc(self.earliest_start, field=f"{f}.earliest_start")
        )
        object.__setattr__(self, "members", tuple(self.members))
        if self.first_at is not None:
            object.__setattr__(self, "first_at", require_utc(self.first_at, field=f"{f}.first_at"))
        if not self.id:
            raise InvalidProblemError("engagement id is empty", field="engagements.id")
        if self.sessions < 1:
            raise InvalidProblemError("at least one session is needed", field=f"{f}.sessions")
        if not 1 <= self.minutes <= 24 * 60:
            raise InvalidProblemError("minutes must be 1 to 1440", field=f"{f}.minutes")
        if self.min_days < 0 or self.max_days < self.min_days:
            raise InvalidProblemError("need 0 <= min_days <= max_days", field=f"{f}.max_days")
        if self.first_within_days < 1:
            raise InvalidProblemError("must be at least 1", field=f"{f}.first_within_days")
        if self.ideal_days is not None and not self.min_days <= self.ideal_days <= self.max_days:
            raise InvalidProblemError(
                "ideal_days must lie between min_days and max_days", field=f"{f}.ideal_days"
            )
        people = [self.coach_id, self.coachee_id, *([self.sponsor_id] if self.sponsor_id else [])]
        if len(set(people)) != len(people):
            raise InvalidProblemError(
                "coach, coachee and sponsor must be different people", field=f"{f}.coachee_id"
            )
        if len(set(people + list(self.members))) != len(people) + len(self.members):
            raise InvalidProblemError(
                "members must be other people than the coach, coachee, sponsor and each other",
                field=f"{f}.members",
            )

    @property
    def ideal_gap(self) -> int:
        if self.ideal_days is not None:
            return self.ideal_days
        return (self.min_days + self.max_days) // 2

    @property
    def participants(self) -> tuple[str, ...]:
        """Everyone who attends at least one session."""
        return self.attendees(1)

    def attendees(self, index: int) -> tuple[str, ...]:
        """Who attends session ``index``: coach, coachee, members, and the sponsor at 1."""
        sponsor = (self.sponsor_id,) if self.sponsor_id and index == 1 else ()
        return (self.coach_id, self.coachee_id, *self.members, *sponsor)


@dataclass(frozen=True)
class PlanningConfig:
    """Planner settings. Solver limits apply per independent group (coach + coachees).

    ``polish_radius_days``: when improving the warm start, the solver may move each session
    up to this many days either way (a large-neighbourhood step that keeps solves small).

    With ``solver_workers=1`` the result depends only on the input and the deterministic
    limit; ``solver_time_limit_seconds`` is a wall-clock safety net that should not bind.
    """

    grid_minutes: int = 15
    coach_buffer_minutes: int = 15
    coach_max_sessions_per_day: int = 4
    solver_deterministic_limit: float = 1.0
    solver_time_limit_seconds: float = 10.0
    solver_workers: int = 1
    polish_radius_days: int = 2
    # Improve a feasible plan (start early, cadence close to the ideal) with CP-SAT. A round
    # checking many pairs only needs a feasible plan and its first session; confirmation
    # polishes.
    polish: bool = True

    def __post_init__(self) -> None:
        if self.grid_minutes < 1 or 1440 % self.grid_minutes:
            raise InvalidProblemError("grid must divide a day", field="grid_minutes")
        if self.coach_buffer_minutes < 0:
            raise InvalidProblemError("buffer cannot be negative", field="coach_buffer_minutes")
        if self.coach_max_sessions_per_day < 1:
            raise InvalidProblemError("must be at least 1", field="coach_max_sessions_per_day")
        if self.solver_deterministic_limit <= 0 or self.solver_time_limit_seconds <= 0:
            raise InvalidProblemError("solver limits must be positive", field="solver")
        if self.polish_radius_days < 0:
            raise InvalidProblemError("cannot be negative", field="polish_radius_days")
        if self.solver_workers < 1:
            raise InvalidProblemError("must be at least 1", field="solver_workers")


@dataclass(frozen=True)
class PlanningProblem:
    """Engagements to plan between ``start`` ("now") and ``end`` (horizon end).

    ``availability`` maps every participant's id to their availability (use
    :meth:`Availability.working_hours` for a coachee who gave none); ``booked`` maps person
    ids to sessions they already have (they block time, count towards a coach's daily
    maximum and need the coach's buffer).
    """

    start: dt.datetime
    end: dt.datetime
    engagements: tuple[Engagement, ...]
    availability: Mapping[str, Availability]
    booked: Mapping[str, tuple[Interval, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        start = require_utc(self.start, field="start")
        end = require_utc(self.end, field="end")
        if end <= start:
            raise InvalidProblemError("horizon end must be after its start", field="end")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "engagements", tuple(self.engagements))
        seen: set[str] = set()
        for engagement in self.engagements:
            if engagement.id in seen:
                raise InvalidProblemError(
                    f"duplicate engagement id {engagement.id!r}", field="engagements"
                )
            seen.add(engagement.id)
            for person in engagement.participants:
                if person not in self.availability:
                    raise InvalidProblemError(
                        f"no availability for person {person!r}",
                        field=f"engagements[{engagement.id}]",
                    )


@dataclass(frozen=True, order=True)
class SessionRef:
    """Session ``index`` (1-based) of engagement ``engagement_id``."""

    engagement_id: str
    index: int


@dataclass(frozen=True, order=True)
class PlacedSession:
    """A planned session: UTC ``start``/``end``; ``tripartite`` when the sponsor joins;
    ``members``: the engagement's other participants."""

    engagement_id: str
    index: int
    start: dt.datetime
    end: dt.datetime
    coach_id: str
    coachee_id: str
    sponsor_id: str | None = None
    members: tuple[str, ...] = ()

    @property
    def ref(self) -> SessionRef:
        return SessionRef(self.engagement_id, self.index)

    @property
    def tripartite(self) -> bool:
        return self.sponsor_id is not None

    @property
    def participants(self) -> tuple[str, ...]:
        sponsor = (self.sponsor_id,) if self.sponsor_id else ()
        return (self.coach_id, self.coachee_id, *self.members, *sponsor)

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


@dataclass(frozen=True, order=True)
class Unplaced:
    """An engagement that could not be planned; ``code`` is stable, ``reason`` is readable."""

    engagement_id: str
    code: str
    reason: str


@dataclass(frozen=True)
class PlanningResult:
    """Placed sessions (sorted by engagement, index) and unplaced engagements with reasons.

    ``proven`` is true when the solver proved, for every group, that no plan places more
    engagements.
    """

    sessions: tuple[PlacedSession, ...]
    unplaced: tuple[Unplaced, ...]
    proven: bool = True

    def for_engagement(self, engagement_id: str) -> tuple[PlacedSession, ...]:
        return tuple(s for s in self.sessions if s.engagement_id == engagement_id)

    @property
    def placed_engagements(self) -> frozenset[str]:
        return frozenset(s.engagement_id for s in self.sessions)


@dataclass(frozen=True, order=True)
class SessionMove:
    """A session moved by re-planning; ``cancelled`` when it is the cancelled one re-placed."""

    engagement_id: str
    index: int
    old_start: dt.datetime
    new_start: dt.datetime
    cancelled: bool = False


@dataclass(frozen=True)
class ReplanResult:
    """The whole plan after re-planning, and the moves made to reach it."""

    result: PlanningResult
    moves: tuple[SessionMove, ...]
