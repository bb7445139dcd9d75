"""A coach publishes their own availability; HR reads any coach's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile, status

from api.db import get_or_404
from api.deps import ClockDep, CoachUser, HRUser, SessionDep, SettingsDep
from api.models import AvailabilityException, Coach, ExtraWindow, User, WeeklyWindow
from api.schemas import ERRORS
from api.types import RowId
from api.uploads import read_limited

from . import service
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

router = APIRouter(tags=["availability"], responses=ERRORS)


def _coach(session: SessionDep, user: User) -> Coach:
    assert user.coach_id is not None  # a coach account is always linked to a coach
    coach: Coach = get_or_404(session, Coach, user.coach_id, "coach")
    return coach


@router.get("/me/availability")
def my_availability(user: CoachUser, session: SessionDep) -> AvailabilityPublic:
    """Weekly windows, exceptions, extra windows and busy times from your calendar."""
    return service.availability_of(session=session, coach=_coach(session, user))


@router.post("/me/availability/weekly", status_code=status.HTTP_201_CREATED)
def add_weekly(
    body: WeeklyWindowCreate, user: CoachUser, session: SessionDep, clock: ClockDep
) -> WeeklyWindowPublic:
    """A recurring window, e.g. Mondays 09:00-12:00 Europe/Paris (times in that zone)."""
    assert user.coach_id is not None
    row = service.add_weekly(session=session, coach_id=user.coach_id, data=body, now=clock.now())
    return WeeklyWindowPublic.model_validate(row, from_attributes=True)


@router.delete("/me/availability/weekly/{window_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_weekly(window_id: RowId, user: CoachUser, session: SessionDep) -> None:
    assert user.coach_id is not None
    service.delete_own(
        session=session, coach_id=user.coach_id, model=WeeklyWindow, row_id=window_id, what="window"
    )


@router.post("/me/availability/exceptions", status_code=status.HTTP_201_CREATED)
def add_exception(
    body: ExceptionCreate, user: CoachUser, session: SessionDep, clock: ClockDep
) -> ExceptionPublic:
    """A period away (holiday, training...): no session is planned in it."""
    assert user.coach_id is not None
    row = service.add_exception(session=session, coach_id=user.coach_id, data=body, now=clock.now())
    return ExceptionPublic.model_validate(row, from_attributes=True)


@router.delete("/me/availability/exceptions/{exception_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_exception(exception_id: RowId, user: CoachUser, session: SessionDep) -> None:
    assert user.coach_id is not None
    service.delete_own(
        session=session,
        coach_id=user.coach_id,
        model=AvailabilityException,
        row_id=exception_id,
        what="exception",
    )


@router.post("/me/availability/extra", status_code=status.HTTP_201_CREATED)
def add_extra(
    body: IntervalCreate, user: CoachUser, session: SessionDep, clock: ClockDep
) -> IntervalPublic:
    """A one-off window outside the weekly ones."""
    assert user.coach_id is not None
    row = service.add_extra(session=session, coach_id=user.coach_id, data=body, now=clock.now())
    return IntervalPublic.model_validate(row, from_attributes=True)


@router.delete("/me/availability/extra/{window_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_extra(window_id: RowId, user: CoachUser, session: SessionDep) -> None:
    assert user.coach_id is not None
    service.delete_own(
        session=session, coach_id=user.coach_id, model=ExtraWindow, row_id=window_id, what="window"
    )


@router.put(
    "/me/availability/ics",
    responses={413: {"description": "over COACHMATCH_ICS_MAX_BYTES"}},
)
def upload_calendar(
    user: CoachUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    file: Annotated[UploadFile, File(description="an iCalendar (.ics) export of your busy times")],
) -> BusyCalendarInfo:
    """Upload your calendar; its busy times replace those of the previous upload."""
    coach = _coach(session, user)
    content = read_limited(file, limit=settings.ics_max_bytes, what="the calendar file")
    calendar = service.upload_calendar(
        session=session,
        settings=settings,
        coach=coach,
        filename=file.filename or "calendar.ics",
        content=content,
        now=clock.now(),
    )
    info = service.availability_of(session=session, coach=coach).calendar
    assert info is not None and info.sha256 == calendar.sha256
    return info


@router.delete("/me/availability/ics", status_code=status.HTTP_204_NO_CONTENT)
def delete_calendar(user: CoachUser, session: SessionDep) -> None:
    assert user.coach_id is not None
    service.delete_calendar(session=session, coach_id=user.coach_id)


@router.get("/coaches/{coach_id}/availability")
def coach_availability(coach_id: RowId, user: HRUser, session: SessionDep) -> AvailabilityPublic:
    """Any coach's availability (HR): time away without its reason, the coach's own."""
    return service.availability_of(
        session=session, coach=get_or_404(session, Coach, coach_id, "coach"), with_reasons=False
    )
