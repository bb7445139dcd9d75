"""Availability: weekly windows in an IANA zone, date exceptions, extra windows, busy times.

The concrete free time of a person over a horizon is, in this order::

    weekly windows on each local date  −  date exceptions  +  one-off extra windows  −  busy

An explicit extra window therefore wins over an exception on the same day (the person
added it on purpose), and busy times (imported calendars) always win. Overlapping windows
merge. Local times follow the zone's DST rules: a weekly 09:00 Paris window is 09:00 Paris
in winter and in summer, i.e. 08:00 UTC or 07:00 UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from scheduling.errors import InvalidWindowError
from scheduling.intervals import (
    Interval,
    Intervals,
    _wrap,
    intersect_pairs,
    merge,
    merge_pairs,
    subtract_pairs,
)
from scheduling.timezones import get_zone, local_to_utc, require_utc

MIDNIGHT = dt.time(0)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _check_time(value: dt.time, field_name: str) -> None:
    if not isinstance(value, dt.time) or value.tzinfo is not None:
        raise InvalidWindowError(
            "a local wall-clock time without tzinfo is required", field=field_name
        )


def _span(day: dt.date, start: dt.time, end: dt.time) -> tuple[dt.date, dt.time, dt.date, dt.time]:
    """Local start/end of a window on ``day``; an end of 00:00 means the following midnight."""
    end_day = day + dt.timedelta(days=1) if end == MIDNIGHT else day
    return day, start, end_day, end


@dataclass(frozen=True, order=True)
class WeeklyWindow:
    """Every ``weekday`` (0 = Monday … 6 = Sunday) from ``start`` to ``end`` local time.

    ``end`` = 00:00 means midnight at the end of the day.
    """

    weekday: int
    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if not isinstance(self.weekday, int) or not 0 <= self.weekday <= 6:
            raise InvalidWindowError("weekday must be 0 (Monday) to 6 (Sunday)", field="weekday")
        _check_time(self.start, "start")
        _check_time(self.end, "end")
        if self.end != MIDNIGHT and self.end <= self.start:
            raise InvalidWindowError(
                f"window on {WEEKDAYS[self.weekday]} ends at {self.end:%H:%M}, "
                f"before or when it starts ({self.start:%H:%M})",
                field="end",
            )


@dataclass(frozen=True, order=True)
class DateException:
    """Unavailable on local ``day``: all day, or from ``start`` to ``end`` (both or neither).

    Leave, public holidays and other absences are exceptions.
    """

    day: dt.date
    start: dt.time | None = None
    end: dt.time | None = None

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise InvalidWindowError(
                "give both start and end, or neither for a whole day", field="end"
            )
        if self.start is not None and self.end is not None:
            _check_time(self.start, "start")
            _check_time(self.end, "end")
            if self.end != MIDNIGHT and self.end <= self.start:
                raise InvalidWindowError(
                    f"exception on {self.day.isoformat()} ends before or when it starts",
                    field="end",
                )

    @property
    def whole_day(self) -> bool:
        return self.start is None


def _tuple(value: Iterable[object]) -> tuple[object, ...]:
    return tuple(value)


@dataclass(frozen=True)
class Availability:
    """One person's availability. ``zone`` is an IANA name; ``extra``/``busy`` are instants."""

    zone: str
    weekly: tuple[WeeklyWindow, ...] = ()
    exceptions: tuple[DateException, ...] = ()
    extra: tuple[Interval, ...] = ()
    busy: tuple[Interval, ...] = field(default=())

    def __post_init__(self) -> None:
        get_zone(self.zone, field="zone")
        for name in ("weekly", "exceptions", "extra", "busy"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))
        kinds: dict[str, type] = {
            "weekly": WeeklyWindow,
            "exceptions": DateException,
            "extra": Interval,
            "busy": Interval,
        }
        for name, kind in kinds.items():
            for i, item in enumerate(getattr(self, name)):
                if not isinstance(item, kind):
                    raise InvalidWindowError(f"expected {kind.__name__}", field=f"{name}[{i}]")

    @classmethod
    def working_hours(
        cls,
        zone: str,
        *,
        start: dt.time = dt.time(9),
        end: dt.time = dt.time(18),
        weekdays: Iterable[int] = range(5),
        lunch: tuple[dt.time, dt.time] | None = None,
    ) -> Availability:
        """Default availability: Monday–Friday 09:00–18:00 in ``zone``; optional lunch break."""
        windows: list[WeeklyWindow] = []
        for day in weekdays:
            if lunch is None:
                windows.append(WeeklyWindow(day, start, end))
            else:
                windows.append(WeeklyWindow(day, start, lunch[0]))
                windows.append(WeeklyWindow(day, lunch[1], end))
        return cls(zone=zone, weekly=tuple(windows))

    def with_busy(self, busy: Iterable[Interval]) -> Availability:
        """A copy with ``busy`` added to the busy times (e.g. from :func:`parse_busy_ics`)."""
        return Availability(
            zone=self.zone,
            weekly=self.weekly,
            exceptions=self.exceptions,
            extra=self.extra,
            busy=merge((*self.busy, *busy)),
        )


def available_windows(
    availability: Availability, start: dt.datetime, end: dt.datetime
) -> Intervals:
    """Concrete free windows (UTC, merged, sorted) of ``availability`` within ``[start, end)``."""
    start = require_utc(start, field="start")
    end = require_utc(end, field="end")
    if end <= start:
        return ()
    zone = get_zone(availability.zone)
    first = start.astimezone(zone).date() - dt.timedelta(days=1)
    last = end.astimezone(zone).date() + dt.timedelta(days=1)
    by_weekday: dict[int, list[WeeklyWindow]] = {}
    for window in availability.weekly:
        by_weekday.setdefault(window.weekday, []).append(window)
    exceptions_by_day: dict[dt.date, list[DateException]] = {}
    for exc in availability.exceptions:
        exceptions_by_day.setdefault(exc.day, []).append(exc)

    opened: list[tuple[dt.datetime, dt.datetime]] = []
    closed: list[tuple[dt.datetime, dt.datetime]] = []
    day = first
    while day <= last:
        for window in by_weekday.get(day.weekday(), ()):
            d0, t0, d1, t1 = _span(day, window.start, window.end)
            s, e = local_to_utc(d0, t0, zone), local_to_utc(d1, t1, zone)
            if e > s:  # a window inside a skipped DST hour vanishes
                opened.append((s, e))
        for exc in exceptions_by_day.get(day, ()):
            if exc.start is None or exc.end is None:
                d0, t0, d1, t1 = _span(day, MIDNIGHT, MIDNIGHT)
            else:
                d0, t0, d1, t1 = _span(day, exc.start, exc.end)
            s, e = local_to_utc(d0, t0, zone), local_to_utc(d1, t1, zone)
            if e > s:
                closed.append((s, e))
        day += dt.timedelta(days=1)
    free = subtract_pairs(merge_pairs(opened), merge_pairs(closed))
    free = merge_pairs([*free, *((i.start, i.end) for i in availability.extra)])
    free = subtract_pairs(free, merge_pairs((i.start, i.end) for i in availability.busy))
    return _wrap(intersect_pairs(free, [(start, end)]))
