"""Time zones: validated IANA zones, UTC normalisation and local calendar days.

Everything is stored in UTC and only shown in local time. Local wall-clock times are
turned into instants with :mod:`zoneinfo`: a time skipped by a spring-forward change maps
to the instant one hour later on the wall clock (e.g. 02:30 → 03:30), and an ambiguous time
in the autumn maps to its first occurrence.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduling.errors import NaiveDatetimeError, UnknownTimeZoneError

UTC = dt.UTC


@lru_cache(maxsize=512)
def _load_zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def get_zone(name: str, *, field: str = "zone") -> ZoneInfo:
    """Return the IANA zone ``name`` or raise :class:`UnknownTimeZoneError`."""
    if not isinstance(name, str) or not name or name != name.strip() or ".." in name:
        raise UnknownTimeZoneError(f"unknown time zone {name!r}", field=field)
    try:
        return _load_zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise UnknownTimeZoneError(f"unknown time zone {name!r}", field=field) from exc


def require_utc(value: dt.datetime, *, field: str) -> dt.datetime:
    """Return ``value`` converted to UTC; raise :class:`NaiveDatetimeError` if naive."""
    if not isinstance(value, dt.datetime):
        raise NaiveDatetimeError("an aware datetime is required", field=field)
    if value.tzinfo is UTC:
        return value
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError("datetime has no time zone", field=field)
    return value.astimezone(UTC)


def local_to_utc(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``zone`` (DST-aware)."""
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def to_local(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """``instant`` shown in ``zone``."""
    return instant.astimezone(zone)


def local_date(instant: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The calendar date of ``instant`` in ``zone``."""
    return instant.astimezone(zone).date()


def local_midnights(zone: ZoneInfo, first: dt.date, last: dt.date) -> list[dt.datetime]:
    """UTC instants of local midnight for every date from ``first`` to ``last`` inclusive."""
    out: list[dt.datetime] = []
    day = first
    while day <= last:
        out.append(local_to_utc(day, dt.time(0), zone))
        day += dt.timedelta(days=1)
    return out
