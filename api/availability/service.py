"""Availability rows of one coach. Busy times come from the coach's .ics file, parsed
with `scheduling.busy_ics.parse_busy_ics` over the configured horizon."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from api import messages
from api.errors import InvalidInput, NotFound, PayloadTooLarge
from api.models import (
    AvailabilityException,
    BusyCalendar,
    BusyInterval,
    Coach,
    ExtraWindow,
    WeeklyWindow,
)
from api.models.availability import WeeklyTimes
from api.settings import Settings
from scheduling.busy_ics import parse_busy_ics
from scheduling.errors import (
    IcsTooComplexError,
    IcsTooLargeError,
    IcsTooManyOccurrencesError,
    InvalidIcsError,
)

from .schemas import (
    AvailabilityPublic,
    BusyCalendarInfo,
    ExceptionCreate,
    ExceptionPublic,
    IntervalCreate,
    IntervalPublic,
    WeeklyWindowCreate,
    WeeklyWindowPublic,
)
from .schemas import BusyInterval as BusyOut

log = logging.getLogger(__name__)


def check_interval(data: IntervalCreate) -> None:
    """A period ends after it starts."""
    if data.end_at <= data.start_at:
        raise InvalidInput(messages.END_BEFORE_START, field="end_at")


def check_weekly(data: WeeklyTimes) -> None:
    """A weekly window ends after it starts, on the same day."""
    if data.end_time <= data.start_time:
        raise InvalidInput(messages.WINDOW_END, field="end_time")


def add_weekly(
    *, session: Session, coach_id: int, data: WeeklyWindowCreate, now: datetime
) -> WeeklyWindow:
    check_weekly(data)
    row = WeeklyWindow(**data.model_dump(), coach_id=coach_id, created_at=now)
    session.add(row)
    session.commit()
    return row


def add_exception(
    *, session: Session, coach_id: int, data: ExceptionCreate, now: datetime
) -> AvailabilityException:
    check_interval(data)
    row = AvailabilityException(**data.model_dump(), coach_id=coach_id, created_at=now)
    session.add(row)
    session.commit()
    return row


def add_extra(
    *, session: Session, coach_id: int, data: IntervalCreate, now: datetime
) -> ExtraWindow:
    check_interval(data)
    row = ExtraWindow(**data.model_dump(), coach_id=coach_id, created_at=now)
    session.add(row)
    session.commit()
    return row


def delete_own(
    *,
    session: Session,
    coach_id: int,
    model: type[WeeklyWindow] | type[AvailabilityException] | type[ExtraWindow],
    row_id: int,
    what: str,
) -> None:
    """Delete a row of this coach; another coach's row is "not found" (never revealed)."""
    delete_owned(
        session=session, model=model, row_id=row_id, owner="coach_id", owner_id=coach_id, what=what
    )


def delete_owned(
    *, session: Session, model: type[Any], row_id: int, owner: str, owner_id: int, what: str
) -> None:
    """Delete a row whose ``owner`` column is ``owner_id``; anyone else's row is "not
    found" (its existence is never revealed)."""
    row = session.get(model, row_id)
    if row is None or getattr(row, owner) != owner_id:
        raise NotFound(messages.NOT_FOUND.format(what=what))
    session.delete(row)
    session.commit()


