"""Matching rounds (HR runs, previews and commits them; reviews proposals) and the
coachee's choice among the coaches proposed. The round logic is `api.rounds`: these pages
only read forms and show its views (which carry no request description)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import ClockDep, SessionDep, SettingsDep
from api.i18n import t
from api.models.enums import ProposalStatus, Role, RoundKind, RoundStatus
from api.rounds import review, runner
from api.rounds.schemas import RoundParamsIn
from api.rounds.views import coach_offers, proposal_views, resolve_params, round_summary, round_view
from api.security import new_token
from api.settings import Settings
from api.types import RowId
from api.web import forms, lookups
from api.web.actions import act
from api.web.csrf import checked_form
from api.web.paging import pager, with_total
from api.web.render import local_path, redirect, render
from api.web.route import page_router
from api.web.viewer import HRPage, Viewer, need
from matcher.problem import HistoryPolicy

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
Coachee = Annotated[Viewer, Depends(need(Role.coachee))]
# A running round's steps, in order (the progress bar's scale).
STAGES = ("queued", "matching", "planning", "alternatives", "explaining")
PARAMS = ("horizon_start", "horizon_weeks", "proposals", "external_budget", "time_limit_seconds")


def _params(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = forms.fields(form, (*PARAMS, "history", "seed"))
    values["exclude_same_unit"] = forms.text(form, "exclude_same_unit") == "on"
    values["exclude_peers"] = forms.text(form, "exclude_peers") == "on"
    return values


def _rounds_page(
    request: Request,
    viewer: Viewer,
    session: Session,
    settings: Settings,
    page: int,
    **extra: Any,
) -> Response:
    p = pager(page, {})
    rows, total = review.list_rounds(session=session, limit=p.limit, offset=p.offset)
    extra.setdefault(
        "values",
        {
            "horizon_weeks": str(settings.round_horizon_weeks),
            "proposals": str(settings.round_proposals),
            "exclude_peers": "on",
            "history": HistoryPolicy.AVOID.value,
            "seed": "0",
        },
    )
    return render(
        request,
        viewer,
        "hr/rounds.html",
        round_token=new_token(),
        rounds=[round_summary(r) for r in rows],
        pager=with_total(p, total),
        histories=[h.value for h in HistoryPolicy],
        **extra,
    )


@router.get("/hr/rounds")
def rounds_page(
    request: Request, viewer: HRPage, session: SessionDep, settings: SettingsDep, page: int = 1
) -> Response:
    return _rounds_page(request, viewer, session, settings, page)


def _round_page(
    request: Request, viewer: Viewer, session: Session, view: Any, **extra: Any
) -> Response:
    ids = [m.coachee_id for m in view.matches] + [u.coachee_id for u in view.unmatched]
    return render(
        request,
        viewer,
        "hr/round.html",
        round=view,
        names=lookups.person_names(session, ids),
        **extra,
    )


@router.post("/hr/rounds")
def run_round_page(
    request: Request,
    viewer: HRPage,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    """Start a preview or a committed round, as the button pressed says, and show its
    page (progress while it runs). The form's token makes a second click the same round."""
    kind = RoundKind.commit if forms.text(form, "action") == "commit" else RoundKind.preview
    values = _params(form)
    now = clock.now()
    token = forms.text(form, "round_token")
    try:
        row = forms.attempt(
            lambda: runner.start_round(
                session=session,
                now=now,
                actor=viewer.user,
                params=resolve_params(
                    forms.validate(RoundParamsIn, values), settings=settings, now=now
                ),
                kind=kind,
                idempotency_key=f"form:{token}:{kind.value}" if token else None,
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return _rounds_page(
            request,
            viewer,
            session,
            settings,
            1,
            status=exc.status,
            errors=exc.errors,
            values=forms.shown(form),
        )
    return redirect(f"/hr/rounds/{row.id}")


@router.get("/hr/rounds/{round_id}")
def round_page(request: Request, viewer: HRPage, session: SessionDep, round_id: RowId) -> Response:
    row, proposals = review.get_round(session=session, round_id=round_id)
    view = round_view(session, row, language=viewer.lang)
    return _round_page(
        request,
        viewer,
        session,
        view,
        running=row.status in (RoundStatus.queued, RoundStatus.running),
        stages=list(STAGES),
        stage_labels={s: t(f"rounds.stage.{s}", viewer.lang) for s in STAGES},
        committable=row.kind == RoundKind.preview
        and row.status == RoundStatus.done
        and row.committed_at is None,
        proposals=proposal_views(session, proposals),
        open_status=ProposalStatus.proposed,
    )


@router.post("/hr/rounds/{round_id}/commit")
def commit_preview_page(
    request: Request,
    viewer: HRPage,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    round_id: RowId,
) -> Response:
    """Store the preview as it was shown."""
    return act(
        request,
        viewer,
        lambda: runner.commit_preview(
            session=session, settings=settings, round_id=round_id, now=clock.now()
        ),
        done=f"/hr/rounds/{round_id}",
        flash="flash.round_committed",
    )


@router.post("/hr/rounds/{round_id}/cancel")
def cancel_round_page(
    request: Request,
    viewer: HRPage,
    form: Form,
    session: SessionDep,
    clock: ClockDep,
    round_id: RowId,
) -> Response:
    return act(
        request,
        viewer,
        lambda: runner.cancel_round(session=session, round_id=round_id, now=clock.now()),
        done=f"/hr/rounds/{round_id}",
        flash="flash.round_cancelled",
    )


@router.post("/hr/proposals/{proposal_id}/confirm")
def confirm_proposal(
    request: Request,
    viewer: HRPage,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    proposal_id: RowId,
) -> Response:
    user = viewer.user
    assert user is not None
    return act(
        request,
        viewer,
        lambda: review.confirm_proposal(
            session=session, settings=settings, proposal_id=proposal_id, actor=user, now=clock.now()
        ),
        done=local_path(forms.text(form, "next"), "/hr/rounds"),
        flash="flash.proposal_confirmed",
    )


@router.post("/hr/proposals/{proposal_id}/reject")
def reject_proposal(
    request: Request,
    viewer: HRPage,
    form: Form,
    session: SessionDep,
    clock: ClockDep,
    proposal_id: RowId,
) -> Response:
    user = viewer.user
    assert user is not None
    return act(
        request,
        viewer,
        lambda: review.reject_proposal(
            session=session, proposal_id=proposal_id, actor=user, now=clock.now()
        ),
        done=local_path(forms.text(form, "next"), "/hr/rounds"),
        flash="flash.proposal_rejected",
    )


@router.get("/my/proposals")
def my_proposals_page(request: Request, viewer: Coachee, session: SessionDep) -> Response:
    assert viewer.user is not None
    offers = coach_offers(session, review.my_proposals(session=session, user=viewer.user))
    return render(request, viewer, "my/proposals.html", offers=offers)


@router.post("/my/proposals/{proposal_id}/choose")
def choose_proposal(
    request: Request,
    viewer: Coachee,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    proposal_id: RowId,
) -> Response:
    user = viewer.user
    assert user is not None
    return act(
        request,
        viewer,
        lambda: review.choose_proposal(
            session=session, settings=settings, proposal_id=proposal_id, actor=user, now=clock.now()
        ),
        done="/my/sessions",
        flash="flash.proposal_chosen",
    )
