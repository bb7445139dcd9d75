"""Rendering a person's sessions as an iCalendar feed, with the scheduling core's renderer.

The body depends only on the stored rows and `now` (cancelled sessions drop out 30 days
after their cancellation), so the ETag is stable between changes. No confidential text
goes in: titles name the session, descriptions name the people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from api.models.enums import SessionStatus
from scheduling.feeds import FeedEntry, render_feed


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


def render_person_feed(
    *,
    sessions: list[FeedSession],
    zone: str,
    owner_name: str | None,
    language: str,
    now: datetime,
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
            people=(s.with_name,) if s.with_name else (),
            cancelled=s.status == SessionStatus.cancelled,
        )
        for s in sessions
    ]
    return render_feed(
        entries, zone=zone, reference_time=now, owner_name=owner_name or None, language=language
    )
