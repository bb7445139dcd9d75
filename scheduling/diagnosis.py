"""Why an engagement cannot be placed, in specific, human-readable words.

:func:`diagnose` looks at one engagement alone (against existing bookings); it returns an
:class:`Unplaced` when no plan can exist for it whatever happens to the others. When an
engagement is possible alone but the solver could not fit it beside the others,
:func:`competition_reason` says so.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Sequence

from scheduling.plan_types import Unplaced
from scheduling.slots import EngagementSlots, PlanningContext, Ranges, Span, intersect_spans


def hours(minutes: int) -> str:
    """``210`` → ``"3.5 h"``."""
    text = f"{minutes / 60:.1f}".rstrip("0").rstrip(".")
    return f"{text} h"


def _total(spans: Sequence[Span], lo: int, hi: int) -> int:
    return sum(b - a for a, b in intersect_spans(spans, [(lo, hi)])) if lo < hi else 0


def _date(ctx: PlanningContext, minute: int, person: str) -> str:
    zone = ctx.days(ctx.zone_of(person))
    return _local_date(ctx, minute, zone.zone).isoformat()


def _local_date(ctx: PlanningContext, minute: int, zone: str) -> dt.date:
    days = ctx.days(zone)
    return days.date(days.day_of_slot(minute // ctx.grid.step))


def _days_of(slots: EngagementSlots, ranges: Ranges) -> list[int]:
    days: set[int] = set()
    index = slots.cadence_days
    for lo, hi in ranges:
        days.update(range(index.day_of_slot(lo), index.day_of_slot(hi) + 1))
    return sorted(days)


def diagnose(ctx: PlanningContext, slots: EngagementSlots) -> Unplaced | None:
    """The reason ``slots.engagement`` cannot be placed even alone, or None."""
    e = slots.engagement
    step = ctx.grid.step
    lo, hi = slots.earliest * step, ctx.horizon
    coach, coachee = e.coach_id, e.coachee_id
    end_text = _date(ctx, hi - 1, coach)
    start_text = _date(ctx, lo, coach)
    needed = e.sessions * e.minutes

    def out(code: str, reason: str) -> Unplaced:
        return Unplaced(e.id, code, reason)

    if lo + e.minutes > hi:
        return out("horizon", f"earliest start {start_text} leaves no time before {end_text}")
    coach_free = _total(ctx.free[coach], lo, hi)
    if coach_free < needed:
        return out(
            "coach_capacity",
            f"coach has {hours(coach_free)} free between {start_text} and {end_text}; "
            f"{hours(needed)} needed",
        )
    coachee_free = _total(ctx.free[coachee], lo, hi)
    if coachee_free < needed:
        return out(
            "coachee_capacity",
            f"coachee has {hours(coachee_free)} free between {start_text} and {end_text}; "
            f"{hours(needed)} needed",
        )
    for member in e.members:
        member_free = _total(ctx.free[member], lo, hi)
        if member_free < needed:
            return out(
                "participant_capacity",
                f"a participant has {hours(member_free)} free between {start_text} and "
                f"{end_text}; {hours(needed)} needed",
            )
    common = _total(slots.common, lo, hi)
    if common == 0:
        return out(
            "no_common_window",
            f"no common window with the coachee between {start_text} and {end_text}",
        )
    if not slots.rest:
        longest = max(b - a for a, b in slots.common)
        return out(
            "common_too_short",
            f"coach and coachee never share {e.minutes} minutes in a row between {start_text} "
            f"and {end_text} (longest common window: {longest} minutes)",
        )
    if common < needed:
        return out(
            "common_capacity",
            f"coach and coachee share only {hours(common)} between {start_text} and "
            f"{end_text}; {hours(needed)} needed",
        )
    if not slots.first and e.first_at is not None:
        return out(
            "first_at_taken",
            f"the first session promised for {e.first_at.isoformat()} is no longer free "
            "for every participant",
        )
    if not slots.first:
        deadline_text = _date(ctx, slots.deadline * step, coach)
        if e.sponsor_id is not None and _first_without_sponsor(slots):
            return out(
                "no_sponsor_window",
                "no common window of coach, coachee and sponsor for the first session "
                f"between {start_text} and {deadline_text}",
            )
        return out(
            "first_session_deadline",
            f"no common window with the coachee for the first session between {start_text} "
            f"and {deadline_text} (within {e.first_within_days} days)",
        )
    return _cadence(ctx, slots, start_text, end_text)


def _first_without_sponsor(slots: EngagementSlots) -> bool:
    return any(lo <= slots.deadline for lo, _ in slots.rest)


def _cadence(
    ctx: PlanningContext, slots: EngagementSlots, start_text: str, end_text: str
) -> Unplaced | None:
    """Forward pass over local days: can sessions 1..N follow each other at the cadence?"""
    e = slots.engagement
    reach = _days_of(slots, slots.first)
    first_day = reach[0]
    candidates = _days_of(slots, slots.rest)
    for index in range(2, e.sessions + 1):
        nxt: list[int] = []
        for day in candidates:
            i = bisect_left(reach, day - e.max_days)
            if i < len(reach) and reach[i] <= day - e.min_days:
                nxt.append(day)
        if not nxt:
            last_day = slots.cadence_days.day_of_slot(ctx.horizon // ctx.grid.step - 1)
            span_needed = (e.sessions - 1) * e.min_days
            if first_day + span_needed > last_day:
                return Unplaced(
                    e.id,
                    "cadence_horizon",
                    f"{e.sessions} sessions at least {e.min_days} days apart need "
                    f"{span_needed} days after the first session; only "
                    f"{max(0, last_day - first_day)} days remain before {end_text}",
                )
            return Unplaced(
                e.id,
                "cadence_gap",
                f"no common window with the coachee {e.min_days}–{e.max_days} days after "
                f"session {index - 1} (between {start_text} and {end_text})",
            )
        reach = nxt
    return None


def competition_reason(
    ctx: PlanningContext, slots: EngagementSlots, group: Sequence[EngagementSlots]
) -> Unplaced:
    """Reason for an engagement possible alone but not placed beside the others."""
    e = slots.engagement
    step = ctx.grid.step
    lo, hi = slots.earliest * step, ctx.horizon
    same_coach = [g for g in group if g.engagement.coach_id == e.coach_id]
    needed = sum(g.engagement.sessions * g.engagement.minutes for g in same_coach)
    free = _total(ctx.free[e.coach_id], lo, hi)
    start_text = _date(ctx, lo, e.coach_id)
    end_text = _date(ctx, hi - 1, e.coach_id)
    if needed > free:
        return Unplaced(
            e.id,
            "coach_overbooked",
            f"coach has {hours(free)} free between {start_text} and {end_text}; the "
            f"{len(same_coach)} engagements competing for it need {hours(needed)}",
        )
    return Unplaced(
        e.id,
        "coach_busy",
        "could not be fitted around the coach's other engagements (their common windows, "
        "buffers, daily maximum and cadence leave no room)",
    )
