"""HR's neutrality inputs for the matcher (`api.neutrality.service`): declared conflicts of
interest (a coach and a person) and pair adjustments (a bonus or a ban for a coach on a
request), on one page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.coaches import service as coaches
from api.deps import ClockDep, SessionDep
from api.models.enums import AdjustmentKind
from api.neutrality import service
from api.neutrality.schemas import ConflictCreate, PairAdjustmentCreate
from api.types import RowId
from api.web import forms, lookups
from api.web.actions import act
from api.web.csrf import checked_form
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
        **extra,
    )


@router.get(NEUTRALITY)
def neutrality_page(request: Request, viewer: HRPage, session: SessionDep) -> Response:
    return _page(request, viewer, session)


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
    request: Request, viewer: HRPage, form: Form, session: SessionDep, clock: ClockDep
) -> Response:
    values: dict[str, Any] = forms.fields(form, ("coach_id", "reason"))
    try:
        person = forms.text(form, "person_id")
        if not person:
            raise forms.invalid("person_id", "invalid.required", viewer.lang)
        values["person_id"] = lookups.person_id(session, person, "person_id", viewer.lang)
        forms.attempt(
            lambda: service.create_conflict(
                session=session, data=forms.validate(ConflictCreate, values), now=clock.now()
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return _refused(request, viewer, session, "conflicts", form, exc)
    return redirect(NEUTRALITY, flash="flash.conflict_added")


@router.post(NEUTRALITY + "/conflicts/{conflict_id}/delete")
def delete_conflict(
    request: Request, viewer: HRPage, form: Form, session: SessionDep, conflict_id: RowId
) -> Response:
    return act(
        request,
        viewer,
        lambda: service.delete_conflict(session=session, conflict_id=conflict_id),
        done=NEUTRALITY,
        flash="flash.deleted",
    )


@router.post(NEUTRALITY + "/adjustments")
def add_adjustment(
    request: Request, viewer: HRPage, form: Form, session: SessionDep, clock: ClockDep
) -> Response:
    values = forms.fields(form, ("coach_id", "request_id", "kind", "weight", "reason"))
    try:
        forms.attempt(
            lambda: service.create_adjustment(
                session=session,
                data=forms.validate(PairAdjustmentCreate, values),
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return _refused(request, viewer, session, "adjustments", form, exc)
    return redirect(NEUTRALITY, flash="flash.adjustment_added")


@router.post(NEUTRALITY + "/adjustments/{adjustment_id}/delete")
def delete_adjustment(
    request: Request, viewer: HRPage, form: Form, session: SessionDep, adjustment_id: RowId
) -> Response:
    return act(
        request,
        viewer,
        lambda: service.delete_adjustment(session=session, adjustment_id=adjustment_id),
        done=NEUTRALITY,
        flash="flash.deleted",
    )
