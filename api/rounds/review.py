"""Reviewing a round's proposals: HR confirms or rejects, the coachee chooses among several.

Confirming re-checks the pair against today's data (neutrality, conflicts, the ethics rule,
capacity, qualification...) with the matcher's own rules, creates the engagement and plans
all its sessions with their invites, in one transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from api import messages
from api.chemistry.service import release_closed
from api.coaches.lock import lock_coach
from api.engagements.transitions import latest_reassigned, start_engagement
from api.errors import Conflict, InvalidInput, NotFound
from api.models import Coach, CoachingRequest, Engagement, MatchingRound, Proposal, User
from api.models.enums import ProposalStatus, RequestStatus
from api.models.rounds import REJECT_REASON_MAX
from api.rounds.labels import label
from api.rounds.live import supersede_live
from api.rounds.problem import RoundParams, build_problem, ckey, pair_problems, rkey
from api.rounds.promise import promised_start
from api.settings import Settings

log = logging.getLogger(__name__)


def list_rounds(*, session: Session, limit: int, offset: int) -> tuple[list[MatchingRound], int]:
    """Stored rounds, newest first."""
    query = select(MatchingRound)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(MatchingRound.id).desc()).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def get_round(*, session: Session, round_id: int) -> tuple[MatchingRound, list[Proposal]]:
    row = session.get(MatchingRound, round_id)
    if row is None:
        raise NotFound(messages.NOT_FOUND.format(what="round"))
    proposals = session.exec(
        select(Proposal)
        .where(Proposal.round_id == round_id)
        .order_by(col(Proposal.request_id), col(Proposal.rank))
    ).all()
    return row, list(proposals)


def request_proposals(*, session: Session, request_id: int) -> list[Proposal]:
    """Every proposal ever made for a request, latest round first, best rank first."""
    if session.get(CoachingRequest, request_id) is None:
        raise NotFound(messages.NOT_FOUND.format(what="request"))
    return list(
        session.exec(
            select(Proposal)
            .where(Proposal.request_id == request_id)
            .order_by(col(Proposal.round_id).desc(), col(Proposal.rank))
        )
    )


def my_proposals(*, session: Session, user: User) -> list[Proposal]:
    """The coaches proposed to a coachee, still to be decided."""
    return list(
        session.exec(
            select(Proposal)
            .join(CoachingRequest, col(CoachingRequest.id) == Proposal.request_id)
            .where(
                CoachingRequest.coachee_id == user.person_id,
                CoachingRequest.status == RequestStatus.proposed,  # not once cancelled
                Proposal.status == ProposalStatus.proposed,
            )
            .order_by(col(Proposal.request_id), col(Proposal.rank))
        )
    )


def _live(session: Session, proposal_id: int) -> tuple[Proposal, CoachingRequest]:
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound(messages.NOT_FOUND.format(what="proposal"))
    request = session.get(CoachingRequest, proposal.request_id)
    assert request is not None
    if proposal.status != ProposalStatus.proposed:
        raise Conflict(messages.PROPOSAL_STATE.format(status=proposal.status.value), field="status")
    if request.status != RequestStatus.proposed:
        raise Conflict(
            messages.PROPOSAL_REQUEST_STATE.format(status=request.status.value), field="status"
        )
    return proposal, request


def confirm_proposal(
    *, session: Session, settings: Settings, proposal_id: int, actor: User, now: datetime
) -> Engagement:
    """HR confirms a proposed coach: 409 when the pair no longer holds or its sessions
    cannot be planned; else the engagement (confirmed) with all its sessions planned and
    invited, the request matched, the request's other proposals superseded."""
    proposal, request = _live(session, proposal_id)
    return _confirm(session, settings, proposal, request, actor, now)


def choose_proposal(
    *, session: Session, settings: Settings, proposal_id: int, actor: User, now: datetime
) -> Engagement:
    """The coachee picks one of the coaches proposed to them: their choice confirms it
    (with the same checks as HR's). Only where several coaches were proposed."""
    proposal = session.get(Proposal, proposal_id)
    request = session.get(CoachingRequest, proposal.request_id) if proposal else None
    if proposal is None or request is None or request.coachee_id != actor.person_id:
        raise NotFound(messages.NOT_FOUND.format(what="proposal"))
    proposal, request = _live(session, proposal_id)
    offered = session.exec(
        select(func.count()).where(
            Proposal.request_id == request.id, Proposal.status == ProposalStatus.proposed
        )
    ).one()
    if offered < 2:
        raise Conflict(messages.PROPOSAL_SINGLE, field="proposal_id")
    return _confirm(session, settings, proposal, request, actor, now)


