"""HR edits an open request (`api.requests.service.update_request`) and cancels one after
a confirmation with a reason, which can be undone for a while. The pages are built from
`RequestHRView`, which has no description or objectives: HR never sees the brief."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.db import get_or_404
from api.deps import ClockDep, SessionDep
from api.i18n import t, t_or
from api.i18n.dates import format_time, zone
from api.models import CoachingRequest
from api.models.enums import Modality, RequestStatus, RequestType
from api.requests import service as requests
from api.requests.schemas import RequestHRView, RequestUpdate
from api.types import RowId
from api.web import forms, lookups
from api.web.actions import refused
from api.web.csrf import checked_form
from api.web.page_forms import ConfirmForm, RequestEditForm, UndoForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.undo import stamp
from api.web.viewer import HRPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
FIELDS = (
    "coaching_type",
    "language",
    "modality",
    "sessions",
    "session_minutes",
    "cadence_days",
    "priority",
)


def _view(session: Session, request_id: RowId) -> RequestHRView:
    row: CoachingRequest = get_or_404(session, CoachingRequest, request_id, "request")
    return RequestHRView.model_validate(row, from_attributes=True)


def _shown(session: Session, view: RequestHRView) -> dict[str, Any]:
    """The form's values from the HR view (no confidential field exists there)."""
    values: dict[str, Any] = {n: str(getattr(view, n)) for n in FIELDS}
    values["themes"] = ", ".join(view.themes)
    ids = lookups.external_ids(session, [view.sponsor_id])
    values["sponsor_id"] = ids.get(view.sponsor_id, "") if view.sponsor_id else ""
    return values


def _page(
    request: Request, viewer: SignedIn, session: Session, view: RequestHRView, **extra: Any
) -> Response:
    extra.setdefault("values", _shown(session, view))
    row = session.get(CoachingRequest, view.id)  # the reason is not in the HR view
    reason = row.cancel_reason if row and row.status == RequestStatus.cancelled else None
    return render(
        request,
        viewer,
        "hr/request_edit.html",
        here=f"/hr/requests/{view.id}",
        item=view,
        editable=view.status in requests.EDITABLE,
        names=lookups.person_names(session, [view.coachee_id, view.sponsor_id]),
        external=lookups.external_ids(session, [view.coachee_id]),
        types=list(RequestType),
        modalities=list(Modality),
        cancel_reason=reason,
        **extra,
    )


@router.get("/hr/requests/{request_id}")
def request_page(
    request: Request, viewer: HRPage, session: SessionDep, request_id: RowId
) -> Response:
    return _page(request, viewer, session, _view(session, request_id))


