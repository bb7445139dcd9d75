"""Busy times imported from an uploaded ``.ics`` file.

Recurring events (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides) are expanded with
``recurring-ical-events``; VFREEBUSY components are read from their FREEBUSY periods
(FBTYPE=FREE is ignored). Transparent and cancelled events are not busy. Floating times and
all-day dates are read in ``zone`` (the owner's zone). The result is clipped to the horizon.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

import recurring_ical_events
from icalendar import Calendar

from scheduling.errors import IcsTooLargeError, InvalidIcsError
from scheduling.intervals import Interval, Intervals, clip, merge
from scheduling.timezones import UTC, get_zone, require_utc

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 2_000_000


def _instant(value: object, zone: dt.tzinfo, *, is_end: bool = False) -> dt.datetime:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone)
        return value.astimezone(UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(0), tzinfo=zone).astimezone(UTC)
    raise InvalidIcsError(f"unsupported date value {type(value).__name__}", field="ics")


def _event_intervals(event: Any, zone: dt.tzinfo) -> Iterator[Interval]:
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return
    start_prop = event.get("DTSTART")
    if start_prop is None:
        return
    raw_start = start_prop.dt
    start = _instant(raw_start, zone)
    end_prop = event.get("DTEND")
    if end_prop is not None:
        end = _instant(end_prop.dt, zone, is_end=True)
    elif event.get("DURATION") is not None:
        end = start + event["DURATION"].dt
    elif isinstance(raw_start, dt.datetime):
        return  # RFC 5545: an event with DTSTART only (a point in time) takes no time
    else:
        end = _instant(raw_start + dt.timedelta(days=1), zone)
    if end > start:
        yield Interval(start, end)


def _freebusy_intervals(component: Any, zone: dt.tzinfo) -> Iterator[Interval]:
    props = component.get("FREEBUSY")
    if props is None:
        return
    for prop in props if isinstance(props, list) else [props]:
        fbtype = str(prop.params.get("FBTYPE", "BUSY")).upper()
        if fbtype == "FREE":
            continue
        periods = prop.dt if isinstance(prop.dt, list) else [prop.dt]
        for period in periods:
            start_raw, end_or_duration = period
            start = _instant(start_raw, zone)
            if isinstance(end_or_duration, dt.timedelta):
                end = start + end_or_duration
            else:
                end = _instant(end_or_duration, zone)
            if end > start:
                yield Interval(start, end)


def parse_busy_ics(
    data: bytes,
    *,
    start: dt.datetime,
    end: dt.datetime,
    max_bytes: int = DEFAULT_MAX_BYTES,
    zone: str = "UTC",
) -> Intervals:
    """Busy intervals (UTC, merged) found in ``data`` within ``[start, end)``.

    Raises :class:`IcsTooLargeError` over ``max_bytes`` and :class:`InvalidIcsError` when the
    file does not parse as a VCALENDAR or its recurrences cannot be expanded.
    """
    start = require_utc(start, field="start")
    end = require_utc(end, field="end")
    tz = get_zone(zone, field="zone")
    if not isinstance(data, bytes | bytearray):
        raise InvalidIcsError("the calendar must be given as bytes", field="ics")
    if len(data) > max_bytes:
        raise IcsTooLargeError(
            f"calendar file is {len(data)} bytes; the limit is {max_bytes}", field="ics"
        )
    try:
        calendar = Calendar.from_ical(bytes(data))
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError...
        raise InvalidIcsError("the file is not a valid iCalendar file", field="ics") from exc
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise InvalidIcsError("the file does not contain a VCALENDAR", field="ics")
    found: list[Interval] = []
    try:
        for event in recurring_ical_events.of(calendar).between(start, end):
            found.extend(_event_intervals(event, tz))
        for component in calendar.walk("VFREEBUSY"):
            found.extend(_freebusy_intervals(component, tz))
    except InvalidIcsError:
        raise
    except Exception as exc:
        raise InvalidIcsError(
            "the calendar's events or recurrence rules cannot be read", field="ics"
        ) from exc
    result = clip(merge(found), start, end)
    logger.debug("busy calendar: %d intervals in horizon", len(result))
    return result
