"""HR's pages: dashboard, people (import, search), coaches, requests, engagements and
sessions. No page here ever reads a request's description or objectives: requests are
shown from `RequestHRView`, which has no such field."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.accounts import service as accounts
from api.accounts.schemas import InvitationCreate
from api.availability import service as availability
from api.coaches import service as coaches
from api.coaches.schemas import CoachCreate, CoachUpdate
from api.db import get_or_404
from api.deps import ClockDep, SessionDep, SettingsDep
from api.engagements import service as engagements
from api.i18n import t
from api.models import Coach
from api.models.enums import (
    COACH_MODALITIES,
    CoachKind,
    EngagementStatus,
    Modality,
    RequestStatus,
    RequestType,
    Role,
    SessionStatus,
)
from api.people import service as people
from api.reports import dashboard as report_dashboard
from api.reports import service as report_service
from api.requests import service as requests
from api.requests.schemas import RequestCreate
from api.types import RowId
from api.uploads import read_limited
from api.web import forms, lookups, pipeline
from api.web.actions import act
from api.web.csrf import checked_form
from api.web.pages.hr_requests import undo_offer
from api.web.paging import pager, with_total
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import HRPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
E = TypeVar("E", bound=StrEnum)


def choice(enum: type[E], value: str | None) -> E | None:
    """A filter's value, or None for "all" (and for anything not in the list)."""
    try:
        return enum(value) if value else None
    except ValueError:
        return None


@router.get("/hr")
def dashboard(
    request: Request,
    viewer: HRPage,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    year: Annotated[int | None, Query(ge=1970, le=9999)] = None,
) -> Response:
    def requests_in(status: RequestStatus) -> int:
        return requests.list_requests(
            session=session, status=status, coachee_id=None, sponsor_id=None, limit=1, offset=0
        )[1]

    waiting = (RequestStatus.open, RequestStatus.proposed, RequestStatus.matched)
    counts = {status.value: requests_in(status) for status in waiting}
    counts["coaches"] = coaches.list_coaches(
        session=session, kind=None, active=True, q=None, limit=1, offset=0
    )[1]
    upcoming, counts["sessions"] = engagements.list_sessions(
        session=session,
        user=None,
        engagement_id=None,
        start=clock.now(),
        end=None,
        status=SessionStatus.planned,
        limit=5,
        offset=0,
    )
    flagged, _ = engagements.list_engagements(
        session=session, status=EngagementStatus.flagged, coach_id=None, limit=100, offset=0
    )
    return render(
        request,
        viewer,
        "hr/dashboard.html",
        counts=counts,
        flagged=flagged,
        upcoming=upcoming,
        names=lookups.person_names(session, [e.coachee_id for e in flagged]),
        reports=report_dashboard.build(
            session=session,
            settings=settings,
            today=clock.now().astimezone(report_service.zone(settings)).date(),
            lang=viewer.lang,
            year=year,
        ),
    )


# People -------------------------------------------------------------------------------


def _people_page(
    request: Request, viewer: SignedIn, session: Session, q: str, page: int, **extra: Any
) -> Response:
    p = pager(page, {"q": q})
    rows, total = people.list_people(
        session=session,
        q=q or None,
        unit=None,
        site=None,
        active=None,
        limit=p.limit,
        offset=p.offset,
    )
    return render(
        request,
        viewer,
        "hr/people.html",
        people=rows,
        pager=with_total(p, total),
        q=q,
        here="/hr/people",
        **extra,
    )


@router.get("/hr/people")
def people_page(
    request: Request, viewer: HRPage, session: SessionDep, q: str = "", page: int = 1
) -> Response:
    return _people_page(request, viewer, session, q, page)


@router.post("/hr/people/import")
def import_people(
    request: Request,
    viewer: HRPage,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    file = forms.upload(form, "file")
    dry_run = forms.text(form, "dry_run") == "on"
    confirm = forms.text(form, "confirm_deactivations") == "on"
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
            "",
            1,
            status=exc.status,
            errors=exc.errors,
            lines=exc.lines,
            line_count=exc.line_count,
        )
    return _people_page(request, viewer, session, "", 1, report=report)