@router.post("/hr/requests/{request_id}")
def update_request(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[RequestEditForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
    request_id: RowId,
) -> Response:
    view = _view(session, request_id)
    values: dict[str, Any] = data.filled(*FIELDS)
    values["themes"] = data.theme_list()
    try:
        sponsor = data.sponsor_id
        values["sponsor_id"] = (
            lookups.person_id(session, sponsor, "sponsor_id", viewer.lang) if sponsor else None
        )
        forms.attempt(
            lambda: requests.update_request(
                session=session,
                request_id=request_id,
                data=forms.validate(RequestUpdate, values),
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        session.rollback()
        view = _view(session, request_id)
        return _page(request, viewer, session, view, **forms.refusal(exc, form))
    return redirect(f"/hr/requests/{view.id}", flash="flash.request_saved")


# Cancelling: the row's button leads here; nothing changes before the confirmation ------

REASON_MAX = 500


def _coachee(session: Session, row: CoachingRequest) -> str:
    return lookups.person_names(session, [row.coachee_id]).get(row.coachee_id, "—")


def _confirm_cancel(
    request: Request, viewer: SignedIn, session: Session, row: CoachingRequest, **extra: Any
) -> Response:
    lang = viewer.lang
    name = _coachee(session, row)
    kind = t_or(f"type.{row.coaching_type}", lang, row.coaching_type)
    effects = [t("safe.request.effect_status", lang, name=name)]
    if row.status == RequestStatus.proposed:
        effects.append(t("safe.request.effect_proposals", lang))
        effects.append(t("safe.request.no_undo", lang))
    else:
        effects.append(t("safe.request.effect_undo", lang, minutes=_minutes()))
    confirm = {
        "title": t("safe.request.title", lang, name=name),
        "question": t("safe.request.question", lang, name=name, kind=kind, sessions=row.sessions),
        "effects": effects,
        "action": f"/hr/requests/{row.id}/cancel",
        "hidden": {},
        "reason": "required",
        "submit": t("safe.request.submit", lang),
        "back": "/hr/requests",
    }
    return render(
        request,
        viewer,
        "confirm.html",
        here=f"/hr/requests/{row.id}/cancel",
        confirm=confirm,
        **extra,
    )


def _minutes() -> int:
    return int(requests.UNDO_WINDOW.total_seconds() // 60)


@router.get("/hr/requests/{request_id}/cancel")
def cancel_request_page(
    request: Request, viewer: HRPage, session: SessionDep, request_id: RowId
) -> Response:
    row: CoachingRequest = get_or_404(session, CoachingRequest, request_id, "request")
    if row.status not in requests.CANCELLABLE:
        return redirect(f"/hr/requests/{row.id}")
    return _confirm_cancel(request, viewer, session, row)


@router.post("/hr/requests/{request_id}/cancel")
def cancel_request(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
    request_id: RowId,
) -> Response:
    """Only with the confirmation page's `confirm` and a reason; anything else (the old
    row button, a forged post) leads to the confirmation page and changes nothing."""
    row: CoachingRequest = get_or_404(session, CoachingRequest, request_id, "request")
    if not data.confirmed:
        return redirect(f"/hr/requests/{row.id}/cancel")
    reason = data.reason
    try:
        if not reason:
            raise forms.invalid("reason", "safe.reason_required", viewer.lang)
        if len(reason) > REASON_MAX:
            raise forms.invalid("reason", "invalid.too_long", viewer.lang, max=REASON_MAX)
        now = clock.now()
        forms.attempt(
            lambda: requests.cancel_request(session=session, request=row, now=now, reason=reason),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        session.rollback()
        shown = exc
        if "reason" not in exc.errors:  # the request moved on: said above the form
            message = " ".join(exc.errors.values())
            shown = forms.FormInvalid({forms.FORM: message}, status=exc.status)
        return _confirm_cancel(request, viewer, session, row, **forms.refusal(shown, form))
    query = urlencode({"undo": row.id, "at": now.isoformat()})
    return redirect(f"/hr/requests?{query}", flash="flash.request_cancelled")


def undo_offer(
    session: Session, viewer: SignedIn, request_id: int, at: str, now: datetime
) -> dict[str, Any] | None:
    """The list's "Undo" next to the flash, while the cancel made `at` can be undone."""
    cancelled_at = stamp(at)
    if cancelled_at is None:
        return None
    row = session.get(CoachingRequest, request_id)
    if row is None or not requests.restorable(row, cancelled_at=cancelled_at, now=now):
        return None
    until = (cancelled_at + requests.UNDO_WINDOW).astimezone(zone(viewer.zone))
    return {
        "action": f"/hr/requests/{row.id}/restore",
        "at": at,
        "text": t(
            "safe.request.undo_offer",
            viewer.lang,
            name=_coachee(session, row),
            time=format_time(until.time(), viewer.lang),
        ),
    }


@router.post("/hr/requests/{request_id}/restore")
def restore_request(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[UndoForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
    request_id: RowId,
) -> Response:
    row: CoachingRequest = get_or_404(session, CoachingRequest, request_id, "request")
    try:
        at = stamp(data.at)
        if at is None:
            raise forms.invalid("status", "error.REQUEST_NOT_RESTORABLE", viewer.lang)
        forms.attempt(
            lambda: requests.restore_request(
                session=session, request=row, cancelled_at=at, now=clock.now()
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        session.rollback()
        return refused(request, exc)
    return redirect("/hr/requests", flash="flash.request_restored")
