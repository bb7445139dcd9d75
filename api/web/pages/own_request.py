"""A coachee submits a request for themselves (`api.requests.service.create_own_request`).

Included before `party`, so /my/requests/new is not read as /my/requests/{request_id}.
The brief is the coachee's own: a refused form shows it back to them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.db import get_or_404
from api.deps import ClockDep, SessionDep
from api.i18n import t
from api.models import Person
from api.models.enums import Modality, RequestType, Role
from api.requests import service as requests
from api.requests.schemas import OwnRequestCreate
from api.web import forms, lookups
from api.web.csrf import checked_form
from api.web.page_forms import RequestEditForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import SignedIn, need

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
Coachee = Annotated[SignedIn, Depends(need(Role.coachee))]
NEW = "/my/requests/new"
FIELDS = (
    "coaching_type",
    "language",
    "modality",
    "sessions",
    "session_minutes",
    "cadence_days",
    "description",
    "objectives",
)


def _manager(session: Session, viewer: SignedIn) -> Person | None:
    """The coachee's manager, their usual sponsor (when still in the org chart)."""
    assert viewer.user.person_id is not None
    person: Person = get_or_404(session, Person, viewer.user.person_id, "person")
    manager = session.get(Person, person.manager_id) if person.manager_id else None
    return manager if manager is not None and manager.active else None


def _form(request: Request, viewer: SignedIn, session: Session, **extra: Any) -> Response:
    manager = _manager(session, viewer)
    sponsors = [(manager.external_id, manager.name)] if manager else []
    return render(
        request,
        viewer,
        "my/request_form.html",
        here=NEW,
        types=list(RequestType),
        modalities=list(Modality),
        sponsors=[*sponsors, ("", t("own_request.no_sponsor", viewer.lang))],
        **extra,
    )


@router.get(NEW)
def new_request_page(request: Request, viewer: Coachee, session: SessionDep) -> Response:
    manager = _manager(session, viewer)
    defaults = {
        "sponsor_id": manager.external_id if manager else "",
        "language": viewer.lang,
        "modality": Modality.ANY.value,
        "sessions": "6",
        "session_minutes": "60",
        "cadence_days": "14",
    }
    return _form(request, viewer, session, values=defaults)


class OwnRequestForm(RequestEditForm):
    """HR's request fields (but the priority: only `FIELDS` are read) and the brief."""

    description: str = ""
    objectives: str = ""


@router.post(NEW)
def submit_own_request(
    request: Request,
    viewer: Coachee,
    form: Form,
    data: Annotated[OwnRequestForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    user = viewer.user
    values: dict[str, Any] = data.filled(*FIELDS)
    values["themes"] = data.theme_list()
    try:
        if data.sponsor_id:
            values["sponsor_id"] = lookups.person_id(
                session, data.sponsor_id, "sponsor_id", viewer.lang
            )
        row = forms.attempt(
            lambda: requests.create_own_request(
                session=session,
                data=forms.validate(OwnRequestCreate, values),
                actor=user,
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        session.rollback()
        return _form(request, viewer, session, **forms.refusal(exc, form))
    return redirect(f"/my/requests/{row.id}", flash="flash.request_submitted")
