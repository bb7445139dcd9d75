"""Matching rounds (HR runs, previews and commits them; reviews proposals) and the
coachee's choice among the coaches proposed. The round logic is `api.rounds`: these pages
only read forms and show its views (which carry no request description)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from pydantic import Field
from sqlmodel import Session
from starlette.datastructures import FormData

from api import messages
from api.deps import ClockDep, SessionDep, SettingsDep
from api.errors import Conflict, NotFound
from api.i18n import t
from api.i18n.dates import format_time, zone
from api.models import Proposal
from api.models.enums import Role, RoundKind, RoundStatus
from api.rounds import review, runner
from api.rounds.schemas import RoundParamsIn
from api.rounds.views import coach_offers, proposal_views, resolve_params, round_summary, round_view
from api.security import new_token
from api.settings import Settings
from api.types import RowId
from api.web import chemistry, forms, lookups
from api.web.actions import act
from api.web.confirm import ask_first
from api.web.csrf import checked_form
from api.web.page_forms import ConfirmForm, PageForm, UndoForm
from api.web.paging import pager, with_total
from api.web.render import redirect, render
from api.web.round_review import review_rows
from api.web.route import page_router
from api.web.undo import stamp
from api.web.viewer import HRPage, SignedIn, need
from matcher.problem import HistoryPolicy

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
Coachee = Annotated[SignedIn, Depends(need(Role.coachee))]
# A running round's steps, in order (the progress bar's scale).
STAGES = ("queued", "matching", "planning", "alternatives", "explaining")
PARAMS = ("horizon_start", "horizon_weeks", "proposals", "external_budget", "time_limit_seconds")


class RoundForm(PageForm):
    """The round's parameters (`RoundParamsIn` validates them), the button pressed
    (`action`: preview or commit) and the form's token (a second click, the same round)."""

    horizon_start: str = ""
    horizon_weeks: str = ""
    proposals: str = ""
    external_budget: str = ""
    time_limit_seconds: str = ""
    history: str = ""
    seed: str = ""
    exclude_same_unit: str = ""
    exclude_peers: str = ""
    action: str = ""
    round_token: str = ""

    def params(self) -> dict[str, Any]:
        values: dict[str, Any] = self.filled(*PARAMS, "history", "seed")
        values["exclude_same_unit"] = self.exclude_same_unit == "on"
        values["exclude_peers"] = self.exclude_peers == "on"
        return values


class SelectedForm(PageForm):
    """The proposals ticked on the round's page (their ids)."""

    proposal: list[str] = Field(default_factory=list)

    def ids(self) -> list[int]:
        return [int(v) for v in self.proposal if v.isdigit() and len(v) < 12]


def _rounds_page(
    request: Request,
    viewer: SignedIn,
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
    request: Request,
    viewer: SignedIn,
    session: Session,
    round_id: int,
    *,
    status: int = 200,
    row_errors: Mapping[int, str] | None = None,
    notice: str | None = None,
    undo: Mapping[str, Any] | None = None,
) -> Response:
    """The round's page: its state, then one row per request to review in place;
    `row_errors` (request id -> why) shows refused decisions in their rows."""
    row, proposals = review.get_round(session=session, round_id=round_id)
    view = round_view(session, row, language=viewer.lang)
    shown = proposal_views(session, proposals)
    request_ids = [m.request_id for m in view.matches] + [u.request_id for u in view.unmatched]
    names = lookups.person_names(
        session, [m.coachee_id for m in view.matches] + [u.coachee_id for u in view.unmatched]
    )
    rows = review_rows(view, shown, names, lookups.request_types(session, request_ids))
    response = render(
        request,
        viewer,
        "hr/round.html",
        round=view,
        rows=rows,
        to_decide=sum(1 for r in rows if r.state == "to_decide"),
        row_errors=row_errors or {},
        notice=notice,
        undo=undo,
        running=row.status in (RoundStatus.queued, RoundStatus.running),
        stages=list(STAGES),
        stage_labels={s: t(f"rounds.stage.{s}", viewer.lang) for s in STAGES},
        committable=row.kind == RoundKind.preview
        and row.status == RoundStatus.done
        and row.committed_at is None,
    )
    response.status_code = status
    return response


