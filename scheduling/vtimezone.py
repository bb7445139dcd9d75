"""RRULE-based VTIMEZONE components, derived from the IANA zone's transitions.

Outlook reads a VTIMEZONE as one yearly standard transition and one yearly daylight
transition, from DTSTART, RRULE, TZOFFSETFROM and TZOFFSETTO only: RDATE lists are
ignored ([MS-STANOICAL] 2.2.47, "[RFC5545] Section 3.6.5, Time Zone Component"; Outlook
itself exports exactly one STANDARD and at most one DAYLIGHT, each with an RRULE,
[MS-STANOICAL] 2.2.106). So each observance is written the way Outlook writes it::

    BEGIN:STANDARD
    DTSTART:20251026T030000
    RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
    TZOFFSETFROM:+0200
    TZOFFSETTO:+0100

The rule is found from the zone's real transitions over the years an output covers (and
the year before, so its first day is covered): a run of yearly transitions on the same
weekday of the same week of the same month at the same wall time becomes one RRULE; a
run that a later rule replaces, or that stops (a zone that gave up DST), ends with UNTIL;
a one-off transition is a DTSTART alone.
A zone without transitions is one STANDARD observance.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from scheduling.errors import InvalidCalendarDataError
from scheduling.timezones import get_zone

UTC = dt.UTC
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_EPOCH = dt.datetime(1970, 1, 1)


@dataclass(frozen=True)
class Transition:
    """One change of a zone's offset (or of its daylight flag or name)."""

    at: dt.datetime  # UTC instant of the change
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    daylight: bool
    name: str

    @property
    def local(self) -> dt.datetime:
        """The wall time the change happens at, in the offset before it (DTSTART)."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    def weekday_rules(self) -> frozenset[tuple[int, int]]:
        """(week, weekday) encodings of its day: week n of the month, and -1 when it is
        also the month's last such weekday."""
        day = self.local
        rules = {((day.day - 1) // 7 + 1, day.weekday())}
        if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
            rules.add((-1, day.weekday()))
        return frozenset(rules)

    def kind(self) -> tuple[object, ...]:
        local = self.local
        return (self.daylight, self.offset_from, self.offset_to, self.name, local.month,
                local.time())  # fmt: skip


def _state(tz: ZoneInfo, instant: dt.datetime) -> tuple[dt.timedelta, bool, str]:
    local = instant.astimezone(tz)
    return local.utcoffset() or dt.timedelta(0), bool(local.dst()), local.tzname() or ""


def transitions(zone: str, first: dt.date, last: dt.date) -> list[Transition]:
    """Every transition of ``zone`` from ``first`` to ``last`` (inclusive), to the second."""
    tz = get_zone(zone)
    out: list[Transition] = []
    day = dt.datetime.combine(first, dt.time(0), tzinfo=UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=UTC)
    state = _state(tz, day)
    while day < end:
        following = day + dt.timedelta(days=1)
        after = _state(tz, following)
        if after != state:
            lo, hi = day, following  # state(lo) is the old one, state(hi) the new one
            while hi - lo > dt.timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if _state(tz, mid) == state:
                    lo = mid
                else:
                    hi = mid
            new = _state(tz, hi)
            out.append(Transition(hi, state[0], new[0], new[1], new[2]))
            state = _state(tz, following)
            if state != new:  # two changes in one day: look again from the first
                day = hi
                state = new
                continue
        day = following
    return out


@dataclass(frozen=True)
class Observance:
    """One STANDARD or DAYLIGHT component: a first transition, and its yearly rule."""

    first: Transition
    rule: tuple[int, int] | None = None  # (week, weekday) for BYDAY
    until: dt.datetime | None = None  # UTC instant of the run's last transition


def observances(found: list[Transition], last_year: int) -> list[Observance]:
    """Runs of yearly transitions that one rule describes, in the order they start. A
    run still going in ``last_year`` (the last one looked at) repeats with no end; one
    that stopped before, or that a later rule replaced, ends with UNTIL."""
    runs: list[tuple[list[Transition], frozenset[tuple[int, int]]]] = []
    open_runs: dict[tuple[object, ...], int] = {}  # kind -> index of its latest run
    for item in found:
        index = open_runs.get(item.kind())
        if index is not None:
            members, rules = runs[index]
            shared = rules & item.weekday_rules()
            if shared and item.local.year == members[-1].local.year + 1:
                runs[index] = ([*members, item], shared)
                continue
        # A different rule of the same daylight flag ends the runs before it.
        open_runs = {k: v for k, v in open_runs.items() if k[0] != item.daylight}
        runs.append(([item], item.weekday_rules()))
        open_runs[item.kind()] = len(runs) - 1
    out = []
    for position, (members, rules) in enumerate(runs):
        if len(members) == 1:
            out.append(Observance(members[0]))
            continue
        # "Last Sunday" reads better and lasts longer than "fourth Sunday" when both fit.
        rule = min(rules, key=lambda r: (r[0] != -1, r[0]))
        later = any(r[0][0].daylight == members[0].daylight for r in runs[position + 1 :])
        ended = later or members[-1].local.year < last_year
        out.append(Observance(members[0], rule, members[-1].at if ended else None))
    return out


def _component(item: Observance) -> TimezoneStandard | TimezoneDaylight:
    first = item.first
    component = TimezoneDaylight() if first.daylight else TimezoneStandard()
    component.add("DTSTART", first.local)
    if item.rule is not None:
        week, weekday = item.rule
        recur = {"FREQ": "YEARLY", "BYMONTH": first.local.month,
                 "BYDAY": f"{week}{_WEEKDAYS[weekday]}"}  # fmt: skip
        if item.until is not None:
            recur["UNTIL"] = item.until
        component.add("RRULE", vRecur(recur))
    component.add("TZNAME", first.name)
    component.add("TZOFFSETFROM", first.offset_from)
    component.add("TZOFFSETTO", first.offset_to)
    return component


def _fixed(offset: dt.timedelta, name: str, start: dt.datetime) -> TimezoneStandard:
    component = TimezoneStandard()
    component.add("DTSTART", start)
    component.add("TZNAME", name)
    component.add("TZOFFSETFROM", offset)
    component.add("TZOFFSETTO", offset)
    return component


@lru_cache(maxsize=256)
def _vtimezone_bytes(zone: str, first_year: int, last_year: int) -> bytes:
    tz = get_zone(zone)
    scan_from = dt.date(first_year - 1, 1, 1)
    found = transitions(zone, scan_from, dt.date(last_year, 12, 31))
    component = Timezone()
    component.add("TZID", zone)
    covered_from = dt.datetime(first_year, 1, 1, tzinfo=UTC)
    if not found or found[0].at > covered_from:
        # Nothing changes before the first covered day: say what holds there.
        offset, _, name = _state(tz, dt.datetime.combine(scan_from, dt.time(0), tzinfo=UTC))
        start = _EPOCH if not found else dt.datetime.combine(scan_from, dt.time(0))
        component.add_component(_fixed(offset, name, start))
    for item in observances(found, last_year):
        component.add_component(_component(item))
    data: bytes = component.to_ical()
    return data


def vtimezone(zone: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of ``zone`` for events from ``first_year`` to ``last_year``."""
    if first_year > last_year:
        raise InvalidCalendarDataError("first_year is after last_year", field="zone")
    component = Timezone.from_ical(_vtimezone_bytes(zone, first_year, last_year))
    if not isinstance(component, Timezone):  # pragma: no cover - from_ical of our own bytes
        raise InvalidCalendarDataError(f"cannot build a VTIMEZONE for {zone}", field="zone")
    return component
