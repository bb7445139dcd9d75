"""The chemistry call on each proposal card of the coachee's choice page: the booked call
(with its cancel button) or a small form with the next free starts; a refusal shown in the
card, in the reader's words, with the next valid starts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from api.chemistry import service
from api.models import CoachingRequest, Proposal
from api.models.chemistry import ChemistryCall
from api.settings import Settings


@dataclass(frozen=True)
class Card:
    proposal_id: int
    minutes: int
    call: ChemistryCall | None
    starts: tuple[datetime, ...]
    error: str | None = None  # an error code: `chemistry.error.<code>` says it
    chosen: str = ""  # the start the refused form had


def cards(
    *,
    session: Session,
    settings: Settings,
    proposals: Sequence[Proposal],
    now: datetime,
) -> dict[int, Card]:
    """Proposal id -> its card's call part; empty when the programme offers no calls."""
    if settings.chemistry_call_minutes == 0:
        return {}
    out: dict[int, Card] = {}
    for proposal in proposals:
        if proposal.id is None:
            continue
        request = session.get_one(CoachingRequest, proposal.request_id)
        found = service.offer(
            session=session,
            settings=settings,
            proposal=proposal,
            coachee_id=request.coachee_id,
            now=now,
        )
        out[proposal.id] = Card(found.proposal_id, found.minutes, found.call, found.starts)
    return out
