"""Matching rounds (HR), proposals review (HR) and the coachee's choice of coach."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import ClockDep, CoacheeUser, HRUser, PageDep, SessionDep, SettingsDep
from api.engagements.schemas import EngagementHRView, EngagementView
from api.engagements.service import get_engagement
from api.schemas import ERRORS, Page

from . import review
from .runner import run_round
from .schemas import CoachOffer, ProposalView, RoundParamsIn, RoundSummary, RoundView
from .views import coach_offers, proposal_views, resolve_params, round_summary, round_view

router = APIRouter(tags=["rounds"], responses=ERRORS)
_DECIDED = {409: {"description": "already decided, or the match no longer holds"}}


@router.post("/rounds/preview")
def preview_round(
    body: RoundParamsIn, user: HRUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> RoundView:
    """Run a round and show its result without storing anything."""
    now = clock.now()
    params = resolve_params(body, settings=settings, now=now)
    outcome = run_round(
        session=session, settings=settings, now=now, actor=user, params=params, commit=False
    )
    return round_view(session, outcome.round, language=user.language)


@router.post("/rounds", status_code=status.HTTP_201_CREATED, responses=_DECIDED)
def commit_round(
    body: RoundParamsIn, user: HRUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> RoundView:
    """Run a round and store it: matched requests become `proposed` with their proposals
    (the chosen coach, then alternatives); earlier proposals of those requests are
    superseded. Same data and settings give the same round."""
    now = clock.now()
    params = resolve_params(body, settings=settings, now=now)
    outcome = run_round(
        session=session, settings=settings, now=now, actor=user, params=params, commit=True
    )
    return round_view(session, outcome.round, language=user.language)


@router.get("/rounds")
def list_rounds(user: HRUser, session: SessionDep, page: PageDep) -> Page[RoundSummary]:
    rows, total = review.list_rounds(session=session, limit=page.limit, offset=page.offset)
    return Page(
        items=[round_summary(r) for r in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/rounds/{round_id}")
def get_round(round_id: int, user: HRUser, session: SessionDep) -> RoundView:
    """The round's explanations: matches with their score breakdown, unmatched requests with
    their reasons (labels in the reader's language)."""
    row, _ = review.get_round(session=session, round_id=round_id)
    return round_view(session, row, language=user.language)


@router.get("/rounds/{round_id}/proposals")
def round_proposals(round_id: int, user: HRUser, session: SessionDep) -> list[ProposalView]:
    _, proposals = review.get_round(session=session, round_id=round_id)
    return proposal_views(session, proposals)


@router.get("/requests/{request_id}/proposals")
def request_proposals(request_id: int, user: HRUser, session: SessionDep) -> list[ProposalView]:
    """Every coach proposed for the request, latest round first."""
    return proposal_views(session, review.request_proposals(session=session, request_id=request_id))


@router.post("/proposals/{proposal_id}/confirm", responses=_DECIDED)
def confirm_proposal(
    proposal_id: int, user: HRUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
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
    proposal_id: int, user: HRUser, session: SessionDep, clock: ClockDep
) -> ProposalView:
    """Turn a proposed coach down; with none left the request is open again."""
    proposal = review.reject_proposal(
        session=session, proposal_id=proposal_id, actor=user, now=clock.now()
    )
    return proposal_views(session, [proposal])[0]


@router.get("/me/proposals")
def my_proposals(user: CoacheeUser, session: SessionDep) -> list[CoachOffer]:
    """The coaches proposed to you, still to be decided."""
    return coach_offers(session, review.my_proposals(session=session, user=user))


@router.post("/me/proposals/{proposal_id}/choose", responses=_DECIDED)
def choose_proposal(
    proposal_id: int,
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
