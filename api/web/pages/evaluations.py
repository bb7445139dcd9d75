"""Evaluations: the coachee's and the sponsor's form once an engagement is over, and a
coach's own summary (shown only from k released answers). The answer is stored detached
by `api.evaluations.service`: the page sends the scores (one per objective, in the
contract's order: the objectives' words stay on the reader's screen), the satisfaction,
whether they would recommend, and an optional testimonial with whether it may be quoted.
"""

from __future__ import annotations

from typing import Annotated, Any

from babel.numbers import format_decimal, format_percent
from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from pydantic import ConfigDict
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import ClockDep, SessionDep, SettingsDep
from api.evaluations import service
from api.evaluations.schemas import TESTIMONIAL_MAX, EvaluationIn
from api.models.enums import Role
from api.types import RowId
from api.web import forms
from api.web.csrf import checked_form
from api.web.page_forms import PageForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import CoachPage, SignedIn, need

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
RespondentPage = Annotated[SignedIn, Depends(need(Role.coachee, Role.sponsor))]
EVALUATIONS = "/my/evaluations"
SCORES = (1, 2, 3, 4, 5)


def evaluations_page(
    request: Request,
    viewer: SignedIn,
    session: Session,
    now: Any,
    *,
    status: int = 200,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
) -> Response:
    return render(
        request,
        viewer,
        "my/evaluations.html",
        status=status,
        here=EVALUATIONS,
        invitations=service.open_evaluations(session=session, user=viewer.user, now=now),
        scores=SCORES,
        testimonial_max=TESTIMONIAL_MAX,
        errors=errors or {},
        values=values or {},
    )


@router.get(EVALUATIONS)
def my_evaluations(
    request: Request, viewer: RespondentPage, session: SessionDep, clock: ClockDep
) -> Response:
    return evaluations_page(request, viewer, session, clock.now())


class AnswerForm(PageForm):
    """An evaluation; its scores come as `objective_0`, `objective_1`... (one per
    objective of the contract, so as many as it has): kept as extra fields."""

    model_config = ConfigDict(extra="allow")
    satisfaction: str = ""
    recommend: str = ""  # "yes" or "no"
    testimonial: str = ""
    quotable: str = ""  # a checkbox: "yes"

    def scores(self, count: int) -> list[str]:
        extra = self.model_extra or {}
        values = [extra.get(f"objective_{i}") for i in range(count)]
        # A field sent twice comes as a list: its last value, as for the other fields.
        values = [v[-1] if isinstance(v, list) else v for v in values]
        return [v.strip() if isinstance(v, str) else "" for v in values]


def _answer(data: AnswerForm, count: int, lang: str) -> EvaluationIn:
    """The form as the service's schema; a question left unanswered is "required"."""
    scores = data.scores(count)
    if not all(scores):
        raise forms.invalid("objectives", "invalid.required", lang)
    recommend = {"yes": True, "no": False}.get(data.recommend)
    values: dict[str, Any] = {
        "objectives": scores,
        "testimonial": data.testimonial or None,
        "quotable": data.quotable == "yes",
        **data.filled("satisfaction"),
    }
    if recommend is not None:
        values["recommend"] = recommend
    return forms.validate(EvaluationIn, values)


@router.post(EVALUATIONS + "/{invitation_id}")
def answer(
    request: Request,
    viewer: RespondentPage,
    form: Form,
    data: Annotated[AnswerForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    invitation_id: RowId,
) -> Response:
    user = viewer.user
    now = clock.now()
    count = next(
        (
            len(i.objectives)
            for i in service.open_evaluations(session=session, user=user, now=now)
            if i.id == invitation_id
        ),
        0,
    )
    try:
        forms.attempt(
            lambda: service.answer(
                session=session, settings=settings, user=user, invitation_id=invitation_id,
                data=_answer(data, count, viewer.lang), now=now,
            ),
            viewer.lang,
        )  # fmt: skip
    except forms.FormInvalid as exc:
        session.rollback()
        key = str(invitation_id)
        return evaluations_page(
            request, viewer, session, now, status=exc.status,
            errors={key: exc.errors}, values={key: forms.shown(form)},
        )  # fmt: skip
    return redirect(EVALUATIONS, flash="flash.evaluation_recorded")


@router.get("/coach/evaluations")
def coach_evaluations(
    request: Request, viewer: CoachPage, session: SessionDep, settings: SettingsDep
) -> Response:
    summary = service.coach_summary(session=session, settings=settings, user=viewer.user)

    def decimal(value: float | None) -> str:
        return format_decimal(value, format="0.0#", locale=viewer.lang) if value is not None else ""

    shown = {
        "satisfaction": decimal(summary.satisfaction),
        "objectives": decimal(summary.objectives),
        "recommend": (
            format_percent(summary.recommend_share, locale=viewer.lang)
            if summary.recommend_share is not None
            else ""
        ),
    }
    return render(request, viewer, "coach/evaluations.html", summary=summary, shown=shown)
