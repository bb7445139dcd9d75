"""Busy times imported from an uploaded ``.ics`` file.

Recurring events (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides) are expanded with
``recurring-ical-events``; VFREEBUSY components are read from their FREEBUSY periods
(FBTYPE=FREE is ignored). Transparent and cancelled events are not busy. Floating times and
all-day dates are read in ``zone`` (the owner's zone). The result is clipped to the horizon
and overlapping spans are merged.

A file is bounded three ways, so a hostile one fails fast instead of holding a worker:
its size (``max_bytes``), its occurrences inside the horizon (``max_occurrences``, counted
lazily: expansion stops at the first one over the limit), and the work spent expanding each
event (``max_work``, see :class:`WorkBudget`). Each refusal names the event.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from types import FrameType, TracebackType
from typing import Any

import recurring_ical_events
from dateutil.rrule import rrulestr
from icalendar import Calendar, Component, vRecur
from icalendar.enums import FBTYPE, STATUS, TRANSP

from scheduling.errors import (
    IcsTooComplexError,
    IcsTooLargeError,
    IcsTooManyOccurrencesError,
    InvalidIcsError,
)
from scheduling.intervals import Interval, Intervals, clip, merge
from scheduling.timezones import UTC, get_zone, require_utc

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 2_000_000
DEFAULT_MAX_OCCURRENCES = 5_000
# Python calls the walk of one event's rules may take: ~2.5 per start the rule gives from
# its DTSTART on, so a daily event since 1900 fits (46,000 starts). A rule that never matches
# (FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30) makes dateutil walk to the year 9999 without
# yielding (~9 s): it is stopped after this many calls.
DEFAULT_MAX_WORK = 150_000
# The expansion that follows (recurring-ical-events over the same rules, one component per
# occurrence) may take this much: measured ~7 calls per start walked and ~200 per
# occurrence, with a margin of two.
EXPANSION_BASE = 20_000
EXPANSION_PER_WALK_CALL = 6
EXPANSION_PER_OCCURRENCE = 400
RECURRENCE = ("RRULE", "RDATE", "RECURRENCE-ID")
# Floating times and all-day dates are local: query a day wider, clip after.
_SLACK = dt.timedelta(days=1)


class _OverBudget(BaseException):
    """Raised by the profile hook; a BaseException so no library ``except Exception``
    swallows it."""


class WorkBudget:
    """Counts the Python calls made inside the ``with`` block and stops the block with
    :class:`IcsTooComplexError` past ``limit``.

    Why calls and not occurrences: dateutil, under ``recurring-ical-events``, may walk for
    seconds without producing an occurrence (a rule whose BYxxx parts never match walks to
    the year 9999; one starting centuries ago walks every period since), so no lazy
    consumption can bound it. Every step of that walk is a Python call, so counting calls
    bounds the work whatever the rule, and gives the same answer on every machine (no
    clock). The previous profile hook of the thread is restored on exit.
    """

    def __init__(self, limit: int, *, event: str) -> None:
        self.limit = limit
        self.event = event
        self.calls = 0
        self._previous: Any = None

    def _count(self, frame: FrameType, event: str, arg: object) -> None:
        if event == "call":
            self.calls += 1
            if self.calls > self.limit:
                sys.setprofile(None)  # the hook is spent; raising once is enough
                raise _OverBudget

    def __enter__(self) -> WorkBudget:
        self._previous = sys.getprofile()
        sys.setprofile(self._count)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        sys.setprofile(self._previous)
        # Also when a library swallowed the signal: the block did too much work.
        if exc_type is _OverBudget or self.calls > self.limit:
            raise IcsTooComplexError(event=self.event, limit=self.limit) from None


@dataclass
class _Series:
    """The VEVENTs sharing one UID (a master and its overrides), in file order."""

    index: int  # 1-based position of its first VEVENT among the file's VEVENTs
    uid: str
    summary: str
    components: list[Component] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How an error names the event: its position, SUMMARY and UID (shortened)."""
        parts = [f"#{self.index}"]
        if self.summary:
            parts.append(f'"{_short(self.summary)}"')
        if self.uid:
            parts.append(f"(UID {_short(self.uid)})")
        return " ".join(parts)

    @property
    def recurs(self) -> bool:
        return len(self.components) > 1 or any(k in self.components[0] for k in RECURRENCE)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _instant(value: object, zone: dt.tzinfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone)
        return value.astimezone(UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(0), tzinfo=zone).astimezone(UTC)
    raise InvalidIcsError(f"unsupported date value {type(value).__name__}", field="ics")


