"""Half-open UTC intervals and the set operations on sorted, merged tuples of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from scheduling.errors import InvalidWindowError
from scheduling.timezones import require_utc


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open span of time ``[start, end)``; stored in UTC, ``end`` after ``start``."""

    start: dt.datetime
    end: dt.datetime

    def __post_init__(self) -> None:
        start = require_utc(self.start, field="start")
        end = require_utc(self.end, field="end")
        if end <= start:
            raise InvalidWindowError(
                f"interval ends ({end.isoformat()}) before or when it starts ({start.isoformat()})",
                field="end",
            )
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        return self.start <= other.start and other.end <= self.end


Intervals = tuple[Interval, ...]


def merge(intervals: Iterable[Interval]) -> Intervals:
    """Sort and merge overlapping or touching intervals."""
    out: list[Interval] = []
    for item in sorted(intervals):
        if out and item.start <= out[-1].end:
            if item.end > out[-1].end:
                out[-1] = Interval(out[-1].start, item.end)
        else:
            out.append(item)
    return tuple(out)


def subtract(base: Iterable[Interval], removed: Iterable[Interval]) -> Intervals:
    """``base`` minus every interval of ``removed`` (both may be unsorted)."""
    cuts = merge(removed)
    out: list[Interval] = []
    for piece in merge(base):
        start = piece.start
        for cut in cuts:
            if cut.end <= start:
                continue
            if cut.start >= piece.end:
                break
            if cut.start > start:
                out.append(Interval(start, cut.start))
            start = max(start, cut.end)
            if start >= piece.end:
                break
        if start < piece.end:
            out.append(Interval(start, piece.end))
    return tuple(out)


def intersect(left: Iterable[Interval], right: Iterable[Interval]) -> Intervals:
    """Instants that lie in both ``left`` and ``right``."""
    a, b = merge(left), merge(right)
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i].start, b[j].start)
        end = min(a[i].end, b[j].end)
        if start < end:
            out.append(Interval(start, end))
        if a[i].end < b[j].end:
            i += 1
        else:
            j += 1
    return tuple(out)


def clip(intervals: Iterable[Interval], start: dt.datetime, end: dt.datetime) -> Intervals:
    """The parts of ``intervals`` inside ``[start, end)``."""
    if end <= start:
        return ()
    return intersect(intervals, (Interval(start, end),))


def total(intervals: Iterable[Interval]) -> dt.timedelta:
    """Total length of the merged intervals."""
    return sum((i.duration for i in merge(intervals)), dt.timedelta())
