"""Running a matching round: solve, plan every proposed pair's sessions, re-match the pairs
that cannot be scheduled, and store the result (or only show it: a preview writes nothing).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from api import messages
from api.errors import Conflict
from api.models import CoachingRequest, MatchingRound, Proposal, User
from api.models.enums import ProposalStatus, RequestStatus, RoundStatus
from api.rounds.labels import summary
from api.rounds.live import supersede_live
from api.rounds.problem import MATCHABLE, BuiltProblem, RoundParams, build_problem, db_id
from api.sessions.availability import Pair, PlanningData, coach_key, planning_config
from api.settings import Settings
from matcher import problem as core
from matcher.result import MatchResult
from matcher.solve import match
from scheduling.intervals import Interval
from scheduling.plan_types import PlacedSession, Unplaced
from scheduling.planner import plan_sessions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RoundOutcome:
    """The round and its proposals: stored rows when committed, unsaved ones in a preview."""

    round: MatchingRound
    proposals: list[Proposal]


@dataclass(frozen=True)
class _Offer:
    request: str
    coach: str
    rank: int
    score: int
    breakdown: dict[str, int]

    @property
    def key(self) -> str:
        return f"{self.request}-{self.coach}"


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


class _Planner:
    """Plans pairs' sessions against everyone's bookings, from the round's first day."""

    def __init__(self, session: Session, settings: Settings, built: BuiltProblem, now: datetime):
        self.built = built
        self.settings = settings
        self.data = PlanningData(
            session=session, settings=settings, start=now, coaches=list(built.coaches.values())
        )
        self.earliest = max(now + timedelta(hours=settings.session_notice_hours), built.start)
        self.config = planning_config(settings)

    def plan(
        self, offers: list[_Offer], extra: dict[str, list[Interval]] | None = None
    ) -> tuple[dict[str, tuple[PlacedSession, ...]], dict[str, Unplaced]]:
        if not offers:
            return {}, {}
        pairs = [
            Pair(o.key, self.built.requests[o.request], self.built.coaches[o.coach], self.earliest)
            for o in offers
        ]
        result = plan_sessions(self.data.problem(pairs, extra_booked=extra), self.config)
        placed = {o.key: result.for_engagement(o.key) for o in offers}
        unplaced = {u.engagement_id: u for u in result.unplaced}
        return {k: v for k, v in placed.items() if v and k not in unplaced}, unplaced


def run_round(
    *,
    session: Session,
    settings: Settings,
    now: datetime,
    actor: User | None,
    params: RoundParams,
    commit: bool,
) -> RoundOutcome:
    """Match the open requests, plan the sessions of every proposed pair (the chosen coach
    and the alternatives), and re-match, up to `round_rematch_attempts` times, the requests
    whose chosen pair cannot be scheduled; alternatives that cannot be scheduled are left
    out. With ``commit`` the round and its proposals are stored, matched requests become
    ``proposed`` and their earlier proposals ``superseded``; without it nothing is written.
    Same data and settings give the same round."""
    started = time.perf_counter()
    built = build_problem(session=session, settings=settings, now=now, params=params)
    planner = _Planner(session, settings, built, now)
    banned: list[core.Adjustment] = []
    unschedulable: list[dict[str, Any]] = []
    solve_seconds = 0.0
    attempts = settings.round_rematch_attempts
    for attempt in range(attempts + 1):
        problem = dataclasses.replace(
            built.problem, adjustments=built.problem.adjustments + tuple(banned)
        )
        result = match(problem)
        solve_seconds += result.solve_seconds
        chosen = [
            _Offer(a.request, a.coach, 1, a.score, dict(a.breakdown)) for a in result.assignments
        ]
        placed, failed = planner.plan(chosen)
        for offer in chosen:
            if offer.key in failed:
                rematched = attempt < attempts  # banned, then solved again without it
                unschedulable.append(_unschedulable(offer, failed[offer.key], rematched))
                banned.append(core.Adjustment(offer.request, offer.coach, forbid=True))
        if not failed:
            break
    # Past the last attempt, a pair still unschedulable is dropped: nothing proposed
    # cannot be planned.
    kept = [o for o in chosen if o.key in placed]

    # Alternatives, rank by rank: each against the chosen coaches' sessions.
    coach_time: defaultdict[str, list[Interval]] = defaultdict(list)
    for offer in kept:
        key = coach_key(built.coaches[offer.coach])
        coach_time[key].extend(s.interval for s in placed[offer.key])
    offers: dict[str, list[_Offer]] = {o.request: [o] for o in kept}
    by_request = {a.request: a for a in result.assignments}
    for rank in range(2, params.proposals + 1):
        round_offers = []
        for offer in kept:
            alternatives = by_request[offer.request].alternatives
            if len(alternatives) >= rank - 1:
                alt = alternatives[rank - 2]
                round_offers.append(
                    _Offer(offer.request, alt.coach, rank, alt.score, dict(alt.breakdown))
                )
        alt_placed, alt_failed = planner.plan(round_offers, dict(coach_time))
        placed.update(alt_placed)
        for offer in round_offers:
            if offer.key in alt_failed:
                unschedulable.append(_unschedulable(offer, alt_failed[offer.key], False))
            else:
                offers[offer.request].append(offer)

    explanations = _explanations(built, result, offers, placed, unschedulable, attempt)
    row = MatchingRound(
        status=RoundStatus.committed if commit else RoundStatus.preview,
        created_at=now,
        committed_at=now if commit else None,
        created_by_id=actor.id if actor is not None else None,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        solve_seconds=round(solve_seconds, 3),
        parameters=params.to_json(),
        proposals=[
            {
                "request_id": db_id(request),
                "coach_ids": [db_id(o.coach) for o in items],
            }
            for request, items in sorted(offers.items(), key=lambda kv: db_id(kv[0]))
        ],
        explanations=explanations,
    )
    proposals = [
        Proposal(
            round_id=0,
            request_id=db_id(o.request),
            coach_id=db_id(o.coach),
            rank=rank,
            score=o.score,
            explanation=_proposal_explanation(o, placed[o.key]),
            status=ProposalStatus.proposed,
        )
        for request, items in sorted(offers.items(), key=lambda kv: db_id(kv[0]))
        for rank, o in enumerate(items, start=1)
    ]
    log.info(
        "round (%s): %d requests, %d coaches, %d matched, %d pairs unschedulable, %.2fs",
        "commit" if commit else "preview",
        len(built.requests),
        len(built.coaches),
        len(offers),
        len(unschedulable),
        time.perf_counter() - started,
    )
    if commit:
        _store(session, built, row, proposals, now)
    return RoundOutcome(row, proposals)


