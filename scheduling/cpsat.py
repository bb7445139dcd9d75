"""The CP-SAT model of one independent group of engagements (one coach and their coachees).

One helper per constraint family, each saying its rule in plain words. Decision variables
live in :class:`GroupVars`; the solver status is turned into a :class:`GroupSolution`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduling.plan_types import PlanningConfig
from scheduling.slots import EngagementSlots, PlanningContext

logger = logging.getLogger(__name__)

Key = tuple[str, int]  # (engagement id, session index)


@dataclass
class SessionVars:
    """Variables of one session: start slot and local day numbers (coach's, coachee's)."""

    start: cp_model.IntVar
    coach_day: cp_model.IntVar
    cadence_day: cp_model.IntVar


@dataclass
class GroupVars:
    """All decision variables of a group model."""

    sessions: dict[Key, SessionVars] = field(default_factory=dict)
    present: dict[str, cp_model.IntVar] = field(default_factory=dict)
    bounds: dict[Key, tuple[int, int]] = field(default_factory=dict)
    dst_hints: list[tuple[cp_model.IntVar, Key, int]] = field(default_factory=list)


@dataclass(frozen=True)
class GroupSolution:
    """What the solver found: start slot per session of every placed engagement."""

    status: str
    starts: Mapping[Key, int]
    placed: frozenset[str]
    proven: bool


def _keys(slots: EngagementSlots) -> list[Key]:
    e = slots.engagement
    return [(e.id, k) for k in range(1, e.sessions + 1)]


def _add_session_variables(
    model: cp_model.CpModel,
    group: Sequence[EngagementSlots],
    optional: bool,
    pinned: Mapping[Key, int],
    allowed: Mapping[Key, Sequence[tuple[int, int]]],
) -> GroupVars:
    """Hard: a session starts on the grid where coach, coachee, the other participants (and
    the sponsor, for the first session) are all free for its whole length, before the
    horizon end; the first starts between the earliest start and the first-session
    deadline. A pinned session (already held) keeps its start."""
    v = GroupVars()
    for slots in group:
        e = slots.engagement
        v.present[e.id] = (
            model.new_bool_var(f"present[{e.id}]") if optional else model.new_constant(1)
        )
        for key in _keys(slots):
            if key in pinned:
                domain = cp_model.Domain.from_values([pinned[key]])
            else:
                ranges = allowed.get(key, slots.ranges(key[1]))
                domain = cp_model.Domain.from_intervals([list(r) for r in ranges])
            start = model.new_int_var_from_domain(domain, f"start[{key}]")
            lo, hi = domain.min(), domain.max()
            coach_day = model.new_int_var(
                slots.coach_days.day_of_slot(lo), slots.coach_days.day_of_slot(hi), f"cday[{key}]"
            )
            if slots.cadence_days is slots.coach_days:
                cadence_day = coach_day
            else:
                cadence_day = model.new_int_var(
                    slots.cadence_days.day_of_slot(lo),
                    slots.cadence_days.day_of_slot(hi),
                    f"eday[{key}]",
                )
            v.sessions[key] = SessionVars(start, coach_day, cadence_day)
            v.bounds[key] = (lo, hi)
    return v


def _add_day_links(model: cp_model.CpModel, v: GroupVars, group: Sequence[EngagementSlots]) -> None:
    """Hard: a session's day numbers are the local calendar days (in the coach's and in the
    coachee's zone) on which it starts, DST included: the local wall-clock minute of the
    start is its UTC minute plus the zone's offset, which changes at the DST instants."""
    for slots in group:
        for key in _keys(slots):
            s = v.sessions[key]
            pairs = [(s.coach_day, slots.coach_days)]
            if s.cadence_day is not s.coach_day:
                pairs.append((s.cadence_day, slots.cadence_days))
            lo, hi = v.bounds[key]
            for day, index in pairs:
                step = index.step
                local = step * s.start - index.local_origin
                offset = index.offset_at(lo * step)
                terms: list[cp_model.LinearExprT] = [local, offset]
                for minute, after in index.offsets:
                    change_slot = -(-minute // step)
                    if lo < change_slot <= hi:
                        later = model.new_bool_var(f"dst[{key},{minute}]")
                        model.add(s.start >= change_slot).only_enforce_if(later)
                        model.add(s.start < change_slot).only_enforce_if(~later)
                        v.dst_hints.append((later, key, change_slot))
                        terms.append((after - offset) * later)
                        offset = after
                local_minute = sum(terms)
                model.add(1440 * day <= local_minute)
                model.add(local_minute <= 1440 * day + 1439)


def _add_no_double_booking(
    model: cp_model.CpModel,
    ctx: PlanningContext,
    v: GroupVars,
    group: Sequence[EngagementSlots],
) -> None:
    """Hard: nobody is booked twice at the same time, and a coach keeps at least the buffer
    between two sessions (existing bookings are already out of everyone's free time)."""
    step = ctx.grid.step
    per_person: dict[str, list[cp_model.IntervalVar]] = {}
    for slots in group:
        e = slots.engagement
        for key in _keys(slots):
            people = e.attendees(key[1])
            for person in people:
                size = -(-(e.minutes + ctx.buffer_of(person)) // step)
                interval = model.new_optional_fixed_size_interval_var(
                    v.sessions[key].start, size, v.present[e.id], f"iv[{person}{key}]"
                )
                per_person.setdefault(person, []).append(interval)
    for intervals in per_person.values():
        if len(intervals) > 1:
            model.add_no_overlap(intervals)


def _add_daily_maximum(
    model: cp_model.CpModel,
    ctx: PlanningContext,
    v: GroupVars,
    group: Sequence[EngagementSlots],
) -> None:
    """Hard: a coach has at most the configured number of sessions per local day, sessions
    already booked included."""
    limit = ctx.config.coach_max_sessions_per_day
    per_coach: dict[str, list[cp_model.IntervalVar]] = {}
    for slots in group:
        e = slots.engagement
        for key in _keys(slots):
            day = v.sessions[key].coach_day
            per_coach.setdefault(e.coach_id, []).append(
                model.new_optional_fixed_size_interval_var(day, 1, v.present[e.id], "")
            )
    for coach, intervals in per_coach.items():
        demands = [1] * len(intervals)
        for booked_day, count in sorted(ctx.booked_days.get(coach, {}).items()):
            if count > 0:
                intervals.append(model.new_fixed_size_interval_var(booked_day, 1, ""))
                demands.append(min(count, limit))
        if len(intervals) > limit:
            model.add_cumulative(intervals, demands, limit)


def _add_cadence(model: cp_model.CpModel, v: GroupVars, group: Sequence[EngagementSlots]) -> None:
    """Hard: an engagement's sessions come in order, and consecutive sessions are between
    min_days and max_days calendar days apart (dates in the coachee's zone)."""
    for slots in group:
        e = slots.engagement
        for k in range(2, e.sessions + 1):
            prev, cur = v.sessions[(e.id, k - 1)], v.sessions[(e.id, k)]
            present = v.present[e.id]
            model.add(cur.start >= prev.start + slots.duration).only_enforce_if(present)
            gap = cur.cadence_day - prev.cadence_day
            model.add(gap >= e.min_days).only_enforce_if(present)
            model.add(gap <= e.max_days).only_enforce_if(present)


def _objective_placed(model: cp_model.CpModel, v: GroupVars) -> None:
    """Goal (first pass): place as many engagements as possible."""
    model.maximize(sum(v.present.values()))


def _objective_early_and_regular(
    model: cp_model.CpModel, ctx: PlanningContext, v: GroupVars, group: Sequence[EngagementSlots]
) -> None:
    """Soft: start early, and keep each gap close to the ideal cadence; one day off the ideal
    gap weighs as much as starting the engagement one day later (counted in days)."""
    terms: list[cp_model.LinearExprT] = []
    for slots in group:
        e = slots.engagement
        terms.append(
            v.sessions[(e.id, 1)].cadence_day - slots.cadence_days.day_of_slot(slots.earliest)
        )
        for k in range(2, e.sessions + 1):
            gap = v.sessions[(e.id, k)].cadence_day - v.sessions[(e.id, k - 1)].cadence_day
            dev = model.new_int_var(0, e.max_days, f"dev[{e.id},{k}]")
            model.add(dev >= gap - e.ideal_gap)
            model.add(dev >= e.ideal_gap - gap)
            terms.append(dev)
    model.minimize(sum(terms))


def _objective_few_moves(
    model: cp_model.CpModel,
    v: GroupVars,
    held: Mapping[Key, int],
    cancelled: Mapping[Key, int],
    horizon: int,
) -> None:
    """Goal (re-planning): move as few held sessions as possible, then by as little as
    possible; a cancelled session goes back as close to its old time as it can."""
    terms: list[cp_model.LinearExprT] = []
    weight = 4 * (len(held) + len(cancelled)) * horizon + 1
    for key, old in sorted({**held, **cancelled}.items()):
        s = v.sessions[key].start
        dist = model.new_int_var(0, 2 * horizon + abs(old), f"dist[{key}]")
        model.add_abs_equality(dist, s - old)
        terms.append(dist)
        if key in held:
            moved = model.new_bool_var(f"moved[{key}]")
            model.add(s == old).only_enforce_if(~moved)
            terms.append(weight * moved)
    model.minimize(sum(terms))


def _parameters(solver: cp_model.CpSolver, config: PlanningConfig) -> None:
    solver.parameters.num_workers = config.solver_workers
    solver.parameters.max_deterministic_time = config.solver_deterministic_limit
    solver.parameters.max_time_in_seconds = config.solver_time_limit_seconds
    solver.parameters.random_seed = 0
    # Group models are small and solved by the hundred: presolve cost more than it saved
    # (bench: planner CPU 9.7 s -> 7.5 s for 1,000 engagements, same placements and
    # about the same lateness and cadence).
    solver.parameters.cp_model_presolve = False


def solve_group(
    ctx: PlanningContext,
    group: Sequence[EngagementSlots],
    *,
    hint: Mapping[str, Sequence[int]],
    maximise_placed: bool,
    pinned: Mapping[Key, int] | None = None,
    allowed: Mapping[Key, Sequence[tuple[int, int]]] | None = None,
    held: Mapping[Key, int] | None = None,
    cancelled: Mapping[Key, int] | None = None,
) -> GroupSolution:
    """Solve one group. With ``maximise_placed`` engagements are optional and the count of
    placed ones is maximised; otherwise all must be placed and the plan is polished (or,
    with ``held``/``cancelled`` old positions, moved as little as possible)."""
    model = cp_model.CpModel()
    v = _add_session_variables(model, group, maximise_placed, pinned or {}, allowed or {})
    _add_day_links(model, v, group)
    _add_no_double_booking(model, ctx, v, group)
    _add_daily_maximum(model, ctx, v, group)
    _add_cadence(model, v, group)
    if maximise_placed:
        _objective_placed(model, v)
    elif held is not None or cancelled is not None:
        _objective_few_moves(model, v, held or {}, cancelled or {}, ctx.horizon // ctx.grid.step)
    else:
        _objective_early_and_regular(model, ctx, v, group)
    for slots in group:
        e = slots.engagement
        starts = hint.get(e.id)
        if maximise_placed:
            model.add_hint(v.present[e.id], starts is not None)
        if starts is None:
            continue
        for k, slot in enumerate(starts, start=1):
            s = v.sessions[(e.id, k)]
            model.add_hint(s.start, slot)
            model.add_hint(s.coach_day, slots.coach_days.day_of_slot(slot))
            if s.cadence_day is not s.coach_day:
                model.add_hint(s.cadence_day, slots.cadence_days.day_of_slot(slot))
    hinted = {(eid, k): slot for eid, starts in hint.items() for k, slot in enumerate(starts, 1)}
    for later, key, change_slot in v.dst_hints:
        if key in hinted:
            model.add_hint(later, hinted[key] >= change_slot)
    solver = cp_model.CpSolver()
    _parameters(solver, ctx.config)
    status = solver.solve(model)
    name = solver.status_name(status)
    logger.debug("group of %d engagements: %s in %.3fs", len(group), name, solver.wall_time)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return GroupSolution(name, {}, frozenset(), status == cp_model.INFEASIBLE)
    placed = frozenset(eid for eid, lit in v.present.items() if solver.value(lit))
    starts_out = {
        key: int(solver.value(s.start)) for key, s in v.sessions.items() if key[0] in placed
    }
    return GroupSolution(name, starts_out, placed, status == cp_model.OPTIMAL)
