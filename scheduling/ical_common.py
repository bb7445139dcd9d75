"""Shared pieces of the iCalendar output: safe text, addresses, VTIMEZONE cache, PRODID."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from icalendar import Timezone

from scheduling.errors import InvalidCalendarDataError
from scheduling.timezones import get_zone, require_utc

PRODID = "-//coachmatch//scheduling//EN"
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
_UID = re.compile(r"^[\x21-\x7e]{1,255}$")


def clean_text(value: str, *, max_length: int = 200) -> str:
    """One line of display text: control characters (CR, LF, tab, line separators...)
    become spaces, double quotes become single ones; commas, semicolons, backslashes and
    emoji are kept (the iCalendar writer escapes or quotes them)."""
    chars = []
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            chars.append(" ")
        elif ch == '"':
            chars.append("'")
        else:
            chars.append(ch)
    return " ".join("".join(chars).split())[:max_length]


def check_email(value: str, *, field: str) -> str:
    if not isinstance(value, str) or len(value) > 254 or not _EMAIL.match(value):
        raise InvalidCalendarDataError("not a valid email address", field=field)
    return value


def check_uid(value: str, *, field: str = "uid") -> str:
    if not isinstance(value, str) or not _UID.match(value):
        raise InvalidCalendarDataError("UID must be 1-255 visible ASCII characters", field=field)
    return value


def check_url(value: str, *, field: str) -> str:
    if not re.match(r"^https://[\x21-\x7e]{1,2000}$", value):
        raise InvalidCalendarDataError("an https:// URL without spaces is required", field=field)
    return value


@dataclass(frozen=True, order=True)
class Mailbox:
    """An email address with an optional display name (cleaned of control characters)."""

    email: str
    name: str = ""

    def __post_init__(self) -> None:
        check_email(self.email, field="email")
        object.__setattr__(self, "name", clean_text(self.name))


def check_span(start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start = require_utc(start, field="start")
    end = require_utc(end, field="end")
    if end <= start:
        raise InvalidCalendarDataError("a session must end after it starts", field="end")
    return start, end


@lru_cache(maxsize=256)
def _vtimezone_bytes(zone: str, first_year: int, last_year: int) -> bytes:
    tz = Timezone.from_tzid(
        zone, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 12, 31)
    )
    # Repeat each onset's DTSTART in its RDATE list (allowed by RFC 5545): ical.js, hence
    # Thunderbird, ignores DTSTART as an onset when RDATE is present.
    for observance in (*tz.standard, *tz.daylight):
        if "RDATE" in observance:
            onset: Any = observance["DTSTART"]
            observance.add("RDATE", onset.dt)
    data: bytes = tz.to_ical()
    return data


def vtimezone(zone: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for ``zone`` covering whole years (built once, then copied)."""
    get_zone(zone)
    component = Timezone.from_ical(_vtimezone_bytes(zone, first_year, last_year))
    if not isinstance(component, Timezone):  # pragma: no cover - from_ical of our own bytes
        raise InvalidCalendarDataError(f"cannot build a VTIMEZONE for {zone}", field="zone")
    return component
