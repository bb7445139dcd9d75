"""Rendering a person's sessions as an iCalendar feed, with the scheduling core's renderer.

The body depends only on the stored rows and `now` (cancelled sessions drop out 30 days
after their cancellation), so the ETag is stable between changes. No confidential text
goes in: titles are neutral, descriptions name the people (when the owner chose so) and
the place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from api.models.enums import SessionStatus
from scheduling.feeds import FeedEntry, render_feed
from scheduling.ical_common import Mailbox


@dataclass(frozen=True)
class FeedSession:
    uid: str
    start: datetime
    end: datetime
    sequence: int
    status: SessionStatus
    number: int
    total: int
    with_names: tuple[str, ...]
    last_change: datetime
    location: str | None = None
    online_url: str | None = None


def render_person_feed(
    *,
    sessions: list[FeedSession],
    zone: str,
    owner_name: str | None,
    language: str,
    now: datetime,
    organizer: Mailbox,
) -> bytes:
    entries = [
        FeedEntry(
            start=s.start,
            end=s.end,
            uid=s.uid,
            sequence=s.sequence,
            last_modified=s.last_change,
            index=s.number,
            total=max(s.total, s.number),
            people=s.with_names,
            cancelled=s.status == SessionStatus.cancelled,
            location=s.location,
            online_url=s.online_url,
        )
        for s in sessions
    ]
    return render_feed(
        entries,
        zone=zone,
        reference_time=now,
        organizer=organizer,
        owner_name=owner_name or None,
        language=language,
    )