def upload_calendar(
    *,
    session: Session,
    settings: Settings,
    coach: Coach,
    filename: str,
    content: bytes,
    now: datetime,
) -> BusyCalendar:
    """Replace the coach's busy calendar: keep the raw file and its busy intervals from now
    to the horizon, overlapping ones merged. A file that does not parse, or has more events
    in the horizon than `ics_max_occurrences`, is refused and nothing changes."""
    assert coach.id is not None
    try:
        busy = parse_busy_ics(
            content,
            start=now,
            end=now + timedelta(days=settings.busy_horizon_days),
            max_bytes=settings.ics_max_bytes,
            max_occurrences=settings.ics_max_occurrences,
            zone=coach.timezone,
        )
    except IcsTooLargeError as exc:
        raise PayloadTooLarge(
            messages.ICS_TOO_LARGE.format(limit=settings.ics_max_bytes), field="file"
        ) from exc
    except IcsTooManyOccurrencesError as exc:
        message = messages.ICS_TOO_MANY_EVENTS.format(
            limit=exc.limit, days=settings.busy_horizon_days, event=exc.event
        )
        raise InvalidInput(message, field="file") from exc
    except IcsTooComplexError as exc:
        raise InvalidInput(messages.ICS_TOO_COMPLEX.format(event=exc.event), field="file") from exc
    except InvalidIcsError as exc:
        raise InvalidInput(exc.message, field="file") from exc
    session.execute(delete(BusyCalendar).where(col(BusyCalendar.coach_id) == coach.id))
    session.flush()
    calendar = BusyCalendar(
        coach_id=coach.id,
        filename=filename[:255] or "calendar.ics",
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_at=now,
        parsed_at=now,
    )
    session.add(calendar)
    session.flush()
    assert calendar.id is not None
    for interval in busy:
        session.add(
            BusyInterval(
                coach_id=coach.id,
                calendar_id=calendar.id,
                start_at=interval.start,
                end_at=interval.end,
            )
        )
    session.commit()
    log.info("coach %s uploaded a calendar: %d busy intervals", coach.id, len(busy))
    return calendar


def delete_calendar(*, session: Session, coach_id: int) -> None:
    calendar = session.exec(select(BusyCalendar).where(BusyCalendar.coach_id == coach_id)).first()
    if calendar is None:
        raise NotFound(messages.NOT_FOUND.format(what="calendar"))
    session.execute(delete(BusyInterval).where(col(BusyInterval.calendar_id) == calendar.id))
    session.delete(calendar)
    session.commit()


def availability_of(
    *, session: Session, coach: Coach, with_reasons: bool = True
) -> AvailabilityPublic:
    """The coach's availability; without `with_reasons` (HR's view), time away says when,
    never why: a reason is the coach's own (a medical appointment, a family matter)."""
    coach_id = coach.id
    assert coach_id is not None
    weekly = session.exec(
        select(WeeklyWindow)
        .where(WeeklyWindow.coach_id == coach_id)
        .order_by(col(WeeklyWindow.weekday), col(WeeklyWindow.start_time))
    ).all()
    exceptions = session.exec(
        select(AvailabilityException)
        .where(AvailabilityException.coach_id == coach_id)
        .order_by(col(AvailabilityException.start_at))
    ).all()
    extra = session.exec(
        select(ExtraWindow)
        .where(ExtraWindow.coach_id == coach_id)
        .order_by(col(ExtraWindow.start_at))
    ).all()
    calendar = session.exec(select(BusyCalendar).where(BusyCalendar.coach_id == coach_id)).first()
    busy = session.exec(
        select(BusyInterval)
        .where(BusyInterval.coach_id == coach_id)
        .order_by(col(BusyInterval.start_at))
    ).all()
    return AvailabilityPublic(
        coach_id=coach_id,
        timezone=coach.timezone,
        weekly=[WeeklyWindowPublic.model_validate(w, from_attributes=True) for w in weekly],
        exceptions=[
            ExceptionPublic.model_validate(e, from_attributes=True).model_copy(
                update={} if with_reasons else {"reason": ""}
            )
            for e in exceptions
        ],
        extra=[IntervalPublic.model_validate(e, from_attributes=True) for e in extra],
        calendar=(
            BusyCalendarInfo(
                filename=calendar.filename,
                size=calendar.size,
                sha256=calendar.sha256,
                uploaded_at=calendar.uploaded_at,
                parsed_at=calendar.parsed_at,
                busy_intervals=len(busy),
            )
            if calendar
            else None
        ),
        busy=[BusyOut(start_at=b.start_at, end_at=b.end_at) for b in busy],
    )
