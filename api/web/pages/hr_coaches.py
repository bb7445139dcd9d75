"""HR's coaches: the list, with its search (name, email, vendor), filters (kind,
language, active or away), sort, pages and CSV export (`api.web.lists`), and the forms
that create and edit a coach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from pydantic import Field
from sqlmodel import Session
from starlette.datastructures import FormData

from api.availability import service as availability
from api.coaches import service as coaches
from api.coaches.schemas import CoachCreate, CoachUpdate
from api.db import get_or_404
from api.deps import ClockDep, SessionDep, SettingsDep
from api.i18n import t
from api.i18n.numbers import parse_number
from api.models import Coach
from api.models.enums import COACH_MODALITIES, CoachKind, RequestType
from api.types import MAX_ROW_ID, RowId
from api.web import forms, lists, lookups
from api.web.csrf import checked_form
from api.web.page_forms import PageForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import HRPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]


class Sort(StrEnum):
    name = "name"
    kind = "kind"
    max_coachees = "max_coachees"
    valid_until = "valid_until"


class Presence(StrEnum):
    yes = "yes"  # active
    no = "no"  # away: not proposed to anyone


SPEC = lists.Spec(
    sorts=Sort,
    sort=Sort.name,
    descending=False,
    choices={"kind": CoachKind, "active": Presence},
    texts=("language",),
)


@dataclass(frozen=True)
class Row:
    coach: Coach
    name: str

    @property
    def valid_until(self) -> date | None:
        return self.coach.certified_until or self.coach.referenced_until


KEYS = {
    Sort.name: lambda r: (lists.folded(r.name), r.coach.id),
    Sort.kind: lambda r: (r.coach.kind, lists.folded(r.name), r.coach.id),
    Sort.max_coachees: lambda r: (r.coach.max_coachees, r.coach.id),
    Sort.valid_until: lambda r: (r.valid_until or date.max, r.coach.id),
}


def _matches(row: Row, query: lists.Query) -> bool:
    c, chosen = row.coach, query.chosen
    language = chosen.get("language")
    return (
        lists.found(query.q, row.name, c.email or "", c.vendor or "")
        and chosen.get("kind") in (None, c.kind)
        and chosen.get("active") in (None, Presence.yes if c.active else Presence.no)
        and (language is None or language in (lists.folded(x) for x in c.languages))
    )


def _found(session: Session, viewer: SignedIn, query: lists.Query, now: datetime) -> list[Row]:
    if query.errors:
        return []
    every, _ = coaches.list_coaches(
        session=session, kind=None, active=None, q=None, limit=MAX_ROW_ID, offset=0
    )
    names = lookups.coach_names(session, [c.id for c in every])
    rows = (Row(c, names.get(c.id or 0, c.name or f"#{c.id}")) for c in every)
    return lists.sorted_rows((r for r in rows if _matches(r, query)), query, KEYS)


@router.get("/hr/coaches")
def coaches_page(
    request: Request, viewer: HRPage, session: SessionDep, clock: ClockDep
) -> Response:
    query = lists.parse(request.query_params, SPEC)
    listed = lists.shown(
        query, _found(session, viewer, query, clock.now()), "/hr/coaches.csv", viewer.lang
    )
    return render(
        request, viewer, "hr/coaches.html", kinds=list(CoachKind), sorts=list(Sort), **listed
    )


def _cells(row: Row, viewer: SignedIn) -> list[object]:
    c, until, lang = row.coach, row.valid_until, viewer.lang
    return [
        row.name, t(f"kind.{c.kind}", lang), c.vendor or "", ", ".join(c.languages),
        ", ".join(c.themes), ", ".join(t(f"modality.{m}", lang) for m in c.modalities),
        c.max_coachees, until.isoformat() if until else "",
        t("coaches.active", lang) if c.active else t("coaches.inactive", lang),
    ]  # fmt: skip


EXPORT = lists.Export[Row](
    "coaches",
    ("col.name", "field.kind", "field.vendor", "field.languages", "field.themes",
     "field.modalities", "field.max_coachees", "col.valid_until", "col.status"),
    _cells,
)  # fmt: skip
lists.csv_route(router, "/hr/coaches.csv", SPEC, EXPORT, _found, coaches_page)


class CoachForm(PageForm):
    """A coach's form (`CoachCreate` or `CoachUpdate` validates it): an internal coach's
    fields or an external one's, as its `kind` says, and the offer both have."""

    kind: str = ""
    person_id: str = ""  # internal, new: the employee picked by name, email or org id
    certified_until: str = ""
    time_share: str = ""
    name: str = ""
    email: str = ""
    vendor: str = ""
    rate: str = ""  # per session, in the currency's units ("120,50" in French)
    currency: str = ""
    referenced_from: str = ""
    referenced_until: str = ""
    languages: str = ""  # comma-separated
    themes: str = ""  # comma-separated
    sites: str = ""  # comma-separated
    timezone: str = ""
    max_coachees: str = ""
    hours_per_month: str = ""
    coaching_types: list[str] = Field(default_factory=list)  # checkboxes
    modalities: list[str] = Field(default_factory=list)  # checkboxes
    active: str = ""  # "on" when ticked (an existing coach)

    def listed(self, name: str) -> list[str]:
        """A comma-separated field as a list ("fr, en" -> ["fr", "en"])."""
        return [part.strip() for part in str(getattr(self, name)).split(",") if part.strip()]

    def checked(self, name: str) -> list[str]:
        """The values of a group of checkboxes."""
        return [v for v in getattr(self, name) if v]


