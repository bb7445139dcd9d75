"""The coach's professional record (`api.records.service`): the coach reads it and logs
supervision (with an alert when short of the year's minimum so far); HR keeps it —
certifications, accreditation, peer group — and moves an external coach's referencing
(proposed -> under review -> referenced until a date -> lapsed)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.db import get_or_404
from api.deps import ClockDep, SessionDep, SettingsDep
from api.models import Coach
from api.records import service
from api.records.schemas import (
    CertificationIn,
    RecordIn,
    ReferencingAction,
    ReferencingIn,
    SupervisionIn,
)
from api.settings import Settings
from api.types import RowId
from api.web import forms
from api.web.csrf import checked_form
from api.web.page_forms import ConfirmForm, PageForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import CoachPage, HRPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
MINE = "/coach/record"


def record_page(
    request: Request,
    viewer: SignedIn,
    session: Session,
    settings: Settings,
    coach_id: int,
    now: datetime,
    *,
    hr: bool,
    status: int = 200,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
) -> Response:
    coach = get_or_404(session, Coach, coach_id, "coach")
    record = service.get_record(session=session, settings=settings, coach_id=coach_id, now=now)
    return render(
        request,
        viewer,
        "coach/record.html",
        status=status,
        here=f"/hr/coaches/{coach_id}/record" if hr else MINE,
        coach=coach,
        record=record,
        hr=hr,
        referencing_actions=list(ReferencingAction),
        errors=errors or {},
        values=values or {},
    )


def _refused(
    request: Request,
    viewer: SignedIn,
    session: Session,
    settings: Settings,
    coach_id: int,
    now: datetime,
    section: str,
    exc: forms.FormInvalid,
    form: FormData,
    *,
    hr: bool,
) -> Response:
    session.rollback()
    return record_page(
        request, viewer, session, settings, coach_id, now, hr=hr, status=exc.status,
        errors={section: exc.errors}, values={section: forms.shown(form)},
    )  # fmt: skip


@router.get(MINE)
def my_record(
    request: Request, viewer: CoachPage, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> Response:
    assert viewer.user.coach_id is not None
    return record_page(
        request, viewer, session, settings, viewer.user.coach_id, clock.now(), hr=False
    )


class SupervisionForm(PageForm):
    day: str = ""
    hours: str = ""


@router.post(MINE + "/supervision")
def log_supervision(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[SupervisionForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    assert viewer.user.coach_id is not None
    coach_id, now = viewer.user.coach_id, clock.now()
    try:
        forms.attempt(
            lambda: service.log_supervision(
                session=session, settings=settings, coach_id=coach_id, now=now,
                data=forms.validate(SupervisionIn, data.filled()),
            ),
            viewer.lang,
        )  # fmt: skip
    except forms.FormInvalid as exc:
        return _refused(
            request, viewer, session, settings, coach_id, now, "supervision", exc, form, hr=False
        )
    return redirect(MINE, flash="flash.supervision_logged")


@router.get("/hr/coaches/{coach_id}/record")
def hr_record(
    request: Request,
    viewer: HRPage,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    coach_id: RowId,
) -> Response:
    return record_page(request, viewer, session, settings, coach_id, clock.now(), hr=True)


def _hr_change(
    request: Request,
    viewer: SignedIn,
    session: Session,
    settings: Settings,
    form: FormData,
    coach_id: int,
    now: datetime,
    section: str,
    call: Any,
    flash: str,
) -> Response:
    try:
        forms.attempt(call, viewer.lang)
    except forms.FormInvalid as exc:
        return _refused(
            request, viewer, session, settings, coach_id, now, section, exc, form, hr=True
        )
    return redirect(f"/hr/coaches/{coach_id}/record", flash=flash)


class RecordForm(PageForm):
    accreditation: str = ""
    peer_group: str = ""


@router.post("/hr/coaches/{coach_id}/record")
def update_record(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[RecordForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    coach_id: RowId,
) -> Response:
    now = clock.now()
    return _hr_change(
        request, viewer, session, settings, form, coach_id, now, "record",
        lambda: service.update_record(
            session=session, settings=settings, coach_id=coach_id, now=now,
            data=forms.validate(RecordIn, data.filled()),
        ),
        "flash.record_saved",
    )  # fmt: skip


class CertificationForm(PageForm):
    body: str = ""
    level: str = ""
    obtained: str = ""
    valid_until: str = ""


@router.post("/hr/coaches/{coach_id}/certifications")
def add_certification(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[CertificationForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    coach_id: RowId,
) -> Response:
    now = clock.now()
    return _hr_change(
        request, viewer, session, settings, form, coach_id, now, "certification",
        lambda: service.add_certification(
            session=session, settings=settings, coach_id=coach_id, now=now,
            data=forms.validate(CertificationIn, data.filled()),
        ),
        "flash.certification_added",
    )  # fmt: skip


@router.post("/hr/coaches/{coach_id}/certifications/{certification_id}/delete")
def delete_certification(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    coach_id: RowId,
    certification_id: RowId,
) -> Response:
    now = clock.now()

    def call() -> None:
        if not data.confirmed:  # the reader ticked "I confirm"
            raise forms.invalid("confirm", "invalid.confirm", viewer.lang)
        service.delete_certification(
            session=session, coach_id=coach_id, certification_id=certification_id, now=now
        )

    return _hr_change(
        request, viewer, session, settings, form, coach_id, now, "certifications", call,
        "flash.deleted",
    )  # fmt: skip


class ReferencingForm(PageForm):
    action: str = ""
    until: str = ""


@router.post("/hr/coaches/{coach_id}/referencing")
def move_referencing(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[ReferencingForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    coach_id: RowId,
) -> Response:
    now = clock.now()
    return _hr_change(
        request, viewer, session, settings, form, coach_id, now, "referencing",
        lambda: service.move_referencing(
            session=session, settings=settings, coach_id=coach_id, now=now,
            data=forms.validate(ReferencingIn, data.filled()),
        ),
        "flash.referencing_moved",
    )  # fmt: skip