# Accounts ---------------------------------------------------------------------------


def _accounts_page(
    request: Request, viewer: SignedIn, session: Session, page: int, **extra: Any
) -> Response:
    p = pager(page, {})
    rows, total = accounts.list_users(session=session, role=None, limit=p.limit, offset=p.offset)
    return render(
        request,
        viewer,
        "hr/accounts.html",
        users=rows,
        pager=with_total(p, total),
        roles=list(Role),
        external=lookups.external_ids(session, [u.person_id for u in rows]),
        names=lookups.person_names(session, [u.person_id for u in rows]),
        coach_names=lookups.coach_names(session, [u.coach_id for u in rows]),
        **extra,
    )


@router.get("/hr/accounts")
def accounts_page(request: Request, viewer: HRPage, session: SessionDep, page: int = 1) -> Response:
    return _accounts_page(request, viewer, session, page)


@router.post("/hr/accounts")
def invite(
    request: Request,
    viewer: HRPage,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    values: dict[str, Any] = forms.fields(form, ("email", "role", "name", "language"))
    try:
        person = forms.text(form, "person_id")
        if person:
            values["person_id"] = lookups.person_id(session, person, "person_id", viewer.lang)
        if coach := forms.text(form, "coach_id"):
            values["coach_id"] = coach
        forms.attempt(
            lambda: accounts.invite_user(
                session=session,
                settings=settings,
                data=forms.validate(InvitationCreate, values),
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return _accounts_page(
            request,
            viewer,
            session,
            1,
            status=exc.status,
            errors=exc.errors,
            values=forms.shown(form),
        )
    return redirect("/hr/accounts", flash="flash.invited")


# Coaches ----------------------------------------------------------------------------


@router.get("/hr/coaches")
def coaches_page(
    request: Request,
    viewer: HRPage,
    session: SessionDep,
    kind: str = "",
    active: str = "",
    q: str = "",
    page: int = 1,
) -> Response:
    p = pager(page, {"kind": kind, "active": active, "q": q})
    rows, total = coaches.list_coaches(
        session=session,
        kind=choice(CoachKind, kind),
        active={"yes": True, "no": False}.get(active),
        q=q or None,
        limit=p.limit,
        offset=p.offset,
    )
    return render(
        request,
        viewer,
        "hr/coaches.html",
        coaches=rows,
        pager=with_total(p, total),
        filters={"kind": kind, "active": active, "q": q},
        kinds=list(CoachKind),
    )


def _cents(form: FormData, lang: str) -> int | None:
    raw = forms.text(form, "rate").replace(" ", "").replace("\u202f", "").replace(",", ".")
    if not raw:
        return None
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise forms.invalid("rate", "invalid.number", lang) from None
    return int((amount * 100).to_integral_value())


COMMON = ("timezone", "max_coachees", "hours_per_month")
INTERNAL = ("certified_until", "time_share")
EXTERNAL = ("name", "email", "vendor", "currency", "referenced_from", "referenced_until")


def _coach_values(form: FormData, kind: CoachKind, lang: str) -> dict[str, Any]:
    """The coach's fields from the form; empty optional fields are cleared (None)."""
    names = COMMON + (INTERNAL if kind == CoachKind.INTERNAL else EXTERNAL)
    values: dict[str, Any] = {n: forms.text(form, n) or None for n in names}
    values["languages"] = forms.listed(form, "languages")
    values["themes"] = forms.listed(form, "themes")
    values["sites"] = forms.listed(form, "sites")
    values["coaching_types"] = forms.checked(form, "coaching_types")
    values["modalities"] = forms.checked(form, "modalities")
    if values["max_coachees"] is None:
        values.pop("max_coachees")
    if values["timezone"] is None:
        values.pop("timezone")
    if kind == CoachKind.EXTERNAL:
        values["rate_per_session_cents"] = _cents(form, lang)
    return values


def _coach_form(
    request: Request, viewer: SignedIn, coach: Coach | None, kind: CoachKind, **extra: Any
) -> Response:
    return render(
        request,
        viewer,
        "hr/coach_form.html",
        coach=coach,
        kind=kind,
        types=list(RequestType),
        modalities=COACH_MODALITIES,
        **extra,
    )


def _coach_values_shown(coach: Coach, session: Session) -> dict[str, Any]:
    values: dict[str, Any] = coach.model_dump()
    for name in ("languages", "themes", "sites"):
        values[name] = ", ".join(values[name])
    for name in ("certified_until", "referenced_from", "referenced_until"):
        values[name] = values[name].isoformat() if isinstance(values[name], date) else ""
    if coach.rate_per_session_cents is not None:
        values["rate"] = f"{coach.rate_per_session_cents / 100:.2f}"
    if coach.person_id is not None:
        values["person_id"] = lookups.external_ids(session, [coach.person_id]).get(coach.person_id)
    return {k: ("" if v is None else v) for k, v in values.items()}


@router.get("/hr/coaches/new")
def new_coach_page(request: Request, viewer: HRPage, kind: str = "internal") -> Response:
    chosen = choice(CoachKind, kind) or CoachKind.INTERNAL
    defaults = {
        "timezone": "Europe/Paris",
        "languages": "fr, en",
        "max_coachees": "2",
        "coaching_types": ["coaching"],
        "modalities": ["remote"],
        "currency": "EUR",
    }
    return _coach_form(request, viewer, None, chosen, values=defaults)


ALIASES = {"rate_per_session_cents": "rate"}


@router.post("/hr/coaches/new")
def create_coach(
    request: Request, viewer: HRPage, form: Form, session: SessionDep, clock: ClockDep
) -> Response:
    kind = choice(CoachKind, forms.text(form, "kind")) or CoachKind.INTERNAL
    try:
        values = _coach_values(form, kind, viewer.lang)
        values["kind"] = kind
        if kind == CoachKind.INTERNAL:
            ext = forms.text(form, "person_id")
            if not ext:
                raise forms.invalid("person_id", "invalid.required", viewer.lang)
            values["person_id"] = lookups.person_id(session, ext, "person_id", viewer.lang)
        coach = forms.attempt(
            lambda: coaches.create_coach(
                session=session,
                data=forms.validate(
                    CoachCreate, {k: v for k, v in values.items() if v is not None}
                ),
                now=clock.now(),
            ),
            viewer.lang,
            aliases=ALIASES,
        )
    except forms.FormInvalid as exc:
        return _coach_form(
            request,
            viewer,
            None,
            kind,
            status=exc.status,
            errors=exc.errors,
            values=forms.shown(form),
        )
    return redirect(f"/hr/coaches/{coach.id}", flash="flash.coach_saved")


@router.get("/hr/coaches/{coach_id}")
def coach_page(request: Request, viewer: HRPage, session: SessionDep, coach_id: RowId) -> Response:
    coach: Coach = get_or_404(session, Coach, coach_id, "coach")
    return _coach_form(
        request,
        viewer,
        coach,
        coach.kind,
        values=_coach_values_shown(coach, session),
        availability=availability.availability_of(session=session, coach=coach, with_reasons=False),
    )


@router.post("/hr/coaches/{coach_id}")
def update_coach(
    request: Request,
    viewer: HRPage,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    coach_id: RowId,
) -> Response:
    coach: Coach = get_or_404(session, Coach, coach_id, "coach")
    try:
        values = _coach_values(form, coach.kind, viewer.lang)
        values["active"] = forms.text(form, "active") == "on"
        forms.attempt(
            lambda: coaches.update_coach(
                session=session,
                settings=settings,
                coach_id=coach_id,
                data=forms.validate(CoachUpdate, values),
                now=clock.now(),
            ),
            viewer.lang,
            aliases=ALIASES,
        )
    except forms.FormInvalid as exc:
        session.rollback()  # nothing half-written; show the coach as stored
        session.refresh(coach)
        person = _coach_values_shown(coach, session).get("person_id", "")
        return _coach_form(
            request,
            viewer,
            coach,
            coach.kind,
            status=exc.status,
            errors=exc.errors,
            values=forms.shown(form) | {"person_id": person},
            availability=availability.availability_of(
                session=session, coach=coach, with_reasons=False
            ),
        )
    return redirect(f"/hr/coaches/{coach_id}", flash="flash.coach_saved")


# Requests ---------------------------------------------------------------------------


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
    name = f"requests-{clock.now().date().isoformat()}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


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


@router.post("/hr/requests/new")
def submit_request(
    request: Request, viewer: HRPage, form: Form, session: SessionDep, clock: ClockDep
) -> Response:
    """HR writes the description once; it is never shown back, not even after a refusal."""
    user = viewer.user
    values: dict[str, Any] = forms.fields(form, REQUEST_FIELDS)
    values["themes"] = forms.listed(form, "themes")
    try:
        coachee = forms.text(form, "coachee_id")
        if not coachee:
            raise forms.invalid("coachee_id", "invalid.required", viewer.lang)
        values["coachee_id"] = lookups.person_id(session, coachee, "coachee_id", viewer.lang)
        if sponsor := forms.text(form, "sponsor_id"):
            values["sponsor_id"] = lookups.person_id(session, sponsor, "sponsor_id", viewer.lang)
        named = forms.text(form, "participant_ids").replace(",", " ").split()
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
        typed = bool(forms.text(form, "description") or forms.text(form, "objectives"))
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


# Engagements and sessions -----------------------------------------------------------


@router.get("/hr/engagements")
def engagements_page(
    request: Request, viewer: HRPage, session: SessionDep, status: str = "", page: int = 1
) -> Response:
    p = pager(page, {"status": status})
    rows, total = engagements.list_engagements(
        session=session,
        status=choice(EngagementStatus, status),
        coach_id=None,
        limit=p.limit,
        offset=p.offset,
    )
    return render(
        request,
        viewer,
        "hr/engagements.html",
        engagements=rows,
        pager=with_total(p, total),
        filters={"status": status},
        statuses=list(EngagementStatus),
        names=lookups.person_names(
            session, [e.coachee_id for e in rows] + [e.sponsor_id for e in rows]
        ),
    )


@router.post("/hr/engagements/{engagement_id}/clear-flag")
def clear_flag(
    request: Request,
    viewer: HRPage,
    form: Form,
    session: SessionDep,
    clock: ClockDep,
    engagement_id: RowId,
) -> Response:
    return act(
        request,
        viewer,
        lambda: engagements.clear_flag(
            session=session, engagement_id=engagement_id, now=clock.now()
        ),
        done="/hr/engagements?status=flagged",
        flash="flash.flag_cleared",
    )


@router.get("/hr/sessions")
def sessions_page(
    request: Request, viewer: HRPage, session: SessionDep, clock: ClockDep, page: int = 1
) -> Response:
    p = pager(page, {})
    rows, total = engagements.list_sessions(
        session=session,
        user=None,
        engagement_id=None,
        start=clock.now(),
        end=None,
        status=None,
        limit=p.limit,
        offset=p.offset,
    )
    views = {
        e.id: e
        for e in (
            engagements.get_engagement(session=session, engagement_id=i)
            for i in {r.engagement_id for r in rows}
        )
    }
    return render(
        request,
        viewer,
        "hr/sessions.html",
        sessions=rows,
        engagements=views,
        pager=with_total(p, total),
        names=lookups.person_names(session, [e.coachee_id for e in views.values()]),
    )
