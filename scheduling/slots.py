"""The planner's discrete view of time: a grid of slots, local days and candidate starts.

Minutes are counted from ``origin`` (the horizon start floored to the grid, the grid being
anchored on the Unix epoch in UTC, so every slot boundary is a quarter hour in every real
zone). Session starts are slots; free time is kept in minutes so that a 50-minute session or
a busy event ending at 10:20 are handled exactly, and only starts are rounded (inwards).
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scheduling.availability import MIDNIGHT, Availability
from scheduling.intervals import Interval
from scheduling.plan_types import Engagement, PlanningConfig, PlanningProblem
from scheduling.timezones import UTC, get_zone

EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
Span = tuple[int, int]  # half-open [a, b) in minutes
Ranges = tuple[tuple[int, int], ...]  # inclusive [lo, hi] in slots


def _ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def intersect_spans(left: Sequence[Span], right: Sequence[Span]) -> list[Span]:
    """Intersection of two sorted, disjoint span lists."""
    # A hot loop of the planner: plain locals, no max()/min() calls.
    out: list[Span] = []
    append = out.append
    i = j = 0
    n, m = len(left), len(right)
    if not n or not m:
        return out
    la, lb = left[0]
    ra, rb = right[0]
    while True:
        a = la if la > ra else ra
        b = lb if lb < rb else rb
        if a < b:
            append((a, b))
        if lb < rb:
            i += 1
            if i == n:
                return out
            la, lb = left[i]
        else:
            j += 1
            if j == m:
                return out
            ra, rb = right[j]


def subtract_spans(base: Sequence[Span], cuts: Iterable[Span]) -> list[Span]:
    """``base`` (sorted, disjoint) minus ``cuts`` (any order)."""
    merged: list[Span] = []
    for a, b in sorted(cuts):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    out: list[Span] = []
    j = 0
    for a, b in base:
        while j < len(merged) and merged[j][1] <= a:
            j += 1
        k = j
        start = a
        while k < len(merged) and merged[k][0] < b:
            if merged[k][0] > start:
                out.append((start, merged[k][0]))
            start = max(start, merged[k][1])
            k += 1
        if start < b:
            out.append((start, b))
    return out


def cut_span(spans: list[Span], a: int, b: int) -> None:
    """Remove ``[a, b)`` from the sorted, disjoint ``spans`` in place."""
    i = max(bisect_right(spans, (a, a)) - 1, 0)
    j = i
    pieces: list[Span] = []
    while j < len(spans) and spans[j][0] < b:
        lo, hi = spans[j]
        if hi <= a:
            if j == i:
                i += 1
                j += 1
                continue
            pieces.append((lo, hi))
        else:
            if lo < a:
                pieces.append((lo, a))
            if hi > b:
                pieces.append((b, hi))
        j += 1
    spans[i:j] = pieces


@dataclass(frozen=True)
class Grid:
    origin: dt.datetime
    step: int

    @classmethod
    def covering(cls, start: dt.datetime, step: int) -> Grid:
        minutes = int((start - EPOCH).total_seconds() // 60)
        return cls(EPOCH + dt.timedelta(minutes=minutes - minutes % step), step)

    def minute(self, instant: dt.datetime) -> int:
        """Minutes from the origin, rounded down."""
        return int((instant - self.origin).total_seconds() // 60)

    def minute_up(self, instant: dt.datetime) -> int:
        return -int((self.origin - instant).total_seconds() // 60)

    def at(self, minute: int) -> dt.datetime:
        return self.origin + dt.timedelta(minutes=minute)

    def slot_at(self, slot: int) -> dt.datetime:
        return self.at(slot * self.step)


@dataclass(frozen=True)
class DayIndex:
    """Local calendar days of one zone: day ``d`` covers minutes ``[bounds[d], bounds[d+1])``.

    ``offsets`` lists ``(minute, utc_offset_minutes)`` from the first day on: the zone's UTC
    offset changes to the given value at that minute (DST changes). The local wall-clock
    minute of UTC minute ``m`` is ``m + offset(m)``; day ``d`` is its floor division by 1440
    after subtracting the local minute of day 0's midnight.
    """

    zone: str
    first_date: dt.date
    bounds: tuple[int, ...]
    step: int
    offsets: tuple[tuple[int, int], ...]

    @classmethod
    def build(cls, zone: str, grid: Grid, first: dt.datetime, last: dt.datetime) -> DayIndex:
        tz = get_zone(zone)
        day = first.astimezone(tz).date() - dt.timedelta(days=1)
        end_day = last.astimezone(tz).date() + dt.timedelta(days=2)
        first_date = day
        bounds: list[int] = []
        while day <= end_day:
            bounds.append(grid.minute(dt.datetime.combine(day, dt.time(0), tzinfo=tz)))
            day += dt.timedelta(days=1)

        def offset(minute: int) -> int:
            delta = grid.at(minute).astimezone(tz).utcoffset() or dt.timedelta()
            return int(delta.total_seconds() // 60)

        offsets = [(bounds[0], offset(bounds[0]))]
        for a, b in itertools.pairwise(bounds):
            if offset(b) != offsets[-1][1]:
                lo, hi = a, b  # offset(lo) is the old value, offset(hi) the new one
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    if offset(mid) == offsets[-1][1]:
                        lo = mid
                    else:
                        hi = mid
                offsets.append((hi, offset(hi)))
        return cls(zone, first_date, tuple(bounds), grid.step, tuple(offsets))

    def day_of_slot(self, slot: int) -> int:
        return bisect_right(self.bounds, slot * self.step) - 1

    def first_slot(self, day: int) -> int:
        """First slot whose start lies on local day ``day`` (clamped to the index)."""
        day = min(max(day, 0), len(self.bounds) - 1)
        return _ceil_div(self.bounds[day], self.step)

    def offset_at(self, minute: int) -> int:
        i = bisect_right([m for m, _ in self.offsets], minute) - 1
        return self.offsets[max(i, 0)][1]

    @property
    def local_origin(self) -> int:
        """Local wall-clock minute of day 0's midnight."""
        return self.bounds[0] + self.offsets[0][1]

    def date(self, day: int) -> dt.date:
        return self.first_date + dt.timedelta(days=day)


