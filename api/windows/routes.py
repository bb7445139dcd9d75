"""A coachee or sponsor publishes when they can meet: weekly windows and time away."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.availability.schemas import ExceptionCreate, ExceptionPublic
from api.db import get_or_404
from api.deps import ClockDep, CoacheeOrSponsorUser, SessionDep
from api.models import Person, PersonException, PersonWindow, User
from api.schemas import ERRORS
from api.types import RowId

from . import service
from .schemas import PersonWindowCreate, PersonWindowPublic, PersonWindowsPublic

router = APIRouter(tags=["windows"], responses=ERRORS)


def _person_id(user: User) -> int:
    assert user.person_id is not None  # a coachee or sponsor account has a person
    return user.person_id


@router.get("/me/windows")
def my_windows(user: CoacheeOrSponsorUser, session: SessionDep) -> PersonWindowsPublic:
    """Your weekly windows (in your time zone) and time away. Without any weekly window,
    sessions are planned Monday to Friday, 09:00-18:00 in your time zone."""
    person = get_or_404(session, Person, _person_id(user), "person")
    return service.windows_of(session=session, person=person)


@router.post("/me/windows/weekly", status_code=status.HTTP_201_CREATED)
def add_window(
    body: PersonWindowCreate, user: CoacheeOrSponsorUser, session: SessionDep, clock: ClockDep
) -> PersonWindowPublic:
    """A recurring window, e.g. Tuesdays 14:00-17:00 in your time zone."""
    row = service.add_window(
        session=session, person_id=_person_id(user), data=body, now=clock.now()
    )
    return PersonWindowPublic.model_validate(row, from_attributes=True)


@router.delete("/me/windows/weekly/{window_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_window(window_id: RowId, user: CoacheeOrSponsorUser, session: SessionDep) -> None:
    service.delete_own(
        session=session,
        person_id=_person_id(user),
        model=PersonWindow,
        row_id=window_id,
        what="window",
    )


@router.post("/me/windows/exceptions", status_code=status.HTTP_201_CREATED)
def add_exception(
    body: ExceptionCreate, user: CoacheeOrSponsorUser, session: SessionDep, clock: ClockDep
) -> ExceptionPublic:
    """A period away (leave, training...): no session is planned in it."""
    row = service.add_exception(
        session=session, person_id=_person_id(user), data=body, now=clock.now()
    )
    return ExceptionPublic.model_validate(row, from_attributes=True)


@router.delete("/me/windows/exceptions/{exception_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_exception(exception_id: RowId, user: CoacheeOrSponsorUser, session: SessionDep) -> None:
    service.delete_own(
        session=session,
        person_id=_person_id(user),
        model=PersonException,
        row_id=exception_id,
        what="exception",
    )
