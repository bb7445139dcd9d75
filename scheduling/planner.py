"""The session planner: turns engagements into sessions on the grid.

Engagements are split into independent groups (a coach, their coachees, and any sponsor
who also coaches or is coached), planned one after the other; a sponsor who only sponsors
links groups through their free time, which shrinks as earlier groups book them. In each
group a greedy pass gives a warm start; CP-SAT then places as many engagements as possible
(only when the greedy pass missed some) and polishes the plan: start early, keep gaps close
to the ideal cadence.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Mapping, Sequence

from scheduling.cpsat import GroupSolution, Key, solve_group
from scheduling.diagnosis import competition_reason, diagnose
from scheduling.greedy import first_fit
from scheduling.plan_types import (
    Engagement,
    PlacedSession,
    PlanningConfig,
    PlanningProblem,
    PlanningResult,
    Unplaced,
)
from scheduling.slots import EngagementSlots, PlanningContext

logger = logging.getLogger(__name__)

HINT_RETRIES = 6


def _groups(engagements: Sequence[Engagement]) -> list[list[Engagement]]:
    """Independent groups: coach, coachee and the other participants always together; a
    sponsor joins the group only when they also coach, are coached or take part (else they
    are handled through free time)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    principals = {p for e in engagements for p in (e.coach_id, e.coachee_id, *e.members)}
    for e in engagements:
        union(e.coach_id, e.coachee_id)
        for member in e.members:  # they attend every session, as the coachee does
            union(e.coach_id, member)
        if e.sponsor_id is not None and e.sponsor_id in principals:
            union(e.coach_id, e.sponsor_id)
    groups: dict[str, list[Engagement]] = {}
    for e in engagements:
        groups.setdefault(find(e.coach_id), []).append(e)
    return [groups[k] for k in sorted(groups)]


def _scarcity(slots: EngagementSlots) -> tuple[int, int, str]:
    first = sum(hi - lo + 1 for lo, hi in slots.first)
    rest = sum(hi - lo + 1 for lo, hi in slots.rest)
    return (first, rest, slots.engagement.id)


def _sessions(
    ctx: PlanningContext, slots: EngagementSlots, starts: Sequence[int]
) -> list[PlacedSession]:
    e = slots.engagement
    out: list[PlacedSession] = []
    for index, slot in enumerate(starts, start=1):
        start = ctx.grid.slot_at(slot)
        out.append(
            PlacedSession(
                engagement_id=e.id,
                index=index,
                start=start,
                end=start + (ctx.grid.at(e.minutes) - ctx.grid.origin),
                coach_id=e.coach_id,
                coachee_id=e.coachee_id,
                sponsor_id=e.sponsor_id if index == 1 else None,
                members=e.members,
            )
        )
    return out


