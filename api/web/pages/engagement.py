"""An engagement's page for its three parties (coach, coachee, sponsor): its state, its
sessions, the tripartite contract with who acknowledged which version, and the moves the
reader's part allows in that state; the contract printable in the reader's language.

Every move calls the engagement services (`api.engagements.contract`, `.transitions`);
the states each move needs are `api.engagements.lifecycle.ALLOWED`, and a refusal (e.g.
another party moved the engagement meanwhile: 409 naming the state) is shown on the page
itself, in the reader's words, next to the form that was sent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import ClockDep, SessionDep, SettingsDep
from api.engagements import contract, transitions
from api.engagements import service as engagements
from api.engagements.lifecycle import ALLOWED, Action
from api.engagements.schemas import ContractIn, EngagementDetail, Frame
from api.models import CoachingRequest, Engagement
from api.models.enums import EndReason, Modality, Role, SessionStatus
from api.settings import Settings
from api.types import RowId
from api.web import forms, lookups
from api.web.csrf import checked_form
from api.web.page_forms import ConfirmForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import CoachPage, EngagementPage, SignedIn, need

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
CoacheePage = Annotated[SignedIn, Depends(need(Role.coachee))]
BASE = "/my/engagements"

# What each party may do (the API's routes: the coach writes the contract and moves the
# work on, every party acknowledges and may end it, the coachee asks for another coach),
# offered only in the states `ALLOWED` names.
PARTY_ACTIONS: dict[str, tuple[Action, ...]] = {
    "coach": (
        Action.contract,
        Action.acknowledge,
        Action.review,
        Action.close,
        Action.hold,
        Action.resume,
        Action.end,
    ),
    "coachee": (Action.acknowledge, Action.coach_change, Action.end),
    "sponsor": (Action.acknowledge, Action.end),
}
# Moves that cannot be undone (or cancel sessions): the form asks "I confirm" first.
CONFIRMED = (Action.end, Action.hold, Action.close, Action.coach_change)
FRAME_FIELDS = ("sessions", "session_minutes", "cadence_days", "modality", "start", "expected_end")
# A sponsor sees how far the work is, not when the coachee meets the coach.
SESSION_LIMIT = 100


def _party(session: Session, viewer: SignedIn, detail: EngagementDetail) -> str:
    request = session.get_one(CoachingRequest, detail.request_id)
    return contract.party_role(viewer.user, request)


def offered(detail: EngagementDetail, party: str, asked_change: bool) -> list[Action]:
    """The moves `party` may make now (acknowledging only a written version not yet
    acknowledged; asking for another coach once)."""
    out = []
    for action in PARTY_ACTIONS[party]:
        if detail.state not in ALLOWED[action]:
            continue
        if action == Action.acknowledge and (
            detail.contract.version == 0 or party not in detail.contract.pending
        ):
            continue
        if action == Action.coach_change and asked_change:
            continue
        out.append(action)
    return out


def _contract_values(detail: EngagementDetail) -> dict[str, Any]:
    frame = detail.contract.frame.model_dump(mode="json")
    return {"objectives": "\n".join(detail.contract.objectives), **frame}


def engagement_page(
    request: Request,
    viewer: SignedIn,
    session: Session,
    engagement_id: int,
    *,
    status: int = 200,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
) -> Response:
    user = viewer.user
    detail = contract.detail(session=session, user=user, engagement_id=engagement_id)
    party = _party(session, viewer, detail)
    row = session.get_one(Engagement, engagement_id)
    rows, _ = engagements.list_sessions(
        session=session, user=user, engagement_id=engagement_id, start=None, end=None,
        status=None, limit=SESSION_LIMIT, offset=0,
    )  # fmt: skip
    counts = Counter(s.status.value for s in rows)
    values = values or {}
    values.setdefault("contract", _contract_values(detail))
    return render(
        request,
        viewer,
        "my/engagement.html",
        status=status,
        here=f"{BASE}/{engagement_id}",
        item=detail,
        party=party,
        names=lookups.person_names(session, [detail.coachee_id, detail.sponsor_id]),
        sessions=rows if party != "sponsor" else [],
        session_counts=[(s.value, counts[s.value]) for s in SessionStatus if counts[s.value]],
        actions=offered(detail, party, row.coach_change_requested_at is not None),
        coach_change_asked=row.coach_change_requested_at,
        confirmed=[a.value for a in CONFIRMED],
        end_reasons=list(EndReason),
        modalities=list(Modality),
        errors=errors or {},
        values=values,
    )


@router.get(BASE + "/{engagement_id}")
def my_engagement_page(
    request: Request, viewer: EngagementPage, session: SessionDep, engagement_id: RowId
) -> Response:
    return engagement_page(request, viewer, session, engagement_id)


@router.get(BASE + "/{engagement_id}/contract")
def printable_contract(
    request: Request, viewer: EngagementPage, session: SessionDep, engagement_id: RowId
) -> Response:
    """The contract alone, laid out for paper (static/print.css), in the reader's words."""
    detail = contract.detail(session=session, user=viewer.user, engagement_id=engagement_id)
    return render(
        request,
        viewer,
        "my/contract.html",
        item=detail,
        names=lookups.person_names(session, [detail.coachee_id, detail.sponsor_id]),
    )


def _move(
    request: Request,
    viewer: SignedIn,
    session: Session,
    form: FormData,
    data: ConfirmForm,
    engagement_id: int,
    action: Action,
    call: Callable[[], object],
    flash: str,
) -> Response:
    """Run a move; refused, the engagement's page again with why, next to its form."""
    try:
        if action in CONFIRMED and not data.confirmed:
            raise forms.invalid("confirm", "invalid.confirm", viewer.lang)
        forms.attempt(call, viewer.lang)
    except forms.FormInvalid as exc:
        session.rollback()
        return engagement_page(
            request, viewer, session, engagement_id, status=exc.status,
            errors={action.value: exc.errors}, values={action.value: forms.shown(form)},
        )  # fmt: skip
    return redirect(f"{BASE}/{engagement_id}", flash=flash)


