"""The coach's own calendar, read for busy times (the `.ics` upload stays beside it)."""

from __future__ import annotations

from fastapi import APIRouter, status

from api import messages
from api.deps import ClockDep, CoachUser, SessionDep, SettingsDep
from api.errors import NotFound
from api.models import CalendarSubscription, Coach
from api.schemas import ERRORS

from . import service
from .schemas import CalendarIn, CalendarStatus, host_of

router = APIRouter(tags=["availability"], responses=ERRORS)
PATH = "/me/availability/calendar"


def _status(row: CalendarSubscription) -> CalendarStatus:
    return CalendarStatus(
        kind=row.kind,
        host=host_of(row.url),
        created_at=row.created_at,
        last_attempt_at=row.last_attempt_at,
        last_success_at=row.last_success_at,
        last_changed_at=row.last_changed_at,
        last_error=row.last_error,
        failures=row.failures,
        busy_intervals=row.busy_intervals,
    )


def _own(session: SessionDep, user: CoachUser) -> CalendarSubscription:
    assert user.coach_id is not None
    row = service.get(session, user.coach_id)
    if row is None:
        raise NotFound(messages.NOT_FOUND.format(what="calendar"))
    return row


@router.get(PATH)
def my_calendar(user: CoachUser, session: SessionDep) -> CalendarStatus:
    """Your calendar's state: when it was last read, and why not if it failed."""
    return _status(_own(session, user))


@router.put(PATH)
def set_my_calendar(
    body: CalendarIn, user: CoachUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> CalendarStatus:
    """Your work calendar's private ICS address (Outlook, Google: "secret address in
    iCal format") or a CalDAV calendar: its busy times keep the planner off your meetings.
    It is read now, then refreshed periodically."""
    coach = session.get(Coach, user.coach_id)
    assert coach is not None and coach.id is not None
    row = service.set_calendar(
        session=session,
        settings=settings,
        coach=coach,
        kind=body.kind,
        url=body.url,
        username=body.username,
        password=body.password,
        now=clock.now(),
    )
    service.refresh_calendar(session=session, settings=settings, coach_id=coach.id, now=clock.now())
    session.refresh(row)
    return _status(row)


@router.post(PATH + "/refresh")
def refresh_my_calendar(
    user: CoachUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> CalendarStatus:
    """Read your calendar again now."""
    row = _own(session, user)
    service.refresh_calendar(
        session=session, settings=settings, coach_id=row.coach_id, now=clock.now()
    )
    session.refresh(row)
    return _status(row)


@router.delete(PATH, status_code=status.HTTP_204_NO_CONTENT)
def delete_my_calendar(user: CoachUser, session: SessionDep) -> None:
    """Stop reading your calendar (its busy times no longer count)."""
    assert user.coach_id is not None
    service.delete_calendar(session=session, coach_id=user.coach_id)