def reserve(ctx: PlanningContext, sessions: Iterable[PlacedSession]) -> None:
    """Take planned sessions out of their participants' free time."""
    for s in sessions:
        minute = ctx.grid.minute(s.start)
        minutes = int((s.end - s.start).total_seconds() // 60)
        for person in s.participants:
            if person in ctx.free:
                ctx.reserve(person, minute, minutes)


def _starts_of(solution: GroupSolution, group: Sequence[EngagementSlots]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for slots in group:
        e = slots.engagement
        if e.id in solution.placed:
            keys: list[Key] = [(e.id, k) for k in range(1, e.sessions + 1)]
            out[e.id] = [solution.starts[key] for key in keys]
    return out


def _cost(slots: EngagementSlots, starts: Sequence[int]) -> int:
    """The polishing objective of one engagement, in days (see ``cpsat``)."""
    e, days = slots.engagement, slots.cadence_days
    day = [days.day_of_slot(s) for s in starts]
    late = day[0] - days.day_of_slot(slots.earliest)
    return late + sum(abs(b - a - e.ideal_gap) for a, b in itertools.pairwise(day))


def _lower_bound(slots: EngagementSlots) -> int:
    """No plan does better than the first possible day and ideal gaps."""
    days = slots.cadence_days
    return days.day_of_slot(slots.first[0][0]) - days.day_of_slot(slots.earliest)


def _neighbourhood(
    ctx: PlanningContext, group: Sequence[EngagementSlots], starts: Mapping[str, Sequence[int]]
) -> dict[Key, list[tuple[int, int]]]:
    """Candidate starts within ``polish_radius_days`` local days of each warm-start session."""
    radius = ctx.config.polish_radius_days
    out: dict[Key, list[tuple[int, int]]] = {}
    for slots in group:
        days = slots.coach_days
        for index, slot in enumerate(starts[slots.engagement.id], start=1):
            day = days.day_of_slot(slot)
            lo, hi = days.first_slot(day - radius), days.first_slot(day + radius + 1) - 1
            out[(slots.engagement.id, index)] = [
                (max(a, lo), min(b, hi)) for a, b in slots.ranges(index) if max(a, lo) <= min(b, hi)
            ]
    return out


def _plan_group(
    ctx: PlanningContext, group: Sequence[EngagementSlots]
) -> tuple[dict[str, list[int]], bool]:
    """Start slots per placed engagement of one group, and whether the count is proven."""
    ordered = sorted(group, key=_scarcity)
    starts = first_fit(ctx, ordered, ideal=True, retries=HINT_RETRIES)
    proven = True
    if len(starts) < len(group):
        most = solve_group(ctx, group, hint=starts, maximise_placed=True)
        proven = most.proven
        if len(most.placed) > len(starts):
            starts = _starts_of(most, group)
    present = [g for g in group if g.engagement.id in starts]
    if (
        ctx.config.polish
        and present
        and sum(_cost(g, starts[g.engagement.id]) - _lower_bound(g) for g in present)
    ):
        allowed = _neighbourhood(ctx, present, starts)
        polished = solve_group(ctx, present, hint=starts, maximise_placed=False, allowed=allowed)
        if polished.placed:
            starts = _starts_of(polished, present)
    return starts, proven


def plan_sessions(problem: PlanningProblem, config: PlanningConfig | None = None) -> PlanningResult:
    """Plan every engagement of ``problem``; see the module docstring for the method."""
    config = config or PlanningConfig()
    ctx = PlanningContext(problem, config)
    unplaced: dict[str, Unplaced] = {}
    feasible: list[Engagement] = []
    initial: dict[str, EngagementSlots] = {}
    for e in problem.engagements:
        initial[e.id] = ctx.slots(e)
        reason = diagnose(ctx, initial[e.id])
        if reason is None:
            feasible.append(e)
        else:
            unplaced[e.id] = reason
    sessions: list[PlacedSession] = []
    proven = True
    for members in _groups(feasible):
        group: list[EngagementSlots] = []
        for e in members:
            if ctx.touched.isdisjoint(e.participants):
                group.append(initial[e.id])
                continue
            slots = ctx.slots(e)  # a sponsor's free time shrank in an earlier group
            reason = diagnose(ctx, slots)
            if reason is None:
                group.append(slots)
            else:
                unplaced[e.id] = reason
        starts, group_proven = _plan_group(ctx, group) if group else ({}, True)
        proven = proven and group_proven
        placed: list[PlacedSession] = []
        for slots in group:
            eid = slots.engagement.id
            if eid in starts:
                placed.extend(_sessions(ctx, slots, starts[eid]))
            else:
                unplaced[eid] = competition_reason(ctx, slots, group)
        reserve(ctx, placed)
        sessions.extend(placed)
    logger.info(
        "planned %d engagements, %d not placed",
        len(problem.engagements) - len(unplaced),
        len(unplaced),
    )
    return PlanningResult(
        sessions=tuple(sorted(sessions)),
        unplaced=tuple(sorted(unplaced.values())),
        proven=proven,
    )


def first_fit_baseline(
    problem: PlanningProblem, config: PlanningConfig | None = None
) -> PlanningResult:
    """The simple baseline: engagements in input order, each session at the earliest free
    slot, no solver and no going back. For comparison in the benchmark."""
    config = config or PlanningConfig()
    ctx = PlanningContext(problem, config)
    all_slots = [ctx.slots(e) for e in problem.engagements]
    starts = first_fit(ctx, all_slots)
    sessions: list[PlacedSession] = []
    unplaced: list[Unplaced] = []
    for slots in all_slots:
        if slots.engagement.id in starts:
            sessions.extend(_sessions(ctx, slots, starts[slots.engagement.id]))
        else:
            unplaced.append(Unplaced(slots.engagement.id, "first_fit", "first fit found no slot"))
    return PlanningResult(tuple(sorted(sessions)), tuple(sorted(unplaced)), proven=False)


def hint_map(sessions: Iterable[PlacedSession]) -> Mapping[str, list[PlacedSession]]:
    out: dict[str, list[PlacedSession]] = {}
    for s in sorted(sessions):
        out.setdefault(s.engagement_id, []).append(s)
    return out
