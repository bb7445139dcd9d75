"""A solver-free check of a plan against every rule; tests run it on every plan.

It recomputes everything from the problem in plain minutes and local dates, independently
of the planner's slots and day numbers.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Collection

from scheduling.availability import available_windows
from scheduling.intervals import Interval, subtract
from scheduling.plan_types import PlacedSession, PlanningConfig, PlanningProblem, PlanningResult
from scheduling.timezones import get_zone, local_date

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def plan_violations(
    problem: PlanningProblem,
    config: PlanningConfig,
    result: PlanningResult,
    *,
    held: Collection[PlacedSession] = (),
    first_session_deadline: bool = True,
) -> list[str]:
    """Every broken rule, as text. ``held`` sessions were placed earlier (kept as they were:
    past sessions, untouched ones after re-planning) and are exempt from window checks."""
    out: list[str] = []
    engagements = {e.id: e for e in problem.engagements}
    held_set = set(held)
    coaches = {e.coach_id for e in problem.engagements}
    by_engagement: dict[str, list[PlacedSession]] = {}
    for s in result.sessions:
        by_engagement.setdefault(s.engagement_id, []).append(s)
    unplaced = {u.engagement_id for u in result.unplaced}
    for eid in engagements:
        if (eid in by_engagement) == (eid in unplaced) and eid not in unplaced:
            out.append(f"{eid}: neither placed nor reported unplaced")
    for eid in unplaced & set(by_engagement):
        if not any(s in held_set for s in by_engagement[eid]):
            out.append(f"{eid}: both placed and reported unplaced")
    free: dict[str, tuple[Interval, ...]] = {}

    def free_of(person: str) -> tuple[Interval, ...]:
        if person not in free:
            windows = available_windows(problem.availability[person], problem.start, problem.end)
            free[person] = subtract(windows, problem.booked.get(person, ()))
        return free[person]

    for eid, sessions in by_engagement.items():
        e = engagements.get(eid)
        if e is None:
            out.append(f"{eid}: unknown engagement")
            continue
        sessions.sort(key=lambda s: s.index)
        if eid not in unplaced and [s.index for s in sessions] != list(range(1, e.sessions + 1)):
            out.append(f"{eid}: sessions {[s.index for s in sessions]} instead of 1..{e.sessions}")
        coachee_zone = get_zone(problem.availability[e.coachee_id].zone)
        for s in sessions:
            tag = f"{eid}#{s.index}"
            if (s.coach_id, s.coachee_id) != (e.coach_id, e.coachee_id):
                out.append(f"{tag}: wrong participants")
            if s.sponsor_id != (e.sponsor_id if s.index == 1 else None):
                out.append(f"{tag}: sponsor must join the first session only")
            if s.members != e.members:
                out.append(f"{tag}: every member must join every session")
            if s.end - s.start != dt.timedelta(minutes=e.minutes):
                out.append(f"{tag}: lasts {s.end - s.start}, not {e.minutes} minutes")
            if s in held_set:
                continue
            if int((s.start - EPOCH).total_seconds()) % (config.grid_minutes * 60):
                out.append(f"{tag}: starts off the {config.grid_minutes}-minute grid")
            if s.start < problem.start or s.end > problem.end:
                out.append(f"{tag}: outside the horizon")
            for person in s.participants:
                if not any(w.contains(s.interval) for w in free_of(person)):
                    out.append(f"{tag}: outside the free windows of {person}")
            if s.index == 1:
                if e.first_at is not None and s.start != e.first_at:
                    out.append(f"{tag}: not at the promised {e.first_at.isoformat()}")
                if s.start < e.earliest_start:
                    out.append(f"{tag}: before the earliest start")
                deadline = e.earliest_start + dt.timedelta(days=e.first_within_days)
                if first_session_deadline and s.start >= deadline:
                    out.append(f"{tag}: first session after the deadline")
        for prev, cur in itertools.pairwise(sessions):
            gap = (local_date(cur.start, coachee_zone) - local_date(prev.start, coachee_zone)).days
            if cur.start < prev.end:
                out.append(f"{eid}#{cur.index}: starts before the previous session ends")
            if not e.min_days <= gap <= e.max_days and not (prev in held_set and cur in held_set):
                out.append(f"{eid}#{cur.index}: {gap} days after the previous session")

    # Nobody twice at once; coaches keep their buffer; coaches' daily maximum.
    timeline: dict[str, list[tuple[dt.datetime, dt.datetime, bool]]] = {}
    for s in result.sessions:
        for person in s.participants:
            timeline.setdefault(person, []).append((s.start, s.end, s in held_set))
    for person, booked in problem.booked.items():
        for i in booked:
            timeline.setdefault(person, []).append((i.start, i.end, True))
    buffer = dt.timedelta(minutes=config.coach_buffer_minutes)
    for person, items in timeline.items():
        items.sort()
        need = buffer if person in coaches else dt.timedelta()
        for (_s0, e0, h0), (s1, _e1, h1) in itertools.pairwise(items):
            if h0 and h1:
                continue
            if s1 < e0:
                out.append(f"{person}: double-booked at {s1.isoformat()}")
            elif s1 - e0 < need:
                out.append(f"{person}: less than the buffer before {s1.isoformat()}")
    for coach in coaches:
        zone = get_zone(problem.availability[coach].zone)
        counts: Counter[dt.date] = Counter()
        fresh: set[dt.date] = set()
        for s in result.sessions:
            if s.coach_id == coach:
                day = local_date(s.start, zone)
                counts[day] += 1
                if s not in held_set:
                    fresh.add(day)
        for i in problem.booked.get(coach, ()):
            counts[local_date(i.start, zone)] += 1
        for day in sorted(fresh):
            if counts[day] > config.coach_max_sessions_per_day:
                out.append(f"{coach}: {counts[day]} sessions on {day.isoformat()}")
    return out


def check_plan(
    problem: PlanningProblem,
    config: PlanningConfig,
    result: PlanningResult,
    *,
    held: Collection[PlacedSession] = (),
    first_session_deadline: bool = True,
) -> None:
    """Raise :class:`~scheduling.errors.PlanViolationError` if the plan breaks any rule."""
    from scheduling.errors import PlanViolationError

    violations = plan_violations(
        problem, config, result, held=held, first_session_deadline=first_session_deadline
    )
    if violations:
        raise PlanViolationError(violations)