class ContractForm(ConfirmForm):
    """The objectives (one a line) and the frame (`Frame` validates it)."""

    objectives: str = ""
    sessions: str = ""
    session_minutes: str = ""
    cadence_days: str = ""
    modality: str = ""
    start: str = ""
    expected_end: str = ""

    def contract_in(self) -> ContractIn:
        objectives = [line.strip() for line in self.objectives.splitlines()]
        frame = forms.validate(Frame, self.filled(*FRAME_FIELDS))
        return ContractIn(objectives=[o for o in objectives if o], frame=frame)


@router.post(BASE + "/{engagement_id}/contract")
def write_contract(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[ContractForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    engagement_id: RowId,
) -> Response:
    """The coach writes the objectives and the frame: a new version for all to acknowledge."""
    user = viewer.user
    return _move(
        request, viewer, session, form, data, engagement_id, Action.contract,
        lambda: contract.write_contract(
            session=session, settings=settings, user=user, engagement_id=engagement_id,
            data=data.contract_in(), now=clock.now(),
        ),
        "flash.contract_written",
    )  # fmt: skip


class AcknowledgeForm(ConfirmForm):
    version: str = ""  # the version read (a number)

    def version_number(self) -> int | None:
        return int(self.version) if self.version.isdigit() else None


@router.post(BASE + "/{engagement_id}/acknowledge")
def acknowledge(
    request: Request,
    viewer: EngagementPage,
    form: Form,
    data: Annotated[AcknowledgeForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
    engagement_id: RowId,
) -> Response:
    user = viewer.user
    return _move(
        request, viewer, session, form, data, engagement_id, Action.acknowledge,
        lambda: contract.acknowledge(
            session=session, user=user, engagement_id=engagement_id,
            version=data.version_number(),
            now=clock.now(),
        ),
        "flash.contract_acknowledged",
    )  # fmt: skip


@router.post(BASE + "/{engagement_id}/end")
def end(
    request: Request,
    viewer: EngagementPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    engagement_id: RowId,
) -> Response:
    user = viewer.user

    def call() -> object:
        reason = data.reason
        if reason not in {r.value for r in EndReason}:
            raise forms.invalid("reason", "invalid.choice", viewer.lang)
        return transitions.end(
            session=session, settings=settings, user=user, engagement_id=engagement_id,
            reason=EndReason(reason), now=clock.now(),
        )  # fmt: skip

    return _move(
        request, viewer, session, form, data, engagement_id, Action.end, call,
        "flash.engagement_ended",
    )  # fmt: skip


class HoldForm(ConfirmForm):
    keep_capacity: str = ""  # a checkbox: "yes" keeps the coach's seat


@router.post(BASE + "/{engagement_id}/hold")
def hold(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[HoldForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    engagement_id: RowId,
) -> Response:
    """On hold: the remaining sessions cancelled, the coach's seat kept or released."""
    user = viewer.user
    return _move(
        request, viewer, session, form, data, engagement_id, Action.hold,
        lambda: transitions.hold(
            session=session, settings=settings, user=user, engagement_id=engagement_id,
            keep_capacity=data.keep_capacity == "yes", now=clock.now(),
        ),
        "flash.engagement_on_hold",
    )  # fmt: skip


Move = Callable[..., object]
# The coachee's request for another coach, and the coach's moves that take nothing but
# the engagement: one service call each, with the same arguments.
SIMPLE_MOVES: dict[Action, tuple[Move, str]] = {
    Action.coach_change: (transitions.ask_coach_change, "flash.coach_change_asked"),
    Action.resume: (transitions.resume, "flash.engagement_resumed"),
    Action.review: (transitions.review, "flash.engagement_reviewed"),
    Action.close: (transitions.close, "flash.engagement_closed"),
}


class CoachMove(StrEnum):
    resume = Action.resume.value  # back where it was, the sessions owed planned again
    review = Action.review.value  # the mid-way tripartite review is held: the work goes on
    close = Action.close.value  # the final review is held: completed, evaluations open


def _simple(
    request: Request,
    viewer: SignedIn,
    form: FormData,
    data: ConfirmForm,
    session: Session,
    settings: Settings,
    now: datetime,
    engagement_id: int,
    action: Action,
) -> Response:
    user = viewer.user
    call, flash = SIMPLE_MOVES[action]
    return _move(
        request, viewer, session, form, data, engagement_id, action,
        lambda: call(
            session=session, settings=settings, user=user, engagement_id=engagement_id, now=now
        ),
        flash,
    )  # fmt: skip


@router.post(BASE + "/{engagement_id}/coach-change")
def coach_change(
    request: Request,
    viewer: CoacheePage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    engagement_id: RowId,
) -> Response:
    """The coachee asks HR for another coach."""
    return _simple(
        request, viewer, form, data, session, settings, clock.now(), engagement_id,
        Action.coach_change,
    )  # fmt: skip


# Declared last: the other moves' paths are not a CoachMove.
@router.post(BASE + "/{engagement_id}/{move}")
def coach_move(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    engagement_id: RowId,
    move: CoachMove,
) -> Response:
    """The coach resumes the engagement, records the mid-way or the final review."""
    return _simple(
        request, viewer, form, data, session, settings, clock.now(), engagement_id,
        Action(move.value),
    )  # fmt: skip
