"""A coach's own calendar as busy time: set it, and `refresh_calendar`, the function a
periodic job calls for each coach that has one.

A refresh that succeeds keeps the new copy (the planner reads it like an upload, over
its own horizon) and when it succeeded; one that fails keeps the last good copy, counts
the failure and says why (the coach's availability page shows both). The calendar is
parsed with the upload's limits (`ics_max_bytes`, `ics_max_occurrences`, the expansion
budget of `scheduling.busy_ics`), so a hostile calendar costs what a hostile upload costs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from api import messages
from api.calendars.fetch import FetchError, fetch_caldav, fetch_ics, url_problem
from api.errors import InvalidInput, NotFound
from api.models import CalendarSubscription, Coach
from api.settings import Settings
from scheduling.busy_ics import parse_busy_ics
from scheduling.errors import SchedulingError

log = logging.getLogger(__name__)

KINDS = ("ics", "caldav")


@dataclass(frozen=True)
class RefreshResult:
    status: str  # changed, unchanged, failed, none (no calendar set)
    busy_intervals: int = 0
    error: str | None = None


def get(session: Session, coach_id: int) -> CalendarSubscription | None:
    return session.exec(
        select(CalendarSubscription).where(CalendarSubscription.coach_id == coach_id)
    ).first()


def set_calendar(
    *,
    session: Session,
    settings: Settings,
    coach: Coach,
    kind: str,
    url: str,
    username: str | None,
    password: str | None,
    now: datetime,
) -> CalendarSubscription:
    """Replace the coach's calendar address (nothing is read yet: refresh does)."""
    assert coach.id is not None
    problem = url_problem(url, settings, resolve=False)
    if problem is not None:
        raise InvalidInput(messages.CALENDAR_URL_REFUSED.format(reason=problem), field="url")
    row = get(session, coach.id) or CalendarSubscription(
        coach_id=coach.id, kind=kind, url=url, created_at=now
    )
    row.kind, row.url, row.username, row.password = kind, url, username, password
    row.etag = row.last_modified = row.last_error = None
    row.content, row.busy_intervals, row.failures = None, 0, 0
    row.last_attempt_at = row.last_success_at = row.last_changed_at = None
    session.add(row)
    session.commit()
    log.info("coach %s set a %s calendar", coach.id, kind)
    return row


def delete_calendar(*, session: Session, coach_id: int) -> None:
    row = get(session, coach_id)
    if row is None:
        raise NotFound(messages.NOT_FOUND.format(what="calendar"))
    session.delete(row)
    session.commit()


def refresh_calendar(
    *, session: Session, settings: Settings, coach_id: int, now: datetime
) -> RefreshResult:
    """Read the coach's calendar again (conditionally) and keep its busy times; commits.
    Never raises for the remote side: a failure is recorded on the row and returned."""
    row = get(session, coach_id)
    coach = session.get(Coach, coach_id)
    if row is None or coach is None:
        return RefreshResult("none")
    row.last_attempt_at = now
    horizon = now + timedelta(days=settings.busy_horizon_days)
    try:
        if row.kind == "caldav":
            fetched = fetch_caldav(
                row.url,
                username=row.username,
                password=row.password,
                ctag=row.etag,
                start=now,
                end=horizon,
                settings=settings,
            )
        else:
            fetched = fetch_ics(
                row.url, etag=row.etag, last_modified=row.last_modified, settings=settings
            )
        if fetched.content is None:
            result = RefreshResult("unchanged", row.busy_intervals)
        else:
            busy = parse_busy_ics(
                fetched.content,
                start=now,
                end=horizon,
                max_bytes=settings.ics_max_bytes,
                max_occurrences=settings.ics_max_occurrences,
                zone=coach.timezone,
            )
            row.content, row.busy_intervals = fetched.content, len(busy)
            row.etag, row.last_modified = fetched.etag, fetched.last_modified
            row.last_changed_at = now
            result = RefreshResult("changed", len(busy))
    except (FetchError, SchedulingError) as exc:
        code = exc.code if isinstance(exc, FetchError) else "bad_calendar"
        detail = str(exc) if isinstance(exc, FetchError) else exc.message
        row.failures += 1
        row.last_error = f"{code}: {detail}"[:300] if detail != code else code
        session.add(row)
        session.commit()
        # The reason, never the address: a private calendar URL is a secret.
        log.warning("coach %s: calendar refresh failed (%s)", coach_id, code)
        return RefreshResult("failed", row.busy_intervals, row.last_error)
    row.failures, row.last_error, row.last_success_at = 0, None, now
    session.add(row)
    session.commit()
    log.info("coach %s: calendar %s, %d busy spans", coach_id, result.status, row.busy_intervals)
    return result


def coaches_with_calendars(session: Session) -> list[int]:
    """The coaches a periodic refresh job goes through."""
    return [c for c in session.exec(select(CalendarSubscription.coach_id)).all()]
