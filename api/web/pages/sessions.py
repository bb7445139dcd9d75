"""Changing a session from the sessions page: the coach moves or cancels one, the coachee
cancels with notice, the coach records whether it was held (`api.sessions.service`).

Nothing changes from the list itself: "Move" opens the move form, "Cancel" a
confirmation, and a refused move comes back in its form with the reason next to the
field and the next times the session could move to."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import ClockDep, SessionDep, SettingsDep
from api.i18n import t
from api.i18n.dates import format_date, format_datetime, format_span, local, zone
from api.models import CoachingRequest, CoachingSession, Engagement
from api.models.enums import SessionStatus
from api.sessions import service
from api.settings import Settings
from api.types import RowId
from api.web import forms, lookups
from api.web.actions import act, refused
from api.web.csrf import checked_form
from api.web.page_forms import ConfirmForm, PageForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import CoachPage, SessionPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
SESSIONS = "/my/sessions"
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what a datetime-local field sends and shows


def _with(session: Session, row: CoachingSession, viewer: SignedIn) -> str:
    """Whom the session is with, as the reader knows them (never an id)."""
    engagement = session.get(Engagement, row.engagement_id)
    request = session.get(CoachingRequest, engagement.request_id) if engagement else None
    if request is None:
        return "—"
    return lookups.person_names(session, [request.coachee_id]).get(request.coachee_id, "—")


_ISO_TIME = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC")
_ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def readable(message: str, viewer: SignedIn) -> str:
    """A service refusal with its times and days in the reader's words and zone (the
    service writes them as ISO, in UTC)."""

    def moment(match: re.Match[str]) -> str:
        value = datetime.fromisoformat(f"{match[1]}T{match[2]}").replace(tzinfo=UTC)
        return format_datetime(value, viewer.lang, viewer.zone)

    def day(match: re.Match[str]) -> str:
        return format_date(datetime.fromisoformat(match[1]).date(), viewer.lang)

    return _ISO_DAY.sub(day, _ISO_TIME.sub(moment, message))


def _move_page(
    request: Request,
    viewer: SignedIn,
    session: Session,
    settings: Settings,
    row: CoachingSession,
    now: datetime,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    wanted: datetime | None = None,
    typed: str = "",
) -> Response:
    """The move form; after a refusal, the next free times from the one asked for (from
    now when none follows it)."""
    user = viewer.user
    proposals: list[datetime] = []
    if errors:
        for after in (wanted, now) if wanted is not None else (now,):
            proposals = service.next_free_starts(
                session=session,
                settings=settings,
                session_id=row.id or 0,
                actor=user,
                after=after,
                now=now,
            )
            if proposals:
                break
    return render(
        request,
        viewer,
        "my/session_move.html",
        status=status,
        here=f"{SESSIONS}/{row.id}/move",
        item=row,
        with_name=_with(session, row, viewer),
        when=format_span(row.start_at, row.end_at, viewer.lang, viewer.zone),
        errors={k: readable(v, viewer) for k, v in (errors or {}).items()},
        values={"start_at": typed},
        proposals=[
            (
                local(p, viewer.zone).strftime(LOCAL_INPUT),
                format_datetime(p, viewer.lang, viewer.zone),
            )
            for p in proposals
        ],
    )


def _mine(session: Session, viewer: SignedIn, session_id: int) -> CoachingSession:
    user = viewer.user
    row: CoachingSession = forms.attempt(
        lambda: service.session_for(session=session, session_id=session_id, actor=user),
        viewer.lang,
    )
    return row


def _changeable(
    request: Request, session: Session, viewer: SignedIn, session_id: int, now: datetime
) -> CoachingSession | Response:
    """The session to move or cancel; else the refusal (not theirs: 404), or back to the
    list when it can no longer change (done, cancelled, started)."""
    try:
        row = _mine(session, viewer, session_id)
    except forms.FormInvalid as exc:
        return refused(request, exc)
    if row.status != SessionStatus.planned or row.start_at <= now:
        return redirect(SESSIONS)
    return row


@router.get(SESSIONS + "/{session_id}/move")
def move_page(
    request: Request,
    viewer: CoachPage,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    session_id: RowId,
) -> Response:
    row = _changeable(request, session, viewer, session_id, clock.now())
    if isinstance(row, Response):
        return row
    return _move_page(request, viewer, session, settings, row, clock.now())


class MoveForm(PageForm):
    start_at: str = ""  # a `datetime-local` value in the coach's zone


@router.post(SESSIONS + "/{session_id}/reschedule")
def reschedule(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[MoveForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    session_id: RowId,
) -> Response:
    """A new start typed in the coach's zone (or one of the proposed ones). An empty
    field moves nothing: the form comes back asking for a time."""
    user = viewer.user
    raw = data.start_at
    now = clock.now()
    try:
        row = _mine(session, viewer, session_id)
    except forms.FormInvalid as exc:
        return refused(request, exc)
    start: datetime | None = None
    try:
        if not raw:
            raise forms.invalid("start_at", "safe.move.choose_time", viewer.lang)
        try:
            start = datetime.fromisoformat(raw).replace(tzinfo=zone(viewer.zone))
        except ValueError:
            raise forms.invalid("start_at", "invalid.datetime", viewer.lang) from None
        moment = start
        forms.attempt(
            lambda: service.reschedule_session(
                session=session,
                settings=settings,
                session_id=session_id,
                actor=user,
                start_at=moment,
                now=now,
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        session.rollback()
        row = _mine(session, viewer, session_id)
        if "start_at" not in exc.errors and exc.status not in (409, 422):
            return refused(request, exc)
        errors = (
            exc.errors if "start_at" in exc.errors else {"start_at": " ".join(exc.errors.values())}
        )
        return _move_page(
            request,
            viewer,
            session,
            settings,
            row,
            now,
            status=exc.status,
            errors=errors,
            wanted=start,
            typed=raw,
        )
    return redirect(SESSIONS, flash="flash.session_moved")


@router.get(SESSIONS + "/{session_id}/cancel")
def cancel_page(
    request: Request, viewer: SessionPage, session: SessionDep, clock: ClockDep, session_id: RowId
) -> Response:
    row = _changeable(request, session, viewer, session_id, clock.now())
    if isinstance(row, Response):
        return row
    lang = viewer.lang
    when = format_span(row.start_at, row.end_at, lang, viewer.zone)
    user = viewer.user
    if user.role.value == "coach":
        other = _with(session, row, viewer)
    else:
        engagement = session.get(Engagement, row.engagement_id)
        other = (
            lookups.coach_names(session, [engagement.coach_id]).get(engagement.coach_id, "—")
            if engagement
            else "—"
        )
    confirm: dict[str, Any] = {
        "title": t("safe.session.title", lang),
        "question": t("safe.session.question", lang, number=row.number, name=other, when=when),
        "effects": [t("safe.session.effect_invites", lang), t("safe.session.no_undo", lang)],
        "action": f"{SESSIONS}/{row.id}/cancel",
        "hidden": {},
        "reason": None,
        "submit": t("safe.session.submit", lang),
        "back": SESSIONS,
    }
    return render(request, viewer, "confirm.html", confirm=confirm)


@router.post(SESSIONS + "/{session_id}/cancel")
def cancel(
    request: Request,
    viewer: SessionPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    session_id: RowId,
) -> Response:
    """Only with the confirmation page's `confirm`: the old one-click button (or a forged
    post) leads to the confirmation and changes nothing."""
    user = viewer.user
    if not data.confirmed:
        try:
            _mine(session, viewer, session_id)  # someone else's session: 404, as before
        except forms.FormInvalid as exc:
            return refused(request, exc)
        return redirect(f"{SESSIONS}/{session_id}/cancel")
    return act(
        request,
        viewer,
        lambda: service.cancel_session(
            session=session, settings=settings, session_id=session_id, actor=user, now=clock.now()
        ),
        done=SESSIONS,
        flash="flash.session_cancelled",
    )


class OutcomeForm(PageForm):
    status: str = ""  # held or no_show


@router.post(SESSIONS + "/{session_id}/outcome")
def outcome(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[OutcomeForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    session_id: RowId,
) -> Response:
    user = viewer.user
    status = data.status
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