def _event_interval(event: Any, zone: dt.tzinfo) -> Interval | None:
    """The busy span of one (expanded) VEVENT, or None when it is not busy."""
    if str(event.get("TRANSP", TRANSP.OPAQUE)).upper() == TRANSP.TRANSPARENT:
        return None
    if str(event.get("STATUS", "")).upper() == STATUS.CANCELLED:
        return None
    start_prop = event.get("DTSTART")
    if start_prop is None:
        return None
    raw_start = start_prop.dt
    start = _instant(raw_start, zone)
    end_prop = event.get("DTEND")
    if end_prop is not None:
        end = _instant(end_prop.dt, zone)
    elif event.get("DURATION") is not None:
        end = start + event["DURATION"].dt
    elif isinstance(raw_start, dt.datetime):
        return None  # RFC 5545: an event with DTSTART only (a point in time) takes no time
    else:
        end = _instant(raw_start + dt.timedelta(days=1), zone)
    return Interval(start, end) if end > start else None


def _freebusy_intervals(component: Component, zone: dt.tzinfo) -> Iterator[Interval]:
    props = component.get("FREEBUSY")
    if props is None:
        return
    for prop in props if isinstance(props, list) else [props]:
        fbtype = str(prop.params.get("FBTYPE", FBTYPE.BUSY)).upper()
        if fbtype == FBTYPE.FREE:
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


def _series(calendar: Calendar) -> list[_Series]:
    by_uid: dict[str, _Series] = {}
    out: list[_Series] = []
    for index, event in enumerate(calendar.walk("VEVENT"), start=1):
        uid = str(event.get("UID", ""))
        series = by_uid.get(uid) if uid else None
        if series is None:
            series = _Series(index=index, uid=uid, summary=str(event.get("SUMMARY", "")))
            out.append(series)
            if uid:
                by_uid[uid] = series
        series.components.append(event)
    return out