def _local_span(
    days: DayIndex, grid: Grid, tz: dt.tzinfo, day: int, start: dt.time, end: dt.time
) -> Span:
    """Minutes of local ``start``–``end`` on day ``day`` (end 00:00 = next midnight)."""
    a0, a1 = days.bounds[day], days.bounds[day + 1] if day + 1 < len(days.bounds) else None
    s_min = start.hour * 60 + start.minute
    e_min = 1440 if end == MIDNIGHT else end.hour * 60 + end.minute
    if a1 is not None and a1 - a0 == 1440:  # no DST change that day: plain arithmetic
        return (a0 + s_min, a0 + e_min)
    date = days.date(day)
    end_date = date + dt.timedelta(days=1) if end == MIDNIGHT else date
    return (
        grid.minute_up(dt.datetime.combine(date, start, tzinfo=tz)),
        grid.minute(dt.datetime.combine(end_date, end, tzinfo=tz)),
    )


def weekly_spans(availability: Availability, grid: Grid, days: DayIndex) -> list[Span]:
    """Minutes covered by the weekly windows of ``availability`` on every day of ``days``."""
    tz = get_zone(availability.zone)
    by_weekday: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for w in availability.weekly:
        by_weekday.setdefault(w.weekday, []).append((w.start, w.end))
    opened: list[Span] = []
    weekday = days.first_date.weekday()
    for day in range(len(days.bounds) - 1):
        for start, end in by_weekday.get((weekday + day) % 7, ()):
            a, b = _local_span(days, grid, tz, day, start, end)
            if a < b:
                opened.append((a, b))
    return _merge_spans(opened)


def availability_spans(
    availability: Availability,
    grid: Grid,
    days: DayIndex,
    horizon: int,
    weekly: list[Span] | None = None,
) -> list[Span]:
    """Free minutes ``[0, horizon)`` of ``availability``: the planner's fast equivalent of
    :func:`scheduling.availability.available_windows` (the validator uses the latter).
    ``weekly`` may pass :func:`weekly_spans` computed once for people sharing a pattern."""
    tz = get_zone(availability.zone)
    if weekly is None:
        weekly = weekly_spans(availability, grid, days)
    closed_by_date: dict[dt.date, list[tuple[dt.time, dt.time]]] = {}
    for x in availability.exceptions:
        span = (MIDNIGHT, MIDNIGHT) if x.start is None or x.end is None else (x.start, x.end)
        closed_by_date.setdefault(x.day, []).append(span)
    closed: list[Span] = []
    for date, items in closed_by_date.items():
        day = (date - days.first_date).days
        if not 0 <= day < len(days.bounds) - 1:
            continue
        for start, end in items:
            a, b = _local_span(days, grid, tz, day, start, end)
            if a < b:
                closed.append((a, b))
    spans = subtract_spans(weekly, closed) if closed else weekly
    extra = [(grid.minute_up(i.start), grid.minute(i.end)) for i in availability.extra]
    spans = _merge_spans([*spans, *extra])
    busy = [(grid.minute(i.start), grid.minute_up(i.end)) for i in availability.busy]
    spans = subtract_spans(spans, busy)
    return [(max(a, 0), min(b, horizon)) for a, b in spans if a < horizon and b > 0 and a < b]


