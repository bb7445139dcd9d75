"""HR edits an open request (`api.requests.service.update_request`). The page is built
from `RequestHRView`, which has no description or objectives: HR never sees the brief."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.db import get_or_404
from api.deps import ClockDep, SessionDep
from api.models import CoachingRequest
from api.models.enums import Modality, RequestType
from api.requests import service as requests
from api.requests.schemas import RequestHRView, RequestUpdate
from api.types import RowId
from api.web import forms, lookups
from api.web.csrf import checked_form
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import HRPage, Viewer

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
    request: Request, viewer: Viewer, session: Session, view: RequestHRView, **extra: Any
) -> Response:
    extra.setdefault("values", _shown(session, view))
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
    session: SessionDep,
    clock: ClockDep,
    request_id: RowId,
) -> Response:
    view = _view(session, request_id)
    values: dict[str, Any] = forms.fields(form, FIELDS)
    values["themes"] = forms.listed(form, "themes")
    try:
        sponsor = forms.text(form, "sponsor_id")
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
