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
_Pair = tuple[dt.datetime, dt.datetime]


def _trusted(start: dt.datetime, end: dt.datetime) -> Interval:
    """Build an Interval from already-validated UTC bounds (internal fast path)."""
    item = object.__new__(Interval)
    object.__setattr__(item, "start", start)
    object.__setattr__(item, "end", end)
    return item


def _merged_pairs(intervals: Iterable[Interval]) -> list[_Pair]:
    return merge_pairs((i.start, i.end) for i in intervals)


def merge_pairs(pairs: Iterable[_Pair]) -> list[_Pair]:
    """Sorted, merged ``(start, end)`` pairs (internal, unvalidated)."""
    out: list[_Pair] = []
    for start, end in sorted(pairs):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _wrap(pairs: Iterable[_Pair]) -> Intervals:
    return tuple(_trusted(a, b) for a, b in pairs)


def merge(intervals: Iterable[Interval]) -> Intervals:
    """Sort and merge overlapping or touching intervals."""
    return _wrap(_merged_pairs(intervals))


def subtract(base: Iterable[Interval], removed: Iterable[Interval]) -> Intervals:
    """``base`` minus every interval of ``removed`` (both may be unsorted)."""
    return _wrap(subtract_pairs(_merged_pairs(base), _merged_pairs(removed)))


def subtract_pairs(base: list[_Pair], cuts: list[_Pair]) -> list[_Pair]:
    """Merged pairs minus merged pairs (internal)."""
    out: list[_Pair] = []
    j = 0
    for a, b in base:
        while j < len(cuts) and cuts[j][1] <= a:
            j += 1
        k = j
        start = a
        while k < len(cuts) and cuts[k][0] < b:
            if cuts[k][0] > start:
                out.append((start, cuts[k][0]))
            start = max(start, cuts[k][1])
            k += 1
        if start < b:
            out.append((start, b))
    return out


def intersect(left: Iterable[Interval], right: Iterable[Interval]) -> Intervals:
    """Instants that lie in both ``left`` and ``right``."""
    return _wrap(intersect_pairs(_merged_pairs(left), _merged_pairs(right)))


def intersect_pairs(a: list[_Pair], b: list[_Pair]) -> list[_Pair]:
    """Intersection of merged pairs (internal)."""
    out: list[_Pair] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def clip(intervals: Iterable[Interval], start: dt.datetime, end: dt.datetime) -> Intervals:
    """The parts of ``intervals`` inside ``[start, end)``."""
    if end <= start:
        return ()
    return intersect(intervals, (Interval(start, end),))


def total(intervals: Iterable[Interval]) -> dt.timedelta:
    """Total length of the merged intervals."""
    return sum((b - a for a, b in _merged_pairs(intervals)), dt.timedelta())
