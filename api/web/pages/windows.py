"""A coachee's or sponsor's availability page: their weekly windows (in their own time
zone; working hours when there are none) and their time away (`api.windows.service`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.availability.schemas import ExceptionCreate
from api.db import get_or_404
from api.deps import ClockDep, SessionDep
from api.models import Person, PersonException, PersonWindow
from api.models.enums import Role
from api.types import RowId
from api.web import forms
from api.web.confirm import ask_first_owned
from api.web.csrf import checked_form
from api.web.page_forms import ConfirmForm, IntervalForm, WeeklyForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import SignedIn, need
from api.windows import service
from api.windows.schemas import PersonWindowCreate

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
WindowsPage = Annotated[SignedIn, Depends(need(Role.coachee, Role.sponsor))]
WINDOWS = "/my/windows"
ROWS: dict[str, tuple[type[PersonWindow] | type[PersonException], str]] = {
    "weekly": (PersonWindow, "window"),
    "exceptions": (PersonException, "exception"),
}


def _person(session: Session, viewer: SignedIn) -> Person:
    assert viewer.user.person_id is not None
    person: Person = get_or_404(session, Person, viewer.user.person_id, "person")
    return person


def _page(
    request: Request, viewer: SignedIn, session: Session, *, status: int = 200, **extra: Any
) -> Response:
    person = _person(session, viewer)
    return render(
        request,
        viewer,
        "my/windows.html",
        status=status,
        here=WINDOWS,
        person=person,
        windows=service.windows_of(session=session, person=person),
        **extra,
    )


@router.get(WINDOWS)
def windows_page(request: Request, viewer: WindowsPage, session: SessionDep) -> Response:
    return _page(request, viewer, session)


def _add(
    request: Request,
    viewer: SignedIn,
    session: Session,
    form: FormData,
    section: str,
    action: Callable[[], object],
    flash: str,
) -> Response:
    try:
        forms.attempt(action, viewer.lang)
    except forms.FormInvalid as exc:
        session.rollback()
        return _page(request, viewer, session, **forms.section_refusal(section, exc, form))
    return redirect(WINDOWS, flash=flash)


@router.post(WINDOWS + "/weekly")
def add_window(
    request: Request,
    viewer: WindowsPage,
    form: Form,
    data: Annotated[WeeklyForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    person_id = _person(session, viewer).id
    assert person_id is not None
    values = data.filled()
    return _add(
        request,
        viewer,
        session,
        form,
        "weekly",
        lambda: service.add_window(
            session=session,
            person_id=person_id,
            data=forms.validate(PersonWindowCreate, values),
            now=clock.now(),
        ),
        "flash.window_added",
    )


@router.post(WINDOWS + "/exceptions")
def add_exception(
    request: Request,
    viewer: WindowsPage,
    form: Form,
    data: Annotated[IntervalForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    person = _person(session, viewer)
    assert person.id is not None
    person_id = person.id
    values = {**data.moments(person.timezone), "reason": data.reason}
    return _add(
        request,
        viewer,
        session,
        form,
        "exceptions",
        lambda: service.add_exception(
            session=session,
            person_id=person_id,
            data=forms.validate(ExceptionCreate, values),
            now=clock.now(),
        ),
        "flash.time_away_added",
    )


@router.post(WINDOWS + "/{kind}/{row_id}/delete")
def delete_row(
    viewer: WindowsPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    kind: str,
    row_id: RowId,
) -> Response:
    found = ROWS.get(kind)
    person_id = _person(session, viewer).id
    if found is None or person_id is None:
        return redirect(WINDOWS)
    model, what = found
    if not data.confirmed:
        return ask_first_owned(
            WINDOWS,
            session=session,
            model=model,
            row_id=row_id,
            owner="person_id",
            owner_id=person_id,
            what=what,
        )
    service.delete_own(session=session, person_id=person_id, model=model, row_id=row_id, what=what)
    return redirect(WINDOWS, flash="flash.deleted")
