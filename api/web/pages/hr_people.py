"""HR's people: the org chart's import and the list, with its search (name, email, org
id), filters (unit, site, language), sort, pages and CSV export (`api.web.lists`)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Request, UploadFile
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.clock import Clock
from api.deps import ClockDep, SessionDep, SettingsDep
from api.i18n import t
from api.people import service as people
from api.people.schemas import PersonPublic
from api.types import MAX_ROW_ID
from api.uploads import read_limited
from api.web import forms, lists, lookups
from api.web.csrf import checked_form
from api.web.page_forms import PageForm
from api.web.render import render
from api.web.route import page_router
from api.web.viewer import HRPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]


class Sort(StrEnum):
    name = "name"
    external_id = "external_id"
    unit = "unit"
    site = "site"


SPEC = lists.Spec(sorts=Sort, sort=Sort.name, descending=False, texts=("unit", "site", "language"))
KEYS = {
    Sort.name: lambda p: (lists.folded(p.name), p.id),
    Sort.external_id: lambda p: (p.external_id, p.id),
    Sort.unit: lambda p: (lists.folded(p.unit), lists.folded(p.name), p.id),
    Sort.site: lambda p: (lists.folded(p.site), lists.folded(p.name), p.id),
}


def _found(
    session: Session, viewer: SignedIn, query: lists.Query, now: datetime
) -> list[PersonPublic]:
    if query.errors:
        return []
    everyone, _ = people.list_people(
        session=session, q=None, unit=None, site=None, active=None, limit=MAX_ROW_ID, offset=0
    )
    kept = (
        p
        for p in everyone
        if lists.found(query.q, p.name, p.email, p.external_id)
        and all(lists.same(query, n, getattr(p, n)) for n in SPEC.texts)
    )
    return lists.sorted_rows(kept, query, KEYS)


def _people_page(
    request: Request, viewer: SignedIn, session: Session, clock: Clock, **extra: Any
) -> Response:
    query = lists.parse(request.query_params, SPEC)
    listed = lists.shown(
        query, _found(session, viewer, query, clock.now()), "/hr/people.csv", viewer.lang
    )
    listed["status"] = extra.pop("status", listed["status"])  # the import's refusal
    managers = lookups.names_by_org_id(session, [p.manager_external_id for p in listed["rows"]])
    return render(
        request,
        viewer,
        "hr/people.html",
        sorts=list(Sort),
        here="/hr/people",
        managers=managers,
        **listed,
        **extra,
    )


@router.get("/hr/people")
def people_page(request: Request, viewer: HRPage, session: SessionDep, clock: ClockDep) -> Response:
    return _people_page(request, viewer, session, clock)


EXPORT = lists.Export[PersonPublic](
    "people",
    ("col.id", "col.name", "field.email", "col.manager", "col.unit", "col.site",
     "col.language", "col.status"),
    lambda p, viewer: [
        p.external_id, p.name, p.email, p.manager_external_id or "", p.unit, p.site,
        p.language,
        t("people.active", viewer.lang) if p.active else t("people.inactive", viewer.lang),
    ],
)  # fmt: skip
lists.csv_route(router, "/hr/people.csv", SPEC, EXPORT, _found, people_page)


class ImportForm(PageForm):
    """The org chart's CSV (none when no file was chosen) and the import's two boxes."""

    file: UploadFile | None = None
    dry_run: str = ""  # "on": check the file, change nothing
    confirm_deactivations: str = ""  # "on": deactivate more than the set share


@router.post("/hr/people/import")
def import_people(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[ImportForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    file = data.file
    dry_run = data.dry_run == "on"
    confirm = data.confirm_deactivations == "on"
    try:
        if file is None:
            raise forms.invalid("file", "invalid.file_required", viewer.lang)
        content = forms.attempt(
            lambda: read_limited(file, limit=settings.org_csv_max_bytes, what="the CSV file"),
            viewer.lang,
        )
        report = forms.attempt(
            lambda: people.import_org_chart(
                session=session,
                content=content,
                now=clock.now(),
                dry_run=dry_run,
                confirm_deactivations=confirm,
                settings=settings,
            ),
            viewer.lang,
            aliases={"confirm_deactivations": forms.FORM},  # shown above the form
        )
    except forms.FormInvalid as exc:
        return _people_page(
            request,
            viewer,
            session,
            clock,
            status=exc.status,
            errors=exc.errors,
            lines=exc.lines,
            line_count=exc.line_count,
        )
    return _people_page(request, viewer, session, clock, report=report)
