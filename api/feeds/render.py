"""Rendering a person's sessions as an iCalendar feed.

Phase 2: delegate to the scheduling core's feed renderer once it exists, keeping this
signature. Until then this minimal VCALENDAR keeps the feed usable. The body depends only
on the stored rows (DTSTAMP is the session's last change), so the ETag is stable.
No confidential text ever goes in: summaries name the session, not the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event

from api.models.enums import SessionStatus


@dataclass(frozen=True)
class FeedSession:
    uid: str
    start: datetime
    end: datetime
    sequence: int
    status: SessionStatus
    number: int
    total: int
    with_name: str | None
    last_change: datetime


def render_person_feed(*, calendar_name: str, sessions: list[FeedSession]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//coachmatch//feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", calendar_name)
    for item in sessions:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.last_change)
        event.add("last-modified", item.last_change)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("sequence", item.sequence)
        summary = f"Coaching session {item.number}/{item.total}"
        if item.with_name:
            summary += f" with {item.with_name}"
        event.add("summary", summary)
        event.add("status", "CANCELLED" if item.status == SessionStatus.cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()  # type: ignore[no-any-return]
