"""A coach's pages: availability (weekly windows in their zone, time away, extra windows,
a busy calendar upload) and their engagements with the sessions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, UploadFile
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as ReceivedFile

from api.availability import service
from api.availability.schemas import ExceptionCreate, IntervalCreate, WeeklyWindowCreate
from api.db import get_or_404
from api.deps import ClockDep, SessionDep, SettingsDep
from api.models import AvailabilityException, Coach, ExtraWindow, WeeklyWindow
from api.types import RowId
from api.uploads import read_limited
from api.web import forms
from api.web.actions import act
from api.web.confirm import ask_first, ask_first_owned
from api.web.csrf import checked_form
from api.web.page_forms import ConfirmForm, IntervalForm, PageForm, WeeklyForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import CoachPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
AVAILABILITY = "/coach/availability"


def _coach(session: Session, viewer: SignedIn) -> Coach:
    assert viewer.user.coach_id is not None
    coach: Coach = get_or_404(session, Coach, viewer.user.coach_id, "coach")
    return coach


def _id(coach: Coach) -> int:
    assert coach.id is not None  # a stored coach
    return coach.id


def _page(
    request: Request, viewer: SignedIn, session: Session, *, status: int = 200, **extra: Any
) -> Response:
    coach = _coach(session, viewer)
    return render(
        request,
        viewer,
        "coach/availability.html",
        status=status,
        here=AVAILABILITY,
        coach=coach,
        availability=service.availability_of(session=session, coach=coach),
        **extra,
    )


@router.get(AVAILABILITY)
def availability_page(request: Request, viewer: CoachPage, session: SessionDep) -> Response:
    return _page(request, viewer, session)


class CoachWeeklyForm(WeeklyForm):
    timezone: str = ""  # the coach's own when empty


@router.post(AVAILABILITY + "/weekly")
def add_weekly(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[CoachWeeklyForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    coach = _coach(session, viewer)
    values = data.filled()
    values.setdefault("timezone", coach.timezone)
    try:
        forms.attempt(
            lambda: service.add_weekly(
                session=session,
                coach_id=_id(coach),
                data=forms.validate(WeeklyWindowCreate, values),
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return _page(request, viewer, session, **forms.section_refusal("weekly", exc, form))
    return redirect(AVAILABILITY, flash="flash.window_added")


@router.post(AVAILABILITY + "/exceptions")
def add_exception(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[IntervalForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    coach = _coach(session, viewer)
    values = {**data.moments(coach.timezone), "reason": data.reason}
    try:
        forms.attempt(
            lambda: service.add_exception(
                session=session,
                coach_id=_id(coach),
                data=forms.validate(ExceptionCreate, values),
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return _page(request, viewer, session, **forms.section_refusal("exceptions", exc, form))
    return redirect(AVAILABILITY, flash="flash.time_away_added")


@router.post(AVAILABILITY + "/extra")
def add_extra(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[IntervalForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    coach = _coach(session, viewer)
    values = data.moments(coach.timezone)
    try:
        forms.attempt(
            lambda: service.add_extra(
                session=session,
                coach_id=_id(coach),
                data=forms.validate(IntervalCreate, values),
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return _page(request, viewer, session, **forms.section_refusal("extra", exc, form))
    return redirect(AVAILABILITY, flash="flash.window_added")


OwnRow = type[WeeklyWindow] | type[AvailabilityException] | type[ExtraWindow]
ROWS: dict[str, tuple[OwnRow, str]] = {
    "weekly": (WeeklyWindow, "window"),
    "exceptions": (AvailabilityException, "exception"),
    "extra": (ExtraWindow, "window"),
}


@router.post(AVAILABILITY + "/{kind}/{row_id}/delete")
def delete_row(
    viewer: CoachPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    kind: str,
    row_id: RowId,
) -> Response:
    found = ROWS.get(kind)
    coach = _coach(session, viewer)
    if found is None or coach.id is None:
        return redirect(AVAILABILITY)
    model, what = found
    if not data.confirmed:
        return ask_first_owned(
            AVAILABILITY,
            session=session,
            model=model,
            row_id=row_id,
            owner="coach_id",
            owner_id=coach.id,
            what=what,
        )
    service.delete_own(session=session, coach_id=coach.id, model=model, row_id=row_id, what=what)
    return redirect(AVAILABILITY, flash="flash.deleted")


class CalendarForm(PageForm):
    file: UploadFile | str = ""  # a text value (or no file chosen) is no file

    def upload(self) -> ReceivedFile | None:
        file = self.file
        return file if isinstance(file, ReceivedFile) and file.filename else None


@router.post(AVAILABILITY + "/ics")
def upload_calendar(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[CalendarForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    coach = _coach(session, viewer)
    file = data.upload()
    try:
        if file is None:
            raise forms.invalid("file", "invalid.file_required", viewer.lang)
        content = forms.attempt(
            lambda: read_limited(file, limit=settings.ics_max_bytes, what="the calendar file"),
            viewer.lang,
        )
        forms.attempt(
            lambda: service.upload_calendar(
                session=session,
                settings=settings,
                coach=coach,
                filename=file.filename or "calendar.ics",
                content=content,
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return _page(request, viewer, session, **forms.section_refusal("ics", exc, form))
    return redirect(AVAILABILITY, flash="flash.calendar_uploaded")


@router.post(AVAILABILITY + "/ics/delete")
def delete_calendar(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
) -> Response:
    coach = _coach(session, viewer)
    assert coach.id is not None
    coach_id = coach.id
    if not data.confirmed:
        return ask_first(AVAILABILITY)
    return act(
        request,
        viewer,
        lambda: service.delete_calendar(session=session, coach_id=coach_id),
        done=AVAILABILITY,
        flash="flash.calendar_deleted",
    )