def _wall(value: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """``value`` as a naive wall-clock time in ``zone`` (naive values are kept)."""
    if value.tzinfo is None or zone is None:
        return value.replace(tzinfo=None)
    return value.astimezone(zone).replace(tzinfo=None)


def _length(event: Any) -> dt.timedelta:
    """How long an event lasts (DTEND or DURATION; a day for a date, none for an instant)."""
    start = event["DTSTART"].dt
    if event.get("DTEND") is not None:
        length = event["DTEND"].dt - start
    elif event.get("DURATION") is not None:
        length = event["DURATION"].dt
    else:
        length = dt.timedelta(0 if isinstance(start, dt.datetime) else 1)
    return max(length, dt.timedelta(0)) if isinstance(length, dt.timedelta) else _SLACK


def _rule_counts(
    master: Component, start: dt.datetime, end: dt.datetime, zone: dt.tzinfo
) -> Iterator[None]:
    """One item per start that the master's RRULEs give inside ``[start, end)``, produced
    lazily (dateutil walks the rule without storing it), so a caller can stop counting at
    its limit before anything is expanded. Counted in the event's wall-clock time and before
    EXDATE and overrides: a slight over-count, never an under-count of the rule."""
    start_prop = master.get("DTSTART")
    rules = master.get("RRULE")
    if start_prop is None or rules is None:
        return
    first = start_prop.dt
    if not isinstance(first, dt.datetime):
        first = dt.datetime.combine(first, dt.time(0))
    event_zone = first.tzinfo if first.tzinfo is not None else zone
    dtstart = _wall(first, event_zone)
    # A start up to one event's length before the horizon still overlaps it.
    low, high = _wall(start, event_zone) - _length(master), _wall(end, event_zone)
    for rule in rules if isinstance(rules, list) else [rules]:
        parts = {k: v for k, v in rule.items() if k != "UNTIL"}
        until = rule.get("UNTIL")
        text = vRecur(parts).to_ical().decode()  # type: ignore[no-untyped-call]
        dateutil_rule = rrulestr(text, dtstart=dtstart)
        if until:
            last = until[0] if isinstance(until, list) else until
            if not isinstance(last, dt.datetime):
                last = dt.datetime.combine(last, dt.time(23, 59, 59))
            dateutil_rule = dateutil_rule.replace(until=_wall(last, event_zone))
        for instant in dateutil_rule.xafter(low, inc=True):
            if instant >= high:
                break
            yield None


def _rdate_counts(
    component: Component, start: dt.datetime, end: dt.datetime, zone: dt.tzinfo
) -> Iterator[None]:
    """One item per RDATE of the component that starts around ``[start, end)``."""
    props = component.get("RDATE")
    for prop in props if isinstance(props, list) else [props] if props is not None else []:
        for value in prop.dts:
            when = value.dt[0] if isinstance(value.dt, tuple) else value.dt  # a PERIOD
            if start - _SLACK <= _instant(when, zone) < end:
                yield None


def _occurrences(
    series: _Series,
    calendar: Calendar,
    start: dt.datetime,
    end: dt.datetime,
    zone: dt.tzinfo,
    *,
    count: _Count,
    max_work: int,
) -> list[Component]:
    """The series' occurrences around ``[start, end)``.

    The rules' starts in the horizon are counted first, lazily and within ``max_work``
    calls, so a rule with too many (FREQ=MINUTELY) or one that never matches is refused
    before ``recurring-ical-events`` expands it into one component per occurrence; the
    expansion then gets a budget in proportion to that walk and to what it found."""
    if not series.recurs:
        return series.components[:1]
    seen = 0
    with WorkBudget(max_work, event=series.label) as walk:
        for component in series.components:
            for _ in chain(
                _rule_counts(component, start, end, zone),
                _rdate_counts(component, start, end, zone),
            ):
                seen += 1
                count.check(seen, series.label)
    alone = Calendar()
    for name in ("CALSCALE", "X-WR-TIMEZONE"):
        if name in calendar:
            alone.add(name, calendar[name])
    alone.subcomponents.extend(series.components)
    budget = EXPANSION_BASE + EXPANSION_PER_WALK_CALL * walk.calls
    budget += EXPANSION_PER_OCCURRENCE * (seen + len(series.components))
    with WorkBudget(budget, event=series.label):
        found: list[Component] = recurring_ical_events.of(alone).between(start - _SLACK, end)
    return found


@dataclass
class _Count:
    """Occurrences read in the horizon, per event and in all, against the file's limit."""

    limit: int
    total: int = 0
    most: tuple[int, str] = (0, "")

    def add(self, series_count: int, label: str) -> None:
        self.total += 1
        self.check(series_count, label, counted=0)

    def check(self, series_count: int, label: str, *, counted: int | None = None) -> None:
        """Refuse once the file's occurrences, with ``series_count`` of the current event
        not yet counted (``counted=None``) or already counted (0), pass the limit."""
        if series_count >= self.most[0]:
            self.most = (series_count, label)
        pending = series_count if counted is None else counted
        if self.total + pending > self.limit:
            raise IcsTooManyOccurrencesError(event=self.most[1], limit=self.limit)


def parse_busy_ics(
    data: bytes,
    *,
    start: dt.datetime,
    end: dt.datetime,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_occurrences: int = DEFAULT_MAX_OCCURRENCES,
    max_work: int = DEFAULT_MAX_WORK,
    zone: str = "UTC",
) -> Intervals:
    """Busy intervals (UTC, merged) found in ``data`` within ``[start, end)``.

    Raises :class:`IcsTooLargeError` over ``max_bytes``,
    :class:`IcsTooManyOccurrencesError` past ``max_occurrences`` busy or free occurrences
    in the horizon (naming the event with the most), :class:`IcsTooComplexError` when one
    event's expansion takes more than ``max_work`` steps, and :class:`InvalidIcsError`
    when the file does not parse as a VCALENDAR or its recurrences cannot be expanded.
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
    count = _Count(max_occurrences)
    for series in _series(calendar):
        in_horizon = 0
        try:
            events = _occurrences(series, calendar, start, end, tz, count=count, max_work=max_work)
            for event in events:
                interval = _event_interval(event, tz)
                if interval is None or interval.end <= start or interval.start >= end:
                    continue
                in_horizon += 1
                count.add(in_horizon, series.label)
                found.append(interval)
        except InvalidIcsError:
            raise
        except Exception as exc:
            raise InvalidIcsError(
                f"the recurrence rules of event {series.label} cannot be read", field="ics"
            ) from exc
    try:
        for index, component in enumerate(calendar.walk("VFREEBUSY"), start=1):
            label = f"VFREEBUSY #{index}"
            in_horizon = 0
            for interval in _freebusy_intervals(component, tz):
                if interval.end > start and interval.start < end:
                    in_horizon += 1
                    count.add(in_horizon, label)
                    found.append(interval)
    except InvalidIcsError:
        raise
    except Exception as exc:
        raise InvalidIcsError(
            "the calendar's free/busy periods cannot be read", field="ics"
        ) from exc
    result = clip(merge(found), start, end)
    logger.debug("busy calendar: %d occurrences, %d merged intervals", count.total, len(result))
    return result
