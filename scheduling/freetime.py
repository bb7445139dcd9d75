"""Free time net of bookings: the matcher's hours capacity comes from here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from scheduling.availability import Availability, available_windows
from scheduling.intervals import Interval, Intervals, subtract, total


def free_windows(
    availability: Availability,
    start: dt.datetime,
    end: dt.datetime,
    booked: Iterable[Interval] = (),
) -> Intervals:
    """Free windows in ``[start, end)`` net of exceptions, busy times and ``booked`` sessions."""
    return subtract(available_windows(availability, start, end), booked)


def free_minutes(
    availability: Availability,
    start: dt.datetime,
    end: dt.datetime,
    booked: Iterable[Interval] = (),
) -> int:
    """Whole free minutes in ``[start, end)`` net of exceptions, busy times and bookings."""
    return int(total(free_windows(availability, start, end, booked)).total_seconds() // 60)


def free_hours(
    availability: Availability,
    start: dt.datetime,
    end: dt.datetime,
    booked: Iterable[Interval] = (),
) -> float:
    """Free hours in ``[start, end)`` (see :func:`free_minutes`)."""
    return free_minutes(availability, start, end, booked) / 60