def _confirm(
    session: Session,
    settings: Settings,
    proposal: Proposal,
    request: CoachingRequest,
    actor: User,
    now: datetime,
) -> Engagement:
    lock_coach(session, proposal.coach_id)
    coach = session.get(Coach, proposal.coach_id)
    assert coach is not None and request.id is not None and coach.id is not None
    round_row = session.get(MatchingRound, proposal.round_id)
    assert round_row is not None
    params = RoundParams.from_json(round_row.parameters).starting(now.date())
    built = build_problem(
        session=session,
        settings=settings,
        now=now,
        params=params,
        request_ids=[request.id],
        coach_ids=[coach.id],
    )
    problems = pair_problems(built, rkey(request.id), ckey(coach.id))
    if problems:
        reasons = ", ".join(label(code) for code in problems)
        raise Conflict(messages.PROPOSAL_NO_LONGER_HOLDS.format(reasons=reasons), field="coach_id")
    changed = session.execute(
        update(CoachingRequest)
        .where(
            col(CoachingRequest.id) == request.id,
            col(CoachingRequest.status) == RequestStatus.proposed,
        )
        .values(status=RequestStatus.matched, updated_at=now)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict(messages.PROPOSAL_REQUEST_STATE.format(status="decided"), field="status")
    session.refresh(request)
    # A request whose coach was changed goes on where it was: the sessions still owed,
    # the contract's last version.
    engagement = start_engagement(
        session=session,
        settings=settings,
        request=request,
        coach=coach,
        now=now,
        predecessor=latest_reassigned(session, request.id),
        proposal_id=proposal.id,
        promised=promised_start(proposal),  # booked exactly while it is free
    )
    supersede_live(session=session, request_ids=[request.id], now=now, accepted=proposal.id)
    # The chemistry calls booked with the coaches set aside end with the choice: both
    # people are told now, and the coaches' time is free again at once.
    release_closed(session=session, settings=settings, now=now)
    session.commit()
    log.info(
        "proposal %s confirmed by user %s: engagement %s", proposal.id, actor.id, engagement.id
    )
    return engagement


def reject_proposal(
    *, session: Session, proposal_id: int, actor: User, now: datetime, reason: str | None = None
) -> Proposal:
    """HR turns a proposed coach down (later rounds will not propose them for this request),
    keeping HR's reason when one is given; when no proposal of the request is left, the
    request is open again."""
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > REJECT_REASON_MAX:
        raise InvalidInput(messages.REASON_TOO_LONG.format(max=REJECT_REASON_MAX), field="reason")
    proposal, request = _live(session, proposal_id)
    proposal.status = ProposalStatus.rejected
    proposal.decided_at = now
    proposal.reject_reason = reason
    session.add(proposal)
    session.flush()
    left = session.exec(
        select(func.count()).where(
            Proposal.request_id == request.id, Proposal.status == ProposalStatus.proposed
        )
    ).one()
    if left == 0:
        request.status = RequestStatus.open
        request.updated_at = now
        session.add(request)
    session.commit()
    log.info("proposal %s rejected by user %s", proposal.id, actor.id)
    return proposal


UNDO_WINDOW = timedelta(minutes=10)  # as a request's cancel


def rejection_undoable(
    session: Session, proposal: Proposal, *, rejected_at: datetime, now: datetime
) -> bool:
    """Whether the rejection made at `rejected_at` can still be undone: the proposal is as
    that rejection left it, less than `UNDO_WINDOW` ago, and its request has not moved on
    (still proposed, or reopened by this very rejection and unchanged since; no later
    round has proposed for it)."""
    request = session.get(CoachingRequest, proposal.request_id)
    if request is None or proposal.status != ProposalStatus.rejected:
        return False
    if proposal.decided_at != rejected_at or not timedelta(0) <= now - rejected_at <= UNDO_WINDOW:
        return False
    later = session.exec(
        select(func.count()).where(
            Proposal.request_id == proposal.request_id, Proposal.round_id > proposal.round_id
        )
    ).one()
    reopened = request.status == RequestStatus.open and request.updated_at == rejected_at
    return later == 0 and (request.status == RequestStatus.proposed or reopened)


def restore_rejected(
    *, session: Session, proposal_id: int, rejected_at: datetime, actor: User, now: datetime
) -> Proposal:
    """Undo HR's rejection made at `rejected_at` (see `rejection_undoable`): the proposal
    waits for a decision again, and its request with it."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound(messages.NOT_FOUND.format(what="proposal"))
    if not rejection_undoable(session, proposal, rejected_at=rejected_at, now=now):
        raise Conflict(messages.PROPOSAL_NOT_RESTORABLE, field="status")
    request = session.get(CoachingRequest, proposal.request_id)
    assert request is not None
    proposal.status = ProposalStatus.proposed
    proposal.decided_at = None
    proposal.reject_reason = None
    if request.status == RequestStatus.open:
        request.status = RequestStatus.proposed
        request.updated_at = now
        session.add(request)
    session.add(proposal)
    session.commit()
    log.info("proposal %s rejection undone by user %s", proposal.id, actor.id)
    return proposal
