"""iTIP invites (RFC 5545/5546) for one session, built with icalendar's typed API.

The input type :class:`SessionInvite` has no field for a theme, description, objective or
note, so no confidential content can reach an invite. The SUMMARY comes from the message
catalog and is the same for every kind of session ("Coaching session 2 of 6"); the
DESCRIPTION only says who attends and where. Every invite is private for the calendars
that show others' events: ``CLASS:PRIVATE`` (Outlook's and Google's "private"), and
``X-CALENDARSERVER-ACCESS:CONFIDENTIAL`` on the calendar (Apple's and CalDAV servers':
others see the time only), and ``TRANSP:OPAQUE`` (busy). Times are stored in UTC and
written with the display zone's TZID and its RRULE-based VTIMEZONE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from icalendar import Calendar, Event, vCalAddress
from icalendar.enums import CLASS, PARTSTAT, ROLE, STATUS, TRANSP

from scheduling import messages
from scheduling.errors import InvalidCalendarDataError
from scheduling.ical_common import (
    PRODID,
    Mailbox,
    check_span,
    check_uid,
    check_url,
    clean_text,
    vtimezone,
)
from scheduling.plan_types import PlacedSession
from scheduling.timezones import get_zone, require_utc

UTC_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/Zulu", "Zulu", "Universal", "Etc/Universal"})


class Method(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@dataclass(frozen=True)
class Attendee:
    """An attendee with icalendar's own ROLE and PARTSTAT values (RFC 5545 3.2.16, 3.2.12)."""

    mailbox: Mailbox
    role: ROLE = ROLE.REQ_PARTICIPANT
    partstat: PARTSTAT = PARTSTAT.NEEDS_ACTION
    rsvp: bool = True

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "role", ROLE(self.role))
            object.__setattr__(self, "partstat", PARTSTAT(self.partstat))
        except ValueError as exc:
            raise InvalidCalendarDataError(str(exc), field="attendees") from exc


@dataclass(frozen=True)
class SessionInvite:
    """Everything an invite may show. ``sequence`` and ``stamp`` come from the caller:
    bump ``sequence`` on every change (time, place, attendees, cancellation)."""

    uid: str
    sequence: int
    stamp: dt.datetime
    start: dt.datetime
    end: dt.datetime
    zone: str
    index: int
    total: int
    organizer: Mailbox
    attendees: tuple[Attendee, ...]
    location: str | None = None
    online_url: str | None = None
    language: str = messages.DEFAULT_LANGUAGE

    def __post_init__(self) -> None:
        check_uid(self.uid)
        if not isinstance(self.sequence, int) or self.sequence < 0:
            raise InvalidCalendarDataError("SEQUENCE must be 0 or more", field="sequence")
        object.__setattr__(self, "stamp", require_utc(self.stamp, field="stamp"))
        start, end = check_span(self.start, self.end)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        get_zone(self.zone)
        if not 1 <= self.index <= self.total:
            raise InvalidCalendarDataError("index must be between 1 and total", field="index")
        object.__setattr__(self, "attendees", tuple(self.attendees))
        if not self.attendees:
            raise InvalidCalendarDataError("an invite needs attendees", field="attendees")
        if self.location is not None:
            object.__setattr__(self, "location", clean_text(self.location) or None)
        if self.online_url is not None:
            check_url(self.online_url, field="online_url")

    @property
    def title(self) -> str:
        return messages.session_title(self.index, self.total, self.language)


def attendees_for(session: PlacedSession, people: Mapping[str, Mailbox]) -> tuple[Attendee, ...]:
    """Coach, coachee and — for the first, tripartite session only — the sponsor."""
    missing = [p for p in session.participants if p not in people]
    if missing:
        raise InvalidCalendarDataError("no mailbox for a participant", field="people")
    return tuple(Attendee(people[p]) for p in session.participants)


