"""Changing a session from the sessions page: the coach moves or cancels one, the coachee
cancels with notice, the coach records whether it was held (`api.sessions.service`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from api.deps import ClockDep, SessionDep, SettingsDep
from api.i18n.dates import zone
from api.models.enums import SessionStatus
from api.sessions import service
from api.types import RowId
from api.web import forms
from api.web.actions import act, refused
from api.web.csrf import checked_form
from api.web.render import redirect
from api.web.route import page_router
from api.web.viewer import CoachPage, SessionPage

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
SESSIONS = "/my/sessions"


@router.post(SESSIONS + "/{session_id}/reschedule")
def reschedule(
    request: Request,
    viewer: CoachPage,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    session_id: RowId,
) -> Response:
    """A new start typed in the coach's zone, or none: the planner's nearest good time."""
    user = viewer.user
    assert user is not None
    raw = forms.text(form, "start_at")
    try:
        start = None
        if raw:
            try:
                start = datetime.fromisoformat(raw).replace(tzinfo=zone(viewer.zone))
            except ValueError:
                raise forms.invalid("start_at", "invalid.datetime", viewer.lang) from None
        forms.attempt(
            lambda: service.reschedule_session(
                session=session,
                settings=settings,
                session_id=session_id,
                actor=user,
                start_at=start,
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return refused(request, exc)
    return redirect(SESSIONS, flash="flash.session_moved")


@router.post(SESSIONS + "/{session_id}/cancel")
def cancel(
    request: Request,
    viewer: SessionPage,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    session_id: RowId,
) -> Response:
    user = viewer.user
    assert user is not None
    return act(
        request,
        viewer,
        lambda: service.cancel_session(
            session=session, settings=settings, session_id=session_id, actor=user, now=clock.now()
        ),
        done=SESSIONS,
        flash="flash.session_cancelled",
    )


@router.post(SESSIONS + "/{session_id}/outcome")
def outcome(
    request: Request,
    viewer: CoachPage,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    session_id: RowId,
) -> Response:
    user = viewer.user
    assert user is not None
    status = forms.text(form, "status")
    try:
        if status not in (SessionStatus.held.value, SessionStatus.no_show.value):
            raise forms.invalid("status", "invalid.choice", viewer.lang)
        forms.attempt(
            lambda: service.record_outcome(
                session=session,
                settings=settings,
                session_id=session_id,
                actor=user,
                status=SessionStatus(status),
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return refused(request, exc)
    return redirect(SESSIONS + "?past=1", flash="flash.outcome_saved")
