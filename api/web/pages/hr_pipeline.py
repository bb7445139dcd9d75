"""HR's request pipeline (`api.web.pipeline`): the list by state with its search,
filters, sort, pages and CSV export, and the new request form (with its duplicate
warning). Nothing here shows a request's description or objectives."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import ClockDep, SessionDep
from api.i18n import t
from api.models.enums import Modality, RequestType
from api.requests import service as requests
from api.requests.schemas import RequestCreate
from api.web import forms, lists, lookups, pipeline
from api.web.csrf import checked_form
from api.web.page_forms import RequestEditForm
from api.web.pages.hr_requests import undo_offer
from api.web.paging import pager, with_total
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import HRPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]


def _pipeline(
    request: Request, session: Session, now: datetime
) -> tuple[pipeline.Query, list[pipeline.Row], dict[pipeline.State, int]]:
    query = pipeline.parse(request.query_params)
    if query.errors:
        return query, [], {s: 0 for s in pipeline.State}
    found, counts = pipeline.selected(pipeline.rows(session, now), query)
    return query, found, counts


@router.get("/hr/requests")
def requests_page(
    request: Request,
    viewer: HRPage,
    session: SessionDep,
    clock: ClockDep,
    undo: int = 0,
    at: str = "",
) -> Response:
    """The pipeline: a tab per state with its count, search, filters, sort and pages, all
    in the query string (a view can be bookmarked); a wrong parameter is said inline (422)."""
    now = clock.now()
    query, found, counts = _pipeline(request, session, now)
    p = with_total(pager(query.page, query.kept()), len(found))
    shown = found[p.offset : p.offset + p.limit]
    ids = [r.view.sponsor_id for r in shown]
    tabs = [
        (state, counts[state], "?" + urlencode({**query.kept(state=False), "state": state.value}))
        for state in pipeline.State
    ]
    return render(
        request,
        viewer,
        "hr/requests.html",
        status=422 if query.errors else 200,
        rows=shown,
        pager=p,
        query=query,
        filters=query.values,
        errors={k: t(v, viewer.lang) for k, v in query.errors.items()},
        tabs=tabs,
        all_link="?" + urlencode({k: v for k, v in query.kept(state=False).items() if v}),
        total=sum(counts.values()),
        types=list(RequestType),
        kinds=list(pipeline.Kind),
        sorts=list(pipeline.Sort),
        waiting_days=pipeline.WAITING_DAYS,
        csv_link="/hr/requests.csv?" + urlencode({k: v for k, v in query.kept().items() if v}),
        names=lookups.person_names(session, ids),
        cancellable=requests.CANCELLABLE,
        undo=undo_offer(session, viewer, undo, at, now) if undo else None,
    )


CSV_COLUMNS = (
    "col.request",
    "col.coachee",
    "pipeline.col.external_id",
    "pipeline.col.email",
    "col.unit",
    "col.site",
    "field.coaching_type",
    "pipeline.col.state",
    "pipeline.col.coach_kind",
    "field.priority",
    "col.submitted",
    "pipeline.col.days",
    "pipeline.col.duplicates",
)


@router.get("/hr/requests.csv")
def requests_csv(
    request: Request, viewer: HRPage, session: SessionDep, clock: ClockDep
) -> Response:
    """The filtered list (same parameters as the page, every page) as CSV; never a
    request's description or objectives."""
    query, found, _ = _pipeline(request, session, clock.now())
    if query.errors:
        return requests_page(request, viewer, session, clock)
    lang = viewer.lang
    labels = {
        **{f"type.{k}": t(f"type.{k}", lang) for k in RequestType},
        **{f"state.{s}": t(f"pipeline.state.{s}", lang) for s in pipeline.State},
        **{f"kind.{k}": t(f"pipeline.kind.{k}", lang) for k in pipeline.Kind},
    }
    body = pipeline.as_csv(found, [t(c, lang) for c in CSV_COLUMNS], labels)
    return lists.csv_response(body, "requests", clock.now().date())


def _request_form(
    request: Request, viewer: SignedIn, session: Session, now: datetime, **extra: Any
) -> Response:
    """The form; when the coachee named has requests under way, a warning names them
    (HR may still submit: a second request can be on purpose)."""
    coachee = str(extra.get("values", {}).get("coachee_id", "")).strip()
    person = lookups.person_by_external_id(session, coachee) if coachee else None
    others = (
        pipeline.active_requests_of(session, now, person.id)
        if person is not None and person.id is not None
        else []
    )
    return render(
        request,
        viewer,
        "hr/request_form.html",
        types=list(RequestType),
        modalities=list(Modality),
        duplicates=others,
        duplicate_name=person.name if person is not None else "",
        **extra,
    )


@router.get("/hr/requests/new")
def new_request_page(
    request: Request, viewer: HRPage, session: SessionDep, clock: ClockDep, coachee_id: str = ""
) -> Response:
    defaults = {
        "language": viewer.lang,
        "modality": Modality.ANY.value,
        "sessions": "6",
        "session_minutes": "60",
        "cadence_days": "14",
        "priority": "3",
        "coachee_id": coachee_id[:100],
    }
    return _request_form(request, viewer, session, clock.now(), values=defaults)


REQUEST_FIELDS = (
    "coaching_type",
    "language",
    "modality",
    "sessions",
    "session_minutes",
    "cadence_days",
    "priority",
    "description",
    "objectives",
)


class RequestForm(RequestEditForm):
    """A new request (`RequestCreate` validates it): the edit's fields, the coachee and
    the participants (picked by name, email or org id) and the brief."""

    coachee_id: str = ""
    participant_ids: str = ""  # separated by commas or spaces
    description: str = ""
    objectives: str = ""


@router.post("/hr/requests/new")
def submit_request(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[RequestForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    """HR writes the description once; it is never shown back, not even after a refusal."""
    user = viewer.user
    values: dict[str, Any] = data.filled(*REQUEST_FIELDS)
    values["themes"] = data.theme_list()
    try:
        if not data.coachee_id:
            raise forms.invalid("coachee_id", "invalid.required", viewer.lang)
        values["coachee_id"] = lookups.person_id(
            session, data.coachee_id, "coachee_id", viewer.lang
        )
        if data.sponsor_id:
            values["sponsor_id"] = lookups.person_id(
                session, data.sponsor_id, "sponsor_id", viewer.lang
            )
        named = data.participant_ids.replace(",", " ").split()
        values["participant_ids"] = [
            lookups.person_id(session, one, "participant_ids", viewer.lang) for one in named
        ]
        forms.attempt(
            lambda: requests.create_request(
                session=session,
                data=forms.validate(RequestCreate, values),
                actor=user,
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        typed = bool(data.description or data.objectives)
        return _request_form(
            request,
            viewer,
            session,
            clock.now(),
            status=exc.status,
            errors=exc.errors,
            values=forms.shown(form, "description", "objectives"),
            brief_dropped=typed,
        )
    if len(pipeline.active_requests_of(session, clock.now(), values["coachee_id"])) > 1:
        return redirect("/hr/requests", flash="flash.request_submitted_duplicate")
    return redirect("/hr/requests", flash="flash.request_submitted")
