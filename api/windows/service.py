"""A person's own weekly windows and time away. Sessions are planned inside the windows
(working hours in the person's zone when there are none) and never in time away."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from api.availability.schemas import ExceptionCreate, ExceptionPublic
from api.availability.service import check_interval, check_weekly, delete_owned
from api.models import Person, PersonException, PersonWindow

from .schemas import PersonWindowCreate, PersonWindowPublic, PersonWindowsPublic


def add_window(
    *, session: Session, person_id: int, data: PersonWindowCreate, now: datetime
) -> PersonWindow:
    check_weekly(data)
    row = PersonWindow(**data.model_dump(), person_id=person_id, created_at=now)
    session.add(row)
    session.commit()
    return row


def add_exception(
    *, session: Session, person_id: int, data: ExceptionCreate, now: datetime
) -> PersonException:
    check_interval(data)
    row = PersonException(**data.model_dump(), person_id=person_id, created_at=now)
    session.add(row)
    session.commit()
    return row


def delete_own(
    *,
    session: Session,
    person_id: int,
    model: type[PersonWindow] | type[PersonException],
    row_id: int,
    what: str,
) -> None:
    """Delete a row of this person; someone else's row is "not found" (never revealed)."""
    delete_owned(
        session=session,
        model=model,
        row_id=row_id,
        owner="person_id",
        owner_id=person_id,
        what=what,
    )


def windows_of(*, session: Session, person: Person) -> PersonWindowsPublic:
    person_id = person.id
    assert person_id is not None
    weekly = session.exec(
        select(PersonWindow)
        .where(PersonWindow.person_id == person_id)
        .order_by(col(PersonWindow.weekday), col(PersonWindow.start_time))
    ).all()
    away = session.exec(
        select(PersonException)
        .where(PersonException.person_id == person_id)
        .order_by(col(PersonException.start_at))
    ).all()
    return PersonWindowsPublic(
        person_id=person_id,
        timezone=person.timezone,
        working_hours=not weekly,
        weekly=[PersonWindowPublic.model_validate(w, from_attributes=True) for w in weekly],
        exceptions=[ExceptionPublic.model_validate(x, from_attributes=True) for x in away],
    )
