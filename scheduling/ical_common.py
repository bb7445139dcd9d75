"""Shared pieces of the iCalendar output: safe text, addresses, PRODID; VTIMEZONEs come
from :mod:`scheduling.vtimezone` (RRULE-based, as Outlook reads them)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from scheduling.emails import normalise_email
from scheduling.errors import InvalidCalendarDataError
from scheduling.timezones import require_utc
from scheduling.vtimezone import vtimezone

__all__ = ["PRODID", "Mailbox", "check_email", "check_span", "check_uid", "check_url",
           "clean_text", "vtimezone"]  # fmt: skip

PRODID = "-//coachmatch//scheduling//EN"
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
    """The address in its one stored form (:func:`scheduling.emails.normalise_email`)."""
    return normalise_email(value, field=field)


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
        object.__setattr__(self, "email", check_email(self.email, field="email"))
        object.__setattr__(self, "name", clean_text(self.name))


def check_span(start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start = require_utc(start, field="start")
    end = require_utc(end, field="end")
    if end <= start:
        raise InvalidCalendarDataError("a session must end after it starts", field="end")
    return start, end