def session_uid(engagement_id: str, index: int, domain: str) -> str:
    """A stable UID for session ``index`` of an engagement that does not reveal its id."""
    digest = hashlib.sha256(engagement_id.encode()).hexdigest()[:20]
    return check_uid(f"{digest}-{index}@{domain}")


def display_zone(zone: str) -> dt.tzinfo:
    return dt.UTC if zone in UTC_ZONES else get_zone(zone)


def display_time(instant: dt.datetime, zone: str) -> dt.datetime:
    """``instant`` in ``zone`` for DTSTART/DTEND, or in UTC when its local time is ambiguous
    (the repeated hour in autumn): a TZID time there would mean the first occurrence, so a
    session ending in the second one would get a wrong or zero length."""
    tz = display_zone(zone)
    local = instant.astimezone(tz)
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        return instant.astimezone(dt.UTC)
    return local


def address(mailbox: Mailbox, **params: object) -> vCalAddress:
    """A ``mailto:`` calendar address with CN and the given parameters."""
    addr: vCalAddress = vCalAddress.new(mailbox.email, cn=mailbox.name or None, **params)  # type: ignore[arg-type]
    return addr


def neutral_description(
    names: list[str], location: str | None, online_url: str | None, lang: str
) -> str | None:
    """ "With: A, B" and the place: the only free text an invite or feed carries (None
    when there is nothing to say)."""
    shown = [n for n in names if n]
    lines = [messages.text("with", lang, names=", ".join(shown))] if shown else []
    if location:
        lines.append(messages.text("where", lang, place=location))
    if online_url:
        lines.append(messages.text("online", lang, url=online_url))
    return "\n".join(lines) or None


def with_timezone(calendar: Calendar, zone: str, years: tuple[int, int]) -> None:
    """Add the VTIMEZONE of ``zone`` (none for UTC) before the other components."""
    if zone not in UTC_ZONES:
        calendar.subcomponents.insert(0, vtimezone(zone, *years))


# Apple Calendar and CalDAV servers (calendarserver's private events): on a shared
# calendar, others see when the event is, nothing of it.
ACCESS_PROPERTY = "X-CALENDARSERVER-ACCESS"
ACCESS = "CONFIDENTIAL"


def private_calendar(calendar: Calendar) -> None:
    calendar.add(ACCESS_PROPERTY, ACCESS)


def build_invite(invite: SessionInvite, method: Method = Method.REQUEST) -> Calendar:
    """A VCALENDAR with one VEVENT for ``invite`` and METHOD ``method``."""
    attendees = [
        address(a.mailbox, role=a.role, partstat=a.partstat, rsvp=a.rsvp) for a in invite.attendees
    ]
    cancelled = method is Method.CANCEL
    event = Event.new(
        uid=invite.uid,
        sequence=invite.sequence,
        stamp=invite.stamp,
        start=display_time(invite.start, invite.zone),
        end=display_time(invite.end, invite.zone),
        summary=invite.title,
        description=neutral_description(
            [a.mailbox.name or a.mailbox.email for a in invite.attendees],
            invite.location,
            invite.online_url,
            invite.language,
        ),
        location=invite.location or (invite.online_url if invite.online_url else None),
        organizer=address(invite.organizer),
        attendees=attendees,
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
        transparency=TRANSP.OPAQUE,
        classification=CLASS.PRIVATE,
        url=invite.online_url,
    )
    calendar = Calendar.new(prodid=PRODID, method=str(method), uid=None, subcomponents=[event])
    calendar.pop("UID", None)
    private_calendar(calendar)
    with_timezone(calendar, invite.zone, (invite.start.year, invite.end.year + 1))
    return calendar


def invite_ics(invite: SessionInvite, method: Method = Method.REQUEST) -> bytes:
    """The invite serialised as an ``.ics`` file (CRLF line ends, folded lines)."""
    data: bytes = build_invite(invite, method).to_ical()
    return data
