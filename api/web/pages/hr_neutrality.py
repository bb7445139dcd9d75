"""HR's neutrality inputs for the matcher (`api.neutrality.service`): declared conflicts of
interest (a coach and a person) and pair adjustments (a bonus or a ban for a coach on a
request), on one page. Deleting either is confirmed first and can be undone for ten minutes
(`api.web.undo`: the page offering it holds the deleted row, signed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.coaches import service as coaches
from api.db import get_or_404
from api.deps import ClockDep, SessionDep
from api.i18n import t
from api.i18n.dates import format_time, zone
from api.models import Conflict, PairAdjustment
from api.models.enums import AdjustmentKind
from api.neutrality import service
from api.neutrality.schemas import ConflictCreate, PairAdjustmentCreate
from api.types import RowId
from api.web import forms, lookups, undo
from api.web.confirm import ask_first
from api.web.csrf import checked_form
from api.web.page_forms import AdjustmentForm, ConfirmForm, ConflictForm, UndoForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import HRPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
NEUTRALITY = "/hr/neutrality"
LIMIT = 500


def _page(
    request: Request, viewer: SignedIn, session: Session, *, status: int = 200, **extra: Any
) -> Response:
    conflicts, conflict_total = service.list_conflicts(
        session=session, coach_id=None, person_id=None, limit=LIMIT, offset=0
    )
    adjustments, adjustment_total = service.list_adjustments(
        session=session, coach_id=None, request_id=None, limit=LIMIT, offset=0
    )
    active, _ = coaches.list_coaches(
        session=session, kind=None, active=True, q=None, limit=LIMIT, offset=0
    )
    coachees = lookups.request_coachees(session, [a.request_id for a in adjustments])
    people = [c.person_id for c in conflicts] + list(coachees.values())
    return render(
        request,
        viewer,
        "hr/neutrality.html",
        status=status,
        here=NEUTRALITY,
        conflicts=conflicts,
        conflict_total=conflict_total,
        adjustments=adjustments,
        adjustment_total=adjustment_total,
        coach_options=[(str(c.id), c.name or f"#{c.id}") for c in active],
        coach_names=lookups.coach_names(
            session, [c.coach_id for c in conflicts] + [a.coach_id for a in adjustments]
        ),
        names=lookups.person_names(session, people),
        external=lookups.external_ids(session, people),
        coachees=coachees,
        kinds=list(AdjustmentKind),
        **{"undo": None, "undo_error": None, **extra},
    )


@router.get(NEUTRALITY)
def neutrality_page(
    request: Request, viewer: HRPage, session: SessionDep, clock: ClockDep, undo: str = ""
) -> Response:
    return _page(request, viewer, session, undo=_undo_offer(request, viewer, undo, clock.now()))


def _refused(
    request: Request,
    viewer: SignedIn,
    session: Session,
    section: str,
    form: FormData,
    exc: forms.FormInvalid,
) -> Response:
    session.rollback()
    return _page(request, viewer, session, **forms.section_refusal(section, exc, form))


@router.post(NEUTRALITY + "/conflicts")
def add_conflict(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[ConflictForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    values: dict[str, Any] = data.filled("coach_id", "reason")
    try:
        if not data.person_id:
            raise forms.invalid("person_id", "invalid.required", viewer.lang)
        values["person_id"] = lookups.person_id(session, data.person_id, "person_id", viewer.lang)
        forms.attempt(
            lambda: service.create_conflict(
                session=session, data=forms.validate(ConflictCreate, values), now=clock.now()
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return _refused(request, viewer, session, "conflicts", form, exc)
    return redirect(NEUTRALITY, flash="flash.conflict_added")


@router.post(NEUTRALITY + "/adjustments")
def add_adjustment(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[AdjustmentForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    try:
        forms.attempt(
            lambda: service.create_adjustment(
                session=session,
                data=forms.validate(PairAdjustmentCreate, data.filled()),
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return _refused(request, viewer, session, "adjustments", form, exc)
    return redirect(NEUTRALITY, flash="flash.adjustment_added")


# Deleting: the row's button opens its confirmation; the page then offers "Undo" ---------


def _delete(
    request: Request,
    data: ConfirmForm,
    row: Conflict | PairAdjustment,
    kind: str,
    delete: Callable[[], None],
    now: datetime,
) -> Response:
    """Only with its confirmation (anything else deletes nothing and says so); then back
    to the page with the flash and, signed, what "Undo" would bring back."""
    if not data.confirmed:
        return ask_first(NEUTRALITY)
    schema = ConflictCreate if kind == "conflict" else PairAdjustmentCreate
    kept = row.model_dump(mode="json", include={*schema.model_fields, "created_at"})
    delete()
    token = undo.sign(request, kind, kept, now)
    query = f"?{urlencode({'undo': token})}" if token else ""
    return redirect(NEUTRALITY + query, flash="flash.deleted")


@router.post(NEUTRALITY + "/conflicts/{conflict_id}/delete")
def delete_conflict(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
    conflict_id: RowId,
) -> Response:
    row: Conflict = get_or_404(session, Conflict, conflict_id, "conflict")
    return _delete(
        request,
        data,
        row,
        "conflict",
        lambda: service.delete_conflict(session=session, conflict_id=conflict_id),
        clock.now(),
    )


@router.post(NEUTRALITY + "/adjustments/{adjustment_id}/delete")
def delete_adjustment(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
    adjustment_id: RowId,
) -> Response:
    row: PairAdjustment = get_or_404(session, PairAdjustment, adjustment_id, "pair adjustment")
    return _delete(
        request,
        data,
        row,
        "adjustment",
        lambda: service.delete_adjustment(session=session, adjustment_id=adjustment_id),
        clock.now(),
    )


KINDS = ("conflict", "adjustment")


def _opened(
    request: Request, token: str, now: datetime
) -> tuple[str, dict[str, Any], datetime] | None:
    for kind in KINDS:
        found = undo.opened(request, token, kind, now)
        if found is not None:
            return kind, *found
    return None


def _undo_offer(
    request: Request, viewer: SignedIn, token: str, now: datetime
) -> dict[str, str] | None:
    """The "Undo" next to the flash while the delete the token holds is recent enough."""
    found = _opened(request, token, now) if token else None
    if found is None:
        return None
    kind, _, at = found
    until = (at + undo.WINDOW).astimezone(zone(viewer.zone))
    text = t(
        f"safe.neutrality.undo_{kind}", viewer.lang, time=format_time(until.time(), viewer.lang)
    )
    return {"token": token, "text": text}


@router.post(NEUTRALITY + "/restore")
def restore_deleted(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[UndoForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    """Bring a deleted conflict or adjustment back as it was (its date too), while the
    undo lasts; too late, or the same rule made again since: refused on the page."""
    try:
        found = _opened(request, data.token, clock.now())
        if found is None:
            raise forms.FormInvalid({"undo": t("error.UNDO_EXPIRED", viewer.lang)}, status=409)
        kind, values, _ = found
        created = datetime.fromisoformat(str(values.pop("created_at")))
        if kind == "conflict":
            conflict = ConflictCreate.model_validate(values)
            forms.attempt(
                lambda: service.create_conflict(session=session, data=conflict, now=created),
                viewer.lang,
            )
        else:
            adjustment = PairAdjustmentCreate.model_validate(values)
            forms.attempt(
                lambda: service.create_adjustment(session=session, data=adjustment, now=created),
                viewer.lang,
            )
    except forms.FormInvalid as exc:
        session.rollback()
        return _page(
            request, viewer, session, status=exc.status, undo_error=" ".join(exc.errors.values())
        )
    return redirect(NEUTRALITY, flash="flash.rule_restored")
