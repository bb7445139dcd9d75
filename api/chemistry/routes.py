"""The coachee's chemistry call with a proposed coach: the free starts, booking, cancelling
(404 when the programme offers none, or for a proposal that is not theirs)."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import ClockDep, CoacheeUser, SessionDep, SettingsDep
from api.models.chemistry import ChemistryCall
from api.schemas import ERRORS
from api.types import RowId

from . import service
from .schemas import CallIn, CallOffer, CallPublic

router = APIRouter(tags=["proposals"], responses=ERRORS)
PATH = "/me/proposals/{proposal_id}/chemistry-call"


def public(call: ChemistryCall) -> CallPublic:
    return CallPublic.model_validate(call, from_attributes=True)


@router.get(PATH)
def call_offer(
    proposal_id: RowId,
    user: CoacheeUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> CallOffer:
    """Your booked call for this proposal, else the next starts when the coach and you
    are both free (the next two weeks)."""
    found = service.starts_for(
        session=session, settings=settings, proposal_id=proposal_id, actor=user, now=clock.now()
    )
    return CallOffer(
        proposal_id=found.proposal_id,
        minutes=found.minutes,
        call=public(found.call) if found.call else None,
        starts=list(found.starts),
    )


@router.post(PATH, status_code=status.HTTP_201_CREATED)
def book_call(
    proposal_id: RowId,
    body: CallIn,
    user: CoacheeUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> CallPublic:
    """Book the call at `start_at` (one per proposal, so one per proposed coach); the
    coach and you receive an invite. 409 naming `start_at`, with `next_starts`, when it is
    not free, or (code `overlap`) when it overlaps a call you hold with another coach."""
    call = service.book(
        session=session,
        settings=settings,
        proposal_id=proposal_id,
        actor=user,
        start=body.start_at,
        now=clock.now(),
    )
    return public(call)


@router.delete(PATH)
def cancel_call(
    proposal_id: RowId,
    user: CoacheeUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> CallPublic:
    """Cancel your call: the coach and you receive the cancellation."""
    call = service.cancel(
        session=session, settings=settings, proposal_id=proposal_id, actor=user, now=clock.now()
    )
    return public(call)
