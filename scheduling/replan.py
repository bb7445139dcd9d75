"""Re-planning after a cancellation: keep everything else, move as little as possible.

Sessions of other engagements stay exactly where they are (they become bookings). For each
engagement with a cancelled session, its past sessions stay put, the cancelled session gets
a new time (never overlapping its old one), and its other future sessions move only when the cadence
leaves no other choice; the solver minimises first the number of moved sessions, then the
distance moved. The first-session deadline does not apply when re-planning.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence

from scheduling.cpsat import Key, solve_group
from scheduling.diagnosis import diagnose
from scheduling.errors import InvalidProblemError
from scheduling.intervals import Interval
from scheduling.plan_types import (
    PlacedSession,
    PlanningConfig,
    PlanningProblem,
    PlanningResult,
    ReplanResult,
    SessionMove,
    SessionRef,
    Unplaced,
)
from scheduling.planner import _sessions, reserve
from scheduling.slots import PlanningContext

logger = logging.getLogger(__name__)


def replan(
    problem: PlanningProblem,
    current: Sequence[PlacedSession],
    cancelled: Sequence[SessionRef],
    config: PlanningConfig | None = None,
) -> ReplanResult:
    """Re-place the ``cancelled`` sessions of ``current`` (``problem.start`` is "now";
    ``problem.availability`` is the up-to-date availability)."""
    config = config or PlanningConfig()
    engagements = {e.id: e for e in problem.engagements}
    by_ref = {s.ref: s for s in current}
    for ref in cancelled:
        if ref not in by_ref:
            raise InvalidProblemError(
                f"no session {ref.index} of {ref.engagement_id!r} in the plan", field="cancelled"
            )
        if by_ref[ref].start < problem.start:
            raise InvalidProblemError("a past session cannot be re-planned", field="cancelled")
    affected = sorted({ref.engagement_id for ref in cancelled})
    for eid in affected:
        if eid not in engagements:
            raise InvalidProblemError(f"unknown engagement {eid!r}", field="cancelled")
    kept = [s for s in current if s.engagement_id not in affected]
    booked: dict[str, list[Interval]] = {p: list(v) for p, v in problem.booked.items()}
    for s in kept:
        for person in s.participants:
            booked.setdefault(person, []).append(s.interval)
    earliest_held = min((s.start for s in current), default=problem.start)
    relaxed = tuple(
        dataclasses.replace(engagements[eid], first_within_days=10_000) for eid in affected
    )
    sub = PlanningProblem(
        start=problem.start,
        end=problem.end,
        engagements=relaxed,
        availability=problem.availability,
        booked={p: tuple(v) for p, v in booked.items()},
    )
    ctx = PlanningContext(sub, config, days_from=earliest_held - dt.timedelta(days=2))
    sessions = list(kept)
    moves: list[SessionMove] = []
    unplaced: list[Unplaced] = []
    cancelled_set = set(cancelled)
    step = ctx.grid.step
    for e in relaxed:
        slots = ctx.slots(e)
        mine = sorted((s for s in current if s.engagement_id == e.id), key=lambda s: s.index)
        pinned: dict[Key, int] = {}
        held: dict[Key, int] = {}
        gone: dict[Key, int] = {}
        allowed: dict[Key, list[tuple[int, int]]] = {}
        for s in mine:
            key = (e.id, s.index)
            slot = ctx.grid.minute(s.start) // step
            if s.ref in cancelled_set:
                gone[key] = slot
                allowed[key] = _without(
                    slots.ranges(s.index), slot - slots.duration + 1, slot + slots.duration - 1
                )
            elif s.start < problem.start:
                pinned[key] = slot
            else:
                held[key] = slot
                allowed[key] = list(slots.ranges(s.index))
        hint = {
            e.id: [held.get((e.id, k), pinned.get((e.id, k), 0)) for k in range(1, e.sessions + 1)]
        }
        solution = solve_group(
            ctx,
            [slots],
            hint=hint,
            maximise_placed=False,
            pinned=pinned,
            allowed=allowed,
            held=held,
            cancelled=gone,
        )
        if e.id not in solution.placed:
            reason = diagnose(ctx, slots)
            lost = ", ".join(str(k[1]) for k in sorted(gone))
            text = f"session {lost} could not be re-placed without breaking the cadence"
            if reason is not None:
                text += f" ({reason.reason})"
            unplaced.append(Unplaced(e.id, "replan_failed", text))
            sessions.extend(s for s in mine if s.ref not in cancelled_set)
            continue
        starts = [solution.starts[(e.id, k)] for k in range(1, e.sessions + 1)]
        old_by_index = {s.index: s for s in mine}
        new: list[PlacedSession] = []
        for n in _sessions(ctx, slots, starts):
            old = old_by_index.get(n.index)
            if old is not None and old.start == n.start and old.ref not in cancelled_set:
                new.append(old)
                continue
            if old is not None:
                moves.append(
                    SessionMove(e.id, n.index, old.start, n.start, old.ref in cancelled_set)
                )
            new.append(n)
        reserve(ctx, new)
        sessions.extend(new)
    logger.info("re-planned %d engagements, %d moves", len(affected), len(moves))
    return ReplanResult(
        result=PlanningResult(tuple(sorted(sessions)), tuple(sorted(unplaced))),
        moves=tuple(sorted(moves)),
    )


def _without(ranges: Sequence[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """``ranges`` minus the starts ``lo..hi`` (those overlapping the cancelled time)."""
    out: list[tuple[int, int]] = []
    for a, b in ranges:
        if b < lo or a > hi:
            out.append((a, b))
            continue
        if a < lo:
            out.append((a, lo - 1))
        if b > hi:
            out.append((hi + 1, b))
    return out