@router.post("/hr/rounds")
def run_round_page(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[RoundForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    """Start a preview or a committed round, as the button pressed says, and show its
    page (progress while it runs). The form's token makes a second click the same round."""
    kind = RoundKind.commit if data.action == "commit" else RoundKind.preview
    values = data.params()
    now = clock.now()
    token = data.round_token
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
def round_page(
    request: Request,
    viewer: HRPage,
    session: SessionDep,
    clock: ClockDep,
    round_id: RowId,
    undo: int = 0,
    at: str = "",
) -> Response:
    offer = _undo_offer(session, viewer, undo, at, clock.now()) if undo else None
    return _round_page(request, viewer, session, round_id, undo=offer)


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
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
    round_id: RowId,
) -> Response:
    """Stop a queued or running round, only with its confirmation; a round that ended
    meanwhile is said on its page (409), not on an error page."""
    review.get_round(session=session, round_id=round_id)  # 404 for an unknown round
    if not data.confirmed:
        return ask_first(f"/hr/rounds/{round_id}")
    try:
        forms.attempt(
            lambda: runner.cancel_round(session=session, round_id=round_id, now=clock.now()),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        session.rollback()
        notice = " ".join(exc.errors.values())
        return _round_page(request, viewer, session, round_id, status=exc.status, notice=notice)
    return redirect(f"/hr/rounds/{round_id}", flash="flash.round_cancelled")


def _decide(
    request: Request,
    viewer: SignedIn,
    session: Session,
    proposal_id: int,
    decision: Callable[[], object],
    flash: str,
    *,
    undo_at: datetime | None = None,
) -> Response:
    """Decide one proposal from its row; then back to that row (not the page's top), or
    the round's page again with the refusal in the row."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or proposal.round_id is None:
        raise NotFound(messages.NOT_FOUND.format(what="proposal"))
    round_id, request_id = proposal.round_id, proposal.request_id
    try:
        forms.attempt(decision, viewer.lang)
    except forms.FormInvalid as exc:
        session.rollback()
        return _round_page(
            request,
            viewer,
            session,
            round_id,
            status=exc.status,
            row_errors={request_id: " ".join(exc.errors.values())},
        )
    query = f"?{urlencode({'undo': proposal_id, 'at': undo_at.isoformat()})}" if undo_at else ""
    return redirect(f"/hr/rounds/{round_id}{query}#request-{request_id}", flash=flash)


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
    return _decide(
        request,
        viewer,
        session,
        proposal_id,
        lambda: review.confirm_proposal(
            session=session, settings=settings, proposal_id=proposal_id, actor=user, now=clock.now()
        ),
        "flash.proposal_confirmed",
    )


@router.post("/hr/proposals/{proposal_id}/reject")
def reject_proposal(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
    proposal_id: RowId,
) -> Response:
    """Only with the row's confirmation (a bare post rejects nothing), keeping its reason
    (HR's only); then back to the row with "Undo" for ten minutes."""
    user = viewer.user
    now = clock.now()
    if not data.confirmed:
        proposal = session.get(Proposal, proposal_id)
        if proposal is None:
            raise NotFound(messages.NOT_FOUND.format(what="proposal"))
        return ask_first(f"/hr/rounds/{proposal.round_id}#request-{proposal.request_id}")
    return _decide(
        request,
        viewer,
        session,
        proposal_id,
        lambda: review.reject_proposal(
            session=session, proposal_id=proposal_id, actor=user, now=now, reason=data.reason
        ),
        "flash.proposal_rejected",
        undo_at=now,
    )


@router.post("/hr/proposals/{proposal_id}/restore")
def restore_proposal(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[UndoForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
    proposal_id: RowId,
) -> Response:
    """Undo a rejection (`review.restore_rejected`); refused in the proposal's row."""
    user = viewer.user

    def restore() -> object:
        at = stamp(data.at)
        if at is None:
            raise Conflict(messages.PROPOSAL_NOT_RESTORABLE, field="status")
        return review.restore_rejected(
            session=session, proposal_id=proposal_id, rejected_at=at, actor=user, now=clock.now()
        )

    return _decide(request, viewer, session, proposal_id, restore, "flash.proposal_restored")


def _undo_offer(
    session: Session, viewer: SignedIn, proposal_id: int, at: str, now: datetime
) -> dict[str, Any] | None:
    """The round page's "Undo" after a rejection, while it can be undone."""
    rejected_at = stamp(at)
    proposal = session.get(Proposal, proposal_id)
    if rejected_at is None or proposal is None:
        return None
    if not review.rejection_undoable(session, proposal, rejected_at=rejected_at, now=now):
        return None
    coach = lookups.coach_names(session, [proposal.coach_id]).get(proposal.coach_id, "—")
    coachee = lookups.request_coachees(session, [proposal.request_id]).get(proposal.request_id)
    name = lookups.person_names(session, [coachee]).get(coachee or 0, "—")
    until = (rejected_at + review.UNDO_WINDOW).astimezone(zone(viewer.zone))
    return {
        "action": f"/hr/proposals/{proposal_id}/restore",
        "at": at,
        "request_id": proposal.request_id,
        "text": t(
            "safe.proposal.undo_offer",
            viewer.lang,
            coach=coach,
            name=name,
            time=format_time(until.time(), viewer.lang),
        ),
    }


@router.post("/hr/rounds/{round_id}/confirm")
def confirm_selected(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[SelectedForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    round_id: RowId,
) -> Response:
    """Confirm the proposals ticked on the round's page, one decision each (each is
    checked and stored on its own, with its invites): those that hold are confirmed,
    those refused stay to decide, with the reason in their row."""
    user = viewer.user
    wanted = data.ids()
    if not wanted:
        return _round_page(
            request,
            viewer,
            session,
            round_id,
            status=422,
            notice=t("review.none_selected", viewer.lang),
        )
    review.get_round(session=session, round_id=round_id)  # 404 for an unknown round
    chosen = [session.get(Proposal, proposal_id) for proposal_id in wanted]
    if any(p is None or p.round_id != round_id for p in chosen):  # all checked before any
        raise NotFound(messages.NOT_FOUND.format(what="proposal"))
    refused: dict[int, str] = {}
    confirmed = 0
    for proposal_id, request_id in [(p.id or 0, p.request_id) for p in chosen if p is not None]:
        try:
            forms.attempt(
                functools.partial(
                    review.confirm_proposal,
                    session=session,
                    settings=settings,
                    proposal_id=proposal_id,
                    actor=user,
                    now=clock.now(),
                ),
                viewer.lang,
            )
            confirmed += 1
        except forms.FormInvalid as exc:
            session.rollback()
            refused[request_id] = " ".join(exc.errors.values())
    if refused:
        return _round_page(
            request,
            viewer,
            session,
            round_id,
            status=409,
            row_errors=refused,
            notice=t("review.some_refused", viewer.lang, confirmed=confirmed, refused=len(refused)),
        )
    return redirect(f"/hr/rounds/{round_id}#review", flash="flash.proposals_confirmed")


@router.get("/my/proposals")
def my_proposals_page(
    request: Request, viewer: Coachee, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> Response:
    proposals = review.my_proposals(session=session, user=viewer.user)
    offers = coach_offers(session, proposals, today=clock.now().date())
    calls = chemistry.cards(
        session=session, settings=settings, proposals=proposals, now=clock.now()
    )
    return render(request, viewer, "my/proposals.html", offers=offers, chemistry=calls)


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
    return act(
        request,
        viewer,
        lambda: review.choose_proposal(
            session=session, settings=settings, proposal_id=proposal_id, actor=user, now=clock.now()
        ),
        done="/my/sessions",
        flash="flash.proposal_chosen",
    )
