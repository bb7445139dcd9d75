"""The round engine: match → plan every proposed pair's sessions → re-match the pairs that
cannot be scheduled → plan the alternatives → explain. Pure: it reads a loaded
`RoundInput` (no database in reach; `PlanningData` is detached) and returns an
`EngineResult`. It reports progress through a callback and stops when asked to.

Loading is `api.rounds.runner.load_round`; storing is `api.rounds.runner.store_round`.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from api.rounds.labels import summary
from api.rounds.problem import BuiltProblem, db_id
from api.sessions.availability import Pair, PlanningData, coach_key
from matcher import problem as core
from matcher.result import MatchResult
from matcher.solve import match
from scheduling.intervals import Interval
from scheduling.plan_types import PlacedSession, PlanningConfig, Unplaced
from scheduling.planner import plan_sessions


@dataclass(frozen=True)
class Progress:
    """Where a running round is: the step, the best value of the first objective found so
    far and its proven bound, and the seconds since the engine started."""

    stage: str  # matching | planning | alternatives | explaining
    best: float | None
    bound: float | None
    elapsed_s: float
    attempt: int = 0

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class RoundCancelled(Exception):
    """The round was asked to stop; nothing of it is kept."""


@dataclass(frozen=True)
class RoundInput:
    """Everything a round reads, loaded at once."""

    built: BuiltProblem
    planning: PlanningData  # detached: reading a person not loaded is an error
    earliest: datetime  # no session before this (notice, horizon start)
    config: PlanningConfig
    rematch_attempts: int
    proposals: int


@dataclass(frozen=True)
class Offer:
    request: str
    coach: str
    rank: int
    score: int
    breakdown: dict[str, int]

    @property
    def key(self) -> str:
        return f"{self.request}-{self.coach}"


@dataclass(frozen=True)
class EngineResult:
    result: MatchResult
    offers: dict[str, list[Offer]]  # request key -> chosen coach, then alternatives
    placed: dict[str, tuple[PlacedSession, ...]]  # offer key -> its planned sessions
    unschedulable: list[dict[str, Any]]
    attempts: int
    solve_seconds: float
    explanations: dict[str, Any] = field(default_factory=dict)


ProgressFn = Callable[[Progress], None]
StopFn = Callable[[], bool]


def _never() -> bool:
    return False


def _quiet(_: Progress) -> None:
    return None


def iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


class _Planner:
    """Plans offers' sessions against everyone's bookings, from the round's first day."""

    def __init__(self, inp: RoundInput) -> None:
        self.inp = inp

    def plan(
        self, offers: list[Offer], extra: dict[str, list[Interval]] | None = None
    ) -> tuple[dict[str, tuple[PlacedSession, ...]], dict[str, Unplaced]]:
        if not offers:
            return {}, {}
        built = self.inp.built
        pairs = [
            Pair(o.key, built.requests[o.request], built.coaches[o.coach], self.inp.earliest)
            for o in offers
        ]
        problem = self.inp.planning.problem(pairs, extra_booked=extra)
        result = plan_sessions(problem, self.inp.config)
        placed = {o.key: result.for_engagement(o.key) for o in offers}
        unplaced = {u.engagement_id: u for u in result.unplaced}
        return {k: v for k, v in placed.items() if v and k not in unplaced}, unplaced


def run_engine(
    inp: RoundInput, *, progress: ProgressFn = _quiet, should_stop: StopFn = _never
) -> EngineResult:
    """Match the round's requests, plan every proposed pair (the chosen coach and the
    alternatives), and re-match, up to `rematch_attempts` times, the requests whose chosen
    pair cannot be scheduled; alternatives that cannot be scheduled are left out. Same input,
    same result."""
    started = time.perf_counter()

    def report(stage: str, result: MatchResult | None, attempt: int) -> None:
        best = result.objective if result is not None else None
        bound = result.bound if result is not None else None
        progress(Progress(stage, best, bound, round(time.perf_counter() - started, 2), attempt))
        if should_stop():
            raise RoundCancelled

    planner = _Planner(inp)
    built = inp.built
    banned: list[core.Adjustment] = []
    unschedulable: list[dict[str, Any]] = []
    solve_seconds = 0.0
    attempts = inp.rematch_attempts
    result: MatchResult | None = None
    chosen: list[Offer] = []
    placed: dict[str, tuple[PlacedSession, ...]] = {}
    attempt = 0
    for attempt in range(attempts + 1):
        report("matching", result, attempt)
        problem = dataclasses.replace(
            built.problem, adjustments=built.problem.adjustments + tuple(banned)
        )
        result = match(problem)
        solve_seconds += result.solve_seconds
        report("planning", result, attempt)
        chosen = [
            Offer(a.request, a.coach, 1, a.score, dict(a.breakdown)) for a in result.assignments
        ]
        placed, failed = planner.plan(chosen)
        for offer in chosen:
            if offer.key in failed:
                rematched = attempt < attempts  # banned, then solved again without it
                unschedulable.append(_unschedulable(offer, failed[offer.key], rematched))
                banned.append(core.Adjustment(offer.request, offer.coach, forbid=True))
        if not failed:
            break
    assert result is not None
    # Past the last attempt, a pair still unschedulable is dropped: nothing proposed
    # cannot be planned.
    kept = [o for o in chosen if o.key in placed]

    report("alternatives", result, attempt)
    # Alternatives, rank by rank: each against the chosen coaches' sessions.
    coach_time: defaultdict[str, list[Interval]] = defaultdict(list)
    for offer in kept:
        key = coach_key(built.coaches[offer.coach])
        coach_time[key].extend(s.interval for s in placed[offer.key])
    offers: dict[str, list[Offer]] = {o.request: [o] for o in kept}
    by_request = {a.request: a for a in result.assignments}
    for rank in range(2, inp.proposals + 1):
        round_offers = []
        for offer in kept:
            alternatives = by_request[offer.request].alternatives
            if len(alternatives) >= rank - 1:
                alt = alternatives[rank - 2]
                round_offers.append(
                    Offer(offer.request, alt.coach, rank, alt.score, dict(alt.breakdown))
                )
        alt_placed, alt_failed = planner.plan(round_offers, dict(coach_time))
        placed.update(alt_placed)
        for offer in round_offers:
            if offer.key in alt_failed:
                unschedulable.append(_unschedulable(offer, alt_failed[offer.key], False))
            else:
                offers[offer.request].append(offer)

    report("explaining", result, attempt)
    engine = EngineResult(result, offers, placed, unschedulable, attempt, solve_seconds)
    return dataclasses.replace(engine, explanations=explanations(built, engine))