def _merge_spans(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def start_ranges(spans: Sequence[Span], minutes: int, step: int, lo: int, hi: int) -> Ranges:
    """Slots ``s`` in ``[lo, hi]`` such that ``[s*step, s*step+minutes)`` fits in a span."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        first = max(_ceil_div(a, step), lo)
        last = min((b - minutes) // step, hi)
        if first <= last:
            out.append((first, last))
    return tuple(out)


def _only(ranges: Ranges, grid: Grid, instant: dt.datetime) -> Ranges:
    """The one start of ``ranges`` at ``instant``, if it is there (and on the grid)."""
    minute = grid.minute(instant)
    if grid.at(minute) != instant or minute % grid.step:
        return ()
    slot = minute // grid.step
    return ((slot, slot),) if any(lo <= slot <= hi for lo, hi in ranges) else ()


@dataclass(frozen=True)
class EngagementSlots:
    """Candidate start slots of one engagement's sessions, and the day indexes it uses."""

    engagement: Engagement
    first: Ranges
    rest: Ranges
    common: tuple[Span, ...]
    duration: int  # slots a session occupies for its participants
    coach_length: int  # slots including the coach's buffer
    earliest: int  # first allowed slot
    deadline: int  # last allowed slot for session 1
    coach_days: DayIndex
    cadence_days: DayIndex

    def ranges(self, index: int) -> Ranges:
        return self.first if index == 1 else self.rest


class PlanningContext:
    """Free time of every participant on the grid; updated as groups get planned."""

    def __init__(
        self,
        problem: PlanningProblem,
        config: PlanningConfig,
        *,
        days_from: dt.datetime | None = None,
    ) -> None:
        self.problem = problem
        self.config = config
        self.grid = Grid.covering(problem.start, config.grid_minutes)
        self.horizon = self.grid.minute(problem.end)
        lookback = max((e.max_days for e in problem.engagements), default=0) + 2
        self._day_from = problem.start - dt.timedelta(days=lookback)
        if days_from is not None:
            self._day_from = min(self._day_from, days_from)
        self._days: dict[str, DayIndex] = {}
        self._weekly: dict[tuple[str, tuple[object, ...]], list[Span]] = {}
        self.coaches = frozenset(e.coach_id for e in problem.engagements)
        self.free: dict[str, list[Span]] = {}
        self.touched: set[str] = set()
        self.booked_days: dict[str, Counter[int]] = {}
        for person in sorted({p for e in problem.engagements for p in e.participants}):
            self.free[person] = self._free_of(person)

    def buffer_of(self, person: str) -> int:
        return self.config.coach_buffer_minutes if person in self.coaches else 0

    def days(self, zone: str) -> DayIndex:
        if zone not in self._days:
            self._days[zone] = DayIndex.build(zone, self.grid, self._day_from, self.problem.end)
        return self._days[zone]

    def zone_of(self, person: str) -> str:
        return self.problem.availability[person].zone

    def _free_of(self, person: str) -> list[Span]:
        problem, grid = self.problem, self.grid
        availability = problem.availability[person]
        days = self.days(availability.zone)
        pattern = (availability.zone, availability.weekly)
        if pattern not in self._weekly:
            self._weekly[pattern] = weekly_spans(availability, grid, days)
        spans = availability_spans(availability, grid, days, self.horizon, self._weekly[pattern])
        buffer = self.buffer_of(person)
        booked: list[Interval] = list(problem.booked.get(person, ()))
        cuts = [(grid.minute(i.start) - buffer, grid.minute_up(i.end) + buffer) for i in booked]
        if person in self.coaches:
            days = self.days(self.zone_of(person))
            self.booked_days[person] = Counter(
                days.day_of_slot(grid.minute(i.start) // grid.step) for i in booked
            )
        return subtract_spans(spans, cuts)

    def reserve(self, person: str, start_minute: int, minutes: int) -> None:
        """Remove a planned session from ``person``'s free time (with buffer for coaches)."""
        buffer = self.buffer_of(person)
        cut_span(self.free[person], start_minute - buffer, start_minute + minutes + buffer)
        self.touched.add(person)
        if person in self.coaches:
            days = self.days(self.zone_of(person))
            counter = self.booked_days.setdefault(person, Counter())
            counter[days.day_of_slot(start_minute // self.grid.step)] += 1

    def slots(self, engagement: Engagement) -> EngagementSlots:
        step = self.grid.step
        common = intersect_spans(self.free[engagement.coach_id], self.free[engagement.coachee_id])
        for member in engagement.members:  # every session is theirs too
            common = intersect_spans(common, self.free[member])
        with_sponsor = common
        if engagement.sponsor_id is not None:
            with_sponsor = intersect_spans(common, self.free[engagement.sponsor_id])
        earliest = max(0, _ceil_div(self.grid.minute_up(engagement.earliest_start), step))
        deadline_at = engagement.earliest_start + dt.timedelta(days=engagement.first_within_days)
        deadline = _ceil_div(self.grid.minute_up(deadline_at), step) - 1
        end = self.horizon // step
        minutes = engagement.minutes
        first = start_ranges(with_sponsor, minutes, step, earliest, min(deadline, end))
        if engagement.first_at is not None:  # the promised start, or nothing
            first = _only(first, self.grid, engagement.first_at)
        return EngagementSlots(
            engagement=engagement,
            first=first,
            rest=start_ranges(common, minutes, step, earliest, end),
            common=tuple(common),
            duration=_ceil_div(minutes, step),
            coach_length=_ceil_div(minutes + self.config.coach_buffer_minutes, step),
            earliest=earliest,
            deadline=deadline,
            coach_days=self.days(self.zone_of(engagement.coach_id)),
            cadence_days=self.days(self.zone_of(engagement.coachee_id)),
        )
