"""Data rights pages: a person's own data and who read it (/my/data), HR's view of a
person's data and the erasure (/hr/people/{id}/data). The same export as the API's
(`api.privacy.export`), each table under a title and a line saying why it is kept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from starlette.datastructures import FormData

from api.audit.service import reads_of
from api.db import get_or_404
from api.deps import ClockDep, SessionDep, SettingsDep
from api.models import Person
from api.privacy.erase import erase_person
from api.privacy.export import CONFIDENTIAL, OWN, SECRET, export_person
from api.types import RowId
from api.web import forms
from api.web.csrf import checked_form
from api.web.page_forms import ConfirmForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import HRPage, PartyPage

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
REASONS = {SECRET: "secret", CONFIDENTIAL: "confidential", OWN: "own"}


def _shown(content: dict[str, Any]) -> dict[str, Any]:
    """The export split for the page: tables holding rows, tables holding none."""
    tables = content["tables"]
    return {
        "held": {name: rows for name, rows in tables.items() if rows},
        "empty": [name for name, rows in tables.items() if not rows],
        "withheld": {k: REASONS.get(v, "secret") for k, v in content["withheld"].items()},
        "not_linked": list(content["not_linked"]),
    }


@router.get("/my/data")
def my_data_page(
    request: Request, viewer: PartyPage, session: SessionDep, clock: ClockDep
) -> Response:
    user = viewer.user
    reads = reads_of(session=session, user=user, limit=100, offset=0)
    content = (
        export_person(session=session, person_id=user.person_id, reader=user, now=clock.now())
        if user.person_id is not None
        else {"tables": {}, "withheld": {}, "not_linked": {}}
    )
    return render(request, viewer, "my/data.html", reads=reads, export=_shown(content))


@router.get("/hr/people/{person_id}/data")
def person_data_page(
    request: Request, viewer: HRPage, session: SessionDep, clock: ClockDep, person_id: RowId
) -> Response:
    person = get_or_404(session, Person, person_id, "person")
    content = export_person(
        session=session, person_id=person_id, reader=viewer.user, now=clock.now()
    )
    return render(request, viewer, "hr/person_data.html", person=person, export=_shown(content))


@router.post("/hr/people/{person_id}/erase")
def erase_page(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    person_id: RowId,
) -> Response:
    """Only with its ticked confirmation; a refusal (not ticked, or the erasure refused)
    comes back in the form, next to the box, not on an error page."""
    user = viewer.user
    person = get_or_404(session, Person, person_id, "person")
    try:
        if not data.confirmed:
            raise forms.invalid("confirm", "invalid.confirm", viewer.lang)
        forms.attempt(
            lambda: erase_person(
                session=session, settings=settings, person_id=person_id, actor=user,
                now=clock.now(),
            ),
            viewer.lang,
        )  # fmt: skip
    except forms.FormInvalid as exc:
        session.rollback()
        content = export_person(session=session, person_id=person_id, reader=user, now=clock.now())
        return render(
            request,
            viewer,
            "hr/person_data.html",
            status=exc.status,
            person=person,
            export=_shown(content),
            errors=exc.errors,
        )
    return redirect(f"/hr/people/{person_id}/data", flash="flash.person_erased")
