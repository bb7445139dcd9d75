"""Matching rounds (HR), proposals review (HR) and the coachee's choice of coach."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response, status
from sqlmodel import Session

from api.clock import Clock
from api.deps import ClockDep, CoacheeUser, HRUser, PageDep, SessionDep, SettingsDep
from api.engagements.schemas import EngagementHRView, EngagementView
from api.engagements.service import get_engagement
from api.models import User
from api.models.enums import RoundKind
from api.schemas import ERRORS, Page, Responses
from api.settings import Settings
from api.types import RowId

from . import review, runner
from .promise import promise_status
from .schemas import CoachOffer, ProposalView, RejectIn, RoundParamsIn, RoundSummary, RoundView
from .views import coach_offers, proposal_views, resolve_params, round_summary, round_view

router = APIRouter(tags=["rounds"], responses=ERRORS)
_DECIDED: Responses = {409: {"description": "already decided, or the match no longer holds"}}


_JOB: Responses = {
    202: {"description": "queued: follow `Location` (GET /rounds/{id}) for progress and result"},
}


def _start(
    *,
    kind: RoundKind,
    body: RoundParamsIn,
    user: User,
    session: Session,
    settings: Settings,
    clock: Clock,
    response: Response,
    idempotency_key: str | None,
    prefer: str | None,
) -> RoundView:
    now = clock.now()
    params = resolve_params(body, settings=settings, now=now)
    row = runner.start_round(
        session=session,
        now=now,
        actor=user,
        params=params,
        kind=kind,
        idempotency_key=idempotency_key,
    )
    row = runner.wait_for_round(session, row, _wait_seconds(prefer))
    response.headers["Location"] = f"/rounds/{row.id}"
    response.status_code = status.HTTP_202_ACCEPTED if not row.finished_at else status.HTTP_200_OK
    return round_view(session, row, language=user.language)


def _wait_seconds(prefer: str | None) -> float:
    """RFC 7240 `Prefer: wait=N`: answer with the result if it is ready within N seconds
    (at most 60), else with 202 as usual."""
    for part in (prefer or "").split(","):
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "wait":
            try:
                return min(60.0, max(0.0, float(value)))
            except ValueError:
                return 0.0
    return 0.0


IdempotencyKey = Annotated[
    str | None,
    Header(
        max_length=200,
        description="the same key returns the same round instead of starting another",
    ),
]
Prefer = Annotated[
    str | None, Header(description="`wait=N`: hold the answer up to N s for the result")
]


@router.post("/rounds/preview", status_code=status.HTTP_202_ACCEPTED, responses=_JOB)
def preview_round(
    body: RoundParamsIn,
    user: HRUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
    prefer: Prefer = None,
) -> RoundView:
    """Start a preview: the round runs as a job and keeps its result, storing nothing
    else; `POST /rounds/{id}/commit` then stores it exactly as shown."""
    return _start(
        kind=RoundKind.preview,
        body=body,
        user=user,
        session=session,
        settings=settings,
        clock=clock,
        response=response,
        idempotency_key=idempotency_key,
        prefer=prefer,
    )


@router.post("/rounds", status_code=status.HTTP_202_ACCEPTED, responses={**_JOB, **_DECIDED})
def commit_round(
    body: RoundParamsIn,
    user: HRUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
    prefer: Prefer = None,
) -> RoundView:
    """Start a round that stores its result when done: matched requests become `proposed`
    with their proposals (the chosen coach, then alternatives); earlier proposals of those
    requests are superseded. Same data and settings give the same round."""
    return _start(
        kind=RoundKind.commit,
        body=body,
        user=user,
        session=session,
        settings=settings,
        clock=clock,
        response=response,
        idempotency_key=idempotency_key,
        prefer=prefer,
    )


@router.post("/rounds/{round_id}/commit", responses=_DECIDED)
def commit_preview(
    round_id: RowId, user: HRUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> RoundView:
    """Store a done preview exactly as it was shown (no second solve): 409 when the
    programme changed since (`changed` names the parts) or another round was committed."""
    row = runner.commit_preview(
        session=session, settings=settings, round_id=round_id, now=clock.now()
    )
    return round_view(session, row, language=user.language)


@router.post("/rounds/{round_id}/cancel", responses=_DECIDED)
def cancel_round(round_id: RowId, user: HRUser, session: SessionDep, clock: ClockDep) -> RoundView:
    """Stop a queued or running round; nothing of it is stored."""
    row = runner.cancel_round(session=session, round_id=round_id, now=clock.now())
    return round_view(session, row, language=user.language)


@router.get("/rounds")
def list_rounds(user: HRUser, session: SessionDep, page: PageDep) -> Page[RoundSummary]:
    rows, total = review.list_rounds(session=session, limit=page.limit, offset=page.offset)
    return Page(
        items=[round_summary(r) for r in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/rounds/{round_id}")
def get_round(round_id: RowId, user: HRUser, session: SessionDep) -> RoundView:
    """The round's explanations: matches with their score breakdown, unmatched requests with
    their reasons (labels in the reader's language)."""
    row, _ = review.get_round(session=session, round_id=round_id)
    return round_view(session, row, language=user.language)


@router.get("/rounds/{round_id}/proposals")
def round_proposals(
    round_id: RowId, user: HRUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> list[ProposalView]:
    """The round's proposals; each one still to decide says whether its promised first
    session is still free, or which first session confirming would book instead."""
    _, proposals = review.get_round(session=session, round_id=round_id)
    promises = promise_status(
        session=session, settings=settings, now=clock.now(), proposals=proposals
    )
    return proposal_views(session, proposals, promises)


@router.get("/requests/{request_id}/proposals")
def request_proposals(
    request_id: RowId, user: HRUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> list[ProposalView]:
    """Every coach proposed for the request, latest round first; each one still to decide
    says whether its promised first session is still free (confirming books it), or which
    first session confirming would book instead."""
    proposals = review.request_proposals(session=session, request_id=request_id)
    promises = promise_status(
        session=session, settings=settings, now=clock.now(), proposals=proposals
    )
    return proposal_views(session, proposals, promises)


@router.post("/proposals/{proposal_id}/confirm", responses=_DECIDED)
def confirm_proposal(
    proposal_id: RowId, user: HRUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> EngagementHRView:
    """Confirm a proposed coach: the pair is checked again (neutrality, conflicts, the
    reporting-line rule, capacity), the engagement is created, all its sessions are planned
    and the invites are queued, in one transaction."""
    engagement = review.confirm_proposal(
        session=session, settings=settings, proposal_id=proposal_id, actor=user, now=clock.now()
    )
    return get_engagement(session=session, engagement_id=engagement.id or 0)


@router.post("/proposals/{proposal_id}/reject", responses=_DECIDED)
def reject_proposal(
    proposal_id: RowId,
    user: HRUser,
    session: SessionDep,
    clock: ClockDep,
    body: RejectIn | None = None,
) -> ProposalView:
    """Turn a proposed coach down, with HR's reason if given (kept, shown to HR only);
    with none left the request is open again."""
    proposal = review.reject_proposal(
        session=session,
        proposal_id=proposal_id,
        actor=user,
        now=clock.now(),
        reason=body.reason if body else None,
    )
    return proposal_views(session, [proposal])[0]


@router.get("/me/proposals")
def my_proposals(
    user: CoacheeUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> list[CoachOffer]:
    """The coaches proposed to you, still to be decided, each with the first session
    promised and whether it is still free (else the one choosing would book instead)."""
    proposals = review.my_proposals(session=session, user=user)
    promises = promise_status(
        session=session, settings=settings, now=clock.now(), proposals=proposals
    )
    return coach_offers(session, proposals, promises, today=clock.now().date())


@router.post("/me/proposals/{proposal_id}/choose", responses=_DECIDED)
def choose_proposal(
    proposal_id: RowId,
    user: CoacheeUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> EngagementView:
    """Choose one of the coaches proposed to you (when there are several): your choice
    confirms the engagement and plans its sessions."""
    engagement = review.choose_proposal(
        session=session, settings=settings, proposal_id=proposal_id, actor=user, now=clock.now()
    )
    view = get_engagement(session=session, engagement_id=engagement.id or 0)
    return EngagementView(**view.model_dump(include=set(EngagementView.model_fields)))