def _unschedulable(offer: Offer, why: Unplaced, rematched: bool) -> dict[str, Any]:
    return {
        "request_id": db_id(offer.request),
        "coach_id": db_id(offer.coach),
        "rank": offer.rank,
        "code": why.code,
        "reason": why.reason,
        "rematched": rematched,
    }


def proposal_explanation(offer: Offer, sessions: tuple[PlacedSession, ...]) -> dict[str, Any]:
    first = sessions[0]
    return {
        "breakdown": offer.breakdown,
        "first_session": {"start": iso(first.start), "end": iso(first.end)},
        "sessions": [iso(s.start) for s in sessions],
    }


def offer_rows(engine: EngineResult) -> list[dict[str, Any]]:
    """The proposals the round stores when committed (a preview keeps them as they are)."""
    return [
        {
            "request_id": db_id(request),
            "coach_id": db_id(o.coach),
            "rank": rank,
            "score": o.score,
            "explanation": proposal_explanation(o, engine.placed[o.key]),
        }
        for request, items in sorted(engine.offers.items(), key=lambda kv: db_id(kv[0]))
        for rank, o in enumerate(items, start=1)
    ]


def explanations(built: BuiltProblem, engine: EngineResult) -> dict[str, Any]:
    """What HR reads about the round: JSON only, and nothing that varies between two runs
    of the same data (no timings), so a round can be compared with its re-run."""
    result, offers, placed = engine.result, engine.offers, engine.placed
    blocked: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in engine.unschedulable:
        blocked[item["request_id"]].append(item)
    matches = []
    for request, items in sorted(offers.items(), key=lambda kv: db_id(kv[0])):
        assignment = result.assignment_of(request)
        assert assignment is not None
        chosen, *alternatives = items
        matches.append(
            {
                "request_id": db_id(request),
                "coach_id": db_id(chosen.coach),
                "score": chosen.score,
                "breakdown": chosen.breakdown,
                "hours": assignment.hours,
                "cost": assignment.cost,
                "first_session_at": iso(placed[chosen.key][0].start),
                "alternatives": [
                    {
                        "coach_id": db_id(a.coach),
                        "score": a.score,
                        "breakdown": a.breakdown,
                        "first_session_at": iso(placed[a.key][0].start),
                    }
                    for a in alternatives
                ],
                "unschedulable": blocked.get(db_id(request), []),
            }
        )
    unmatched: list[dict[str, Any]] = []
    reasons_of = {u.request: dict(u.reasons) for u in result.unmatched}
    for request in built.requests:
        if request in offers:
            continue
        reasons: Counter[str] = Counter(reasons_of.get(request, {}))
        mine = [u for u in blocked.get(db_id(request), []) if u["rank"] == 1]
        # Pairs banned for want of a schedule are counted as such, not as HR's ban.
        banned = sum(1 for u in mine if u["rematched"])
        if banned and reasons["forbidden"] >= banned:
            reasons["forbidden"] -= banned
        reasons["unschedulable"] += len(mine)
        reasons = +reasons
        unmatched.append(
            {
                "request_id": db_id(request),
                "reasons": dict(reasons),
                "summary": summary(reasons),
                "unschedulable": blocked.get(db_id(request), []),
            }
        )
    unmatched.sort(key=lambda u: u["request_id"])
    return {
        "status": result.status,
        "message": result.message,
        "horizon": {"start": iso(built.start), "end": iso(built.end)},
        "requests": len(built.requests),
        "coaches": len(built.coaches),
        "matches": matches,
        "unmatched": unmatched,
        "unschedulable": engine.unschedulable,
        "rematches": engine.attempts,
        "dropped": [dataclasses.asdict(d) for d in result.dropped],
        "moved": [db_id(r) for r in result.moved],
        "external_cost": result.external_cost,
        "stages": [
            {"name": s.name, "status": s.status, "objective": s.objective, "bound": s.bound}
            for s in result.stages
        ],
        "coach_hours": {
            str(db_id(k)): dataclasses.asdict(v) for k, v in sorted(built.hours.items())
        },
    }
