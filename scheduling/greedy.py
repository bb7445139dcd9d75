"""Greedy placement: the first-fit baseline, and the warm start handed to CP-SAT.

Engagements are taken one by one; each session goes to the earliest free slot that keeps
the cadence after the previous one. Nothing is ever moved back (no backtracking across
engagements), which is why it places fewer engagements than the solver.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence

from scheduling.slots import EngagementSlots, PlanningContext, Ranges


class _Occupancy:
    """Sessions placed during one greedy run, per person, plus coach day counts."""

    def __init__(self, ctx: PlanningContext) -> None:
        self.ctx = ctx
        self.starts: dict[str, list[int]] = {}
        self.ends: dict[str, list[int]] = {}
        self.day_counts: dict[str, Counter[int]] = {}

    def conflict(self, person: str, start: int, minutes: int) -> int | None:
        """End (minute, incl. buffer) of a session clashing with ``[start, +minutes)``."""
        buffer = self.ctx.buffer_of(person)
        starts = self.starts.get(person)
        if not starts:
            return None
        i = bisect_left(starts, start + minutes + buffer) - 1
        if i >= 0 and self.ends[person][i] + buffer > start:
            return self.ends[person][i] + buffer
        return None

    def day_count(self, coach: str, day: int) -> int:
        base = self.ctx.booked_days.get(coach, Counter())[day]
        return base + self.day_counts.get(coach, Counter())[day]

    def add(self, people: Sequence[str], coach: str, start: int, minutes: int, day: int) -> None:
        for person in people:
            starts = self.starts.setdefault(person, [])
            ends = self.ends.setdefault(person, [])
            i = bisect_left(starts, start)
            starts.insert(i, start)
            ends.insert(i, start + minutes)
        self.day_counts.setdefault(coach, Counter())[day] += 1

    def remove(self, people: Sequence[str], coach: str, start: int, day: int) -> None:
        for person in people:
            i = bisect_left(self.starts[person], start)
            del self.starts[person][i]
            del self.ends[person][i]
        self.day_counts[coach][day] -= 1


def _find(
    occ: _Occupancy, slots: EngagementSlots, ranges: Ranges, people: Sequence[str], lo: int, hi: int
) -> int | None:
    """Earliest slot in ``ranges`` ∩ ``[lo, hi]`` where all ``people`` are free."""
    step = occ.ctx.grid.step
    minutes = slots.engagement.minutes
    coach = slots.engagement.coach_id
    limit = occ.ctx.config.coach_max_sessions_per_day
    i = bisect_left(ranges, (lo, lo)) - 1
    i = max(i, 0)
    while i < len(ranges):
        a, b = ranges[i]
        if a > hi:
            return None
        s = max(a, lo)
        top = min(b, hi)
        while s <= top:
            nxt: int | None = None
            for person in people:
                clash = occ.conflict(person, s * step, minutes)
                if clash is not None:
                    nxt = max(nxt or 0, -(-clash // step))
            if nxt is None:
                day = slots.coach_days.day_of_slot(s)
                if occ.day_count(coach, day) < limit:
                    return s
                nxt = slots.coach_days.first_slot(day + 1)
            s = max(nxt, s + 1)
        i += 1
    return None


def _place_chain(
    occ: _Occupancy, slots: EngagementSlots, first_lo: int, ideal: bool
) -> list[int] | None:
    e = slots.engagement
    cadence = slots.cadence_days
    placed: list[int] = []
    ok = True
    for index in range(1, e.sessions + 1):
        people = e.attendees(index)
        ranges = slots.ranges(index)
        if index == 1:
            windows = [(first_lo, slots.deadline)]
        else:
            prev = placed[-1]
            day = cadence.day_of_slot(prev)
            floor = prev + slots.duration
            top = cadence.first_slot(day + e.max_days + 1) - 1
            low = max(cadence.first_slot(day + e.min_days), floor)
            if ideal and e.ideal_gap > e.min_days:
                mid = max(cadence.first_slot(day + e.ideal_gap), floor)
                windows = [(mid, top), (low, mid - 1)]
            else:
                windows = [(low, top)]
        found = None
        for lo, hi in windows:
            if lo <= hi:
                found = _find(occ, slots, ranges, people, lo, hi)
                if found is not None:
                    break
        if found is None:
            ok = False
            break
        placed.append(found)
        occ.add(
            people,
            e.coach_id,
            found * occ.ctx.grid.step,
            e.minutes,
            slots.coach_days.day_of_slot(found),
        )
    if ok:
        return placed
    for index, start in enumerate(placed, start=1):
        people = e.attendees(index)
        occ.remove(
            people, e.coach_id, start * occ.ctx.grid.step, slots.coach_days.day_of_slot(start)
        )
    return None


def _chain_with_retries(
    occ: _Occupancy, slots: EngagementSlots, ideal: bool, retries: int
) -> list[int] | None:
    first_lo = slots.earliest
    for _ in range(retries + 1):
        chain = _place_chain(occ, slots, first_lo, ideal)
        if chain is not None:
            return chain
        day = slots.coach_days.day_of_slot(max(first_lo, slots.first[0][0]))
        first_lo = slots.coach_days.first_slot(day + 1)
        if first_lo > slots.deadline:
            break
    return None


def first_fit(
    ctx: PlanningContext,
    engagements: Sequence[EngagementSlots],
    *,
    ideal: bool = False,
    retries: int = 0,
) -> dict[str, list[int]]:
    """Place ``engagements`` in the given order; return start slots per placed engagement.

    ``ideal`` aims each gap at the engagement's ideal cadence first (and falls back to the
    shortest gaps); ``retries`` lets a chain that got stuck start again from a later first
    session (a few times).
    """
    occ = _Occupancy(ctx)
    out: dict[str, list[int]] = {}
    for slots in engagements:
        if not slots.first or not slots.rest:
            continue
        for aim in (True, False) if ideal else (False,):
            chain = _chain_with_retries(occ, slots, aim, retries)
            if chain is not None:
                out[slots.engagement.id] = chain
                break
    return out