def _unschedulable(offer: _Offer, why: Unplaced, rematched: bool) -> dict[str, Any]:
    return {
        "request_id": db_id(offer.request),
        "coach_id": db_id(offer.coach),
        "rank": offer.rank,
        "code": why.code,
        "reason": why.reason,
        "rematched": rematched,
    }


def _proposal_explanation(offer: _Offer, sessions: tuple[PlacedSession, ...]) -> dict[str, Any]:
    first = sessions[0]
    return {
        "breakdown": offer.breakdown,
        "first_session": {"start": _iso(first.start), "end": _iso(first.end)},
        "sessions": [_iso(s.start) for s in sessions],
    }


def _explanations(
    built: BuiltProblem,
    result: MatchResult,
    offers: dict[str, list[_Offer]],
    placed: dict[str, tuple[PlacedSession, ...]],
    unschedulable: list[dict[str, Any]],
    attempts: int,
) -> dict[str, Any]:
    """What HR reads about the round: JSON only, and nothing that varies between two runs
    of the same data (no timings), so a round can be compared with its re-run."""
    blocked: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in unschedulable:
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
                "first_session_at": _iso(placed[chosen.key][0].start),
                "alternatives": [
                    {
                        "coach_id": db_id(a.coach),
                        "score": a.score,
                        "breakdown": a.breakdown,
                        "first_session_at": _iso(placed[a.key][0].start),
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
        "horizon": {"start": _iso(built.start), "end": _iso(built.end)},
        "requests": len(built.requests),
        "coaches": len(built.coaches),
        "matches": matches,
        "unmatched": unmatched,
        "unschedulable": unschedulable,
        "rematches": attempts,
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


def _store(
    session: Session,
    built: BuiltProblem,
    row: MatchingRound,
    proposals: list[Proposal],
    now: datetime,
) -> None:
    """Write the round in one transaction; 409 when a request changed meanwhile."""
    session.add(row)
    session.flush()
    assert row.id is not None
    ids = [db_id(k) for k in built.requests]
    supersede_live(session=session, request_ids=ids, now=now)
    matched = {p.request_id for p in proposals}
    for request_id in ids:
        status = RequestStatus.proposed if request_id in matched else RequestStatus.open
        changed = session.execute(
            update(CoachingRequest)
            .where(
                col(CoachingRequest.id) == request_id, col(CoachingRequest.status).in_(MATCHABLE)
            )
            .values(status=status, updated_at=now)
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            raise Conflict(messages.ROUND_STALE)
    for proposal in proposals:
        proposal.round_id = row.id
        session.add(proposal)
    session.commit()
    log.info("round %s committed: %d proposals", row.id, len(proposals))
