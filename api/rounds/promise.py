"""Is a proposal's promised first session still free? What the proposal views tell HR and
the coachee before anyone confirms: the promised slot holds (confirming books it), or it
is gone and this is the first session confirming would book instead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from api.models import Coach, CoachingRequest, Proposal
from api.models.enums import ProposalStatus, RequestStatus
from api.sessions.availability import PlanningData
from api.sessions.promised import plan_pair
from api.settings import Settings


def promised_start(proposal: Proposal) -> datetime | None:
    """The first session the round planned for this proposal."""
    first = proposal.explanation.get("first_session")
    return datetime.fromisoformat(first["start"].replace("Z", "+00:00")) if first else None


@dataclass(frozen=True)
class PromiseStatus:
    free: bool  # the promised first session is still free: confirming books it
    instead: datetime | None  # when it is not: the first session confirming would book


def promise_status(
    *, session: Session, settings: Settings, now: datetime, proposals: Sequence[Proposal]
) -> dict[int, PromiseStatus]:
    """The status of every proposal still to decide (others are left out), planned as
    confirming would plan it, against one read of everyone's availability and bookings."""
    live = [p for p in proposals if p.status == ProposalStatus.proposed and p.id is not None]
    requests = {
        r.id: r
        for r in session.exec(
            select(CoachingRequest).where(
                col(CoachingRequest.id).in_({p.request_id for p in live}),
                CoachingRequest.status == RequestStatus.proposed,
            )
        )
    }
    live = [p for p in live if p.request_id in requests and promised_start(p) is not None]
    if not live:
        return {}
    coaches = {
        c.id or 0: c
        for c in session.exec(
            select(Coach)
            .where(col(Coach.id).in_({p.coach_id for p in live}))
            .order_by(col(Coach.id))
        )
    }
    data = PlanningData(
        session=session, settings=settings, start=now, coaches=list(coaches.values())
    )
    out: dict[int, PromiseStatus] = {}
    for proposal in live:
        assert proposal.id is not None
        request, coach = requests[proposal.request_id], coaches[proposal.coach_id]
        promised = promised_start(proposal)
        plan = plan_pair(
            data,
            settings=settings,
            request=request,
            coach=coach,
            now=now,
            promised=promised,
            polish=False,
        )
        # Gone: plan_pair planned again as confirming does (polished), so `instead` is
        # what confirming books.
        kept = bool(plan.promised_kept)
        out[proposal.id] = PromiseStatus(kept, None if kept else plan.first_start)
    return out