def _cents(raw: str, lang: str) -> int | None:
    if not raw:
        return None
    try:
        amount = parse_number(raw, lang)
    except ValueError:
        raise forms.invalid("rate", "invalid.number", lang) from None
    return int((amount * 100).to_integral_value())


def _decimal(raw: str | None, lang: str) -> str | None:
    """A number as the reader typed it ("0,1" in French) as the model reads it ("0.1");
    left as typed when it is not one, for the model to refuse by its field."""
    if raw is None:
        return None
    try:
        return str(parse_number(raw, lang))
    except ValueError:
        return raw


COMMON = ("timezone", "max_coachees", "hours_per_month")
DECIMALS = ("time_share", "hours_per_month")  # typed with the reader's decimal sign
INTERNAL = ("certified_until", "time_share")
EXTERNAL = ("name", "email", "vendor", "currency", "referenced_from", "referenced_until")


def _coach_values(data: CoachForm, kind: CoachKind, lang: str) -> dict[str, Any]:
    """The coach's fields from the form; empty optional fields are cleared (None)."""
    names = COMMON + (INTERNAL if kind == CoachKind.INTERNAL else EXTERNAL)
    values: dict[str, Any] = {n: getattr(data, n) or None for n in names}
    for name in ("languages", "themes", "sites"):
        values[name] = data.listed(name)
    for name in ("coaching_types", "modalities"):
        values[name] = data.checked(name)
    for name in DECIMALS:
        if name in values:
            values[name] = _decimal(values[name], lang)
    if values["max_coachees"] is None:
        values.pop("max_coachees")
    if values["timezone"] is None:
        values.pop("timezone")
    if kind == CoachKind.EXTERNAL:
        values["rate_per_session_cents"] = _cents(data.rate, lang)
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
    chosen = lists.choice(CoachKind, kind) or CoachKind.INTERNAL
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
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[CoachForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    kind = lists.choice(CoachKind, data.kind) or CoachKind.INTERNAL
    try:
        values = _coach_values(data, kind, viewer.lang)
        values["kind"] = kind
        if kind == CoachKind.INTERNAL:
            ext = data.person_id
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
    data: Annotated[CoachForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    coach_id: RowId,
) -> Response:
    coach: Coach = get_or_404(session, Coach, coach_id, "coach")
    try:
        values = _coach_values(data, coach.kind, viewer.lang)
        values["active"] = data.active == "on"
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
