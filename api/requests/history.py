"""A request's history for HR, in time order, from what the database already keeps: the
request's own times, its proposals and rounds, chemistry calls, engagements, contracts
and sessions, and the audit log (who changed what, by column name: never a value).

Every event names people and coaches, never by id; it carries no brief, objective or
note (the audit log holds column names only). HR's own words (a cancel's or a
rejection's reason) are in it: this history is HR's page only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from api import messages
from api.errors import NotFound
from api.models import (
    AuditEntry,
    Coach,
    CoachingRequest,
    CoachingSession,
    ContractAcknowledgement,
    ContractVersion,
    Engagement,
    MatchingRound,
    Person,
    Proposal,
    User,
)
from api.models.chemistry import CallState, ChemistryCall
from api.models.enums import EngagementStatus, ProposalStatus, RequestStatus, SessionStatus
from api.models.requests import RequestBase

# The request's columns HR or the coachee edit (an audit entry's fields among these is
# an edit; the others are the request's own moves, told by their own events).
EDITED = (
    *(name for name in RequestBase.model_fields if name != "coachee_id"),
    "description",
    "objectives",
)
CANCEL_COLUMNS = frozenset({"status_before_cancel"})
# Every kind of event (HR's page words each one).
KINDS = (
    "submitted",
    "edited",
    "cancelled",
    "restored",
    "proposed",
    "rejected",
    "call_booked",
    "call_cancelled",
    "confirmed",
    "chosen",
    "coach_changed",
    "contract",
    "acknowledged",
    "session_booked",
    "session_moved",
    "session_ended",
    "engagement_completed",
    "engagement_ended_early",
    "engagement_reassigned",
    "closed",
)
ENDED = (EngagementStatus.completed, EngagementStatus.ended_early, EngagementStatus.reassigned)


@dataclass(frozen=True)
class Event:
    """One thing that happened: `kind` says what (the page words it), the rest fills it."""

    at: datetime
    kind: str
    actor: str = ""  # who did it: the account's name ("" when it has none, or nobody)
    actor_role: str = ""  # the account's role then ("" for a job or the command line)
    coach: str = ""
    coaches: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()  # edited columns (the page words them)
    reason: str = ""  # HR's words, or a reason code (`code`)
    code: str = ""  # an end reason, a session's or an engagement's state, a party's role
    number: int = 0  # a session's number, a contract's version
    start: datetime | None = None  # a session's or a call's time (when still known)
    link: str = ""  # a page of HR's about it (a round)
    order: int = field(default=0, compare=False)  # ties at the same instant: as recorded


def _actors(session: Session, user_ids: Iterable[int | None]) -> dict[int, tuple[str, str]]:
    """Accounts' (name, role): the person's or coach's name, else the account's own."""
    wanted = {i for i in user_ids if i is not None}
    if not wanted:
        return {}
    users = list(session.exec(select(User).where(col(User.id).in_(wanted))))
    people = _names(session, Person, [u.person_id for u in users])
    coaches = _names(session, Coach, [u.coach_id for u in users])
    out: dict[int, tuple[str, str]] = {}
    for user in users:
        name = people.get(user.person_id or 0) or coaches.get(user.coach_id or 0) or user.name
        out[user.id or 0] = (name or "", user.role.value)
    return out


def _names(
    session: Session, model: type[Person] | type[Coach], ids: Iterable[int | None]
) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(model.id, model.name).where(col(model.id).in_(wanted)))
    return {i: name or "" for i, name in rows if i is not None}


class _Book:
    """The events as they are found (then sorted), and the audit entries that say who."""

    def __init__(self, actors: dict[int, tuple[str, str]], entries: list[AuditEntry]) -> None:
        self.events: list[Event] = []
        self.actors = actors
        self.entries = entries

    def add(self, at: datetime | None, kind: str, *, by: int | None = None, **values: Any) -> None:
        if at is None:
            return
        name, role = self.actors.get(by or 0, ("", ""))
        self.events.append(
            Event(at=at, kind=kind, actor=name, actor_role=role, order=len(self.events), **values)
        )

    def of(self, target: str, row_id: int | None) -> list[AuditEntry]:
        """The entries about one row, oldest first."""
        return [e for e in self.entries if e.target == target and e.target_id == str(row_id)]

    def who(
        self, target: str, row_id: int | None, *, action: str = "update", field: str = ""
    ) -> int | None:
        """The account of the row's last `action` (that changed `field`, if given)."""
        found = [
            e
            for e in self.of(target, row_id)
            if e.action == action and (not field or field in e.fields)
        ]
        return found[-1].actor_user_id if found else None

    def sorted(self) -> list[Event]:
        return sorted(self.events, key=lambda e: (e.at, e.order))


def request_history(*, session: Session, request_id: int) -> list[Event]:
    """What happened to the request, oldest first."""
    request = session.get(CoachingRequest, request_id)
    if request is None:
        raise NotFound(messages.NOT_FOUND.format(what="request"))
    proposals = list(
        session.exec(
            select(Proposal)
            .where(Proposal.request_id == request_id)
            .order_by(col(Proposal.round_id), col(Proposal.rank))
        )
    )
    engagements = list(
        session.exec(
            select(Engagement)
            .where(Engagement.request_id == request_id)
            .order_by(col(Engagement.id))
        )
    )
    engagement_ids = [e.id or 0 for e in engagements]
    sessions = list(
        session.exec(
            select(CoachingSession)
            .where(col(CoachingSession.engagement_id).in_(engagement_ids))
            .order_by(col(CoachingSession.engagement_id), col(CoachingSession.number))
        )
    )
    contracts = list(
        session.exec(
            select(ContractVersion)
            .where(col(ContractVersion.engagement_id).in_(engagement_ids))
            .order_by(col(ContractVersion.engagement_id), col(ContractVersion.version))
        )
    )
    acks = list(
        session.exec(
            select(ContractAcknowledgement).where(
                col(ContractAcknowledgement.contract_id).in_([c.id or 0 for c in contracts])
            )
        )
    )
    calls = list(
        session.exec(
            select(ChemistryCall)
            .where(col(ChemistryCall.proposal_id).in_([p.id or 0 for p in proposals]))
            .order_by(col(ChemistryCall.id))
        )
    )
    entries = _entries(
        session,
        {
            "coaching_request": [request_id],
            "proposal": [p.id for p in proposals],
            "chemistry_call": [c.id for c in calls],
            "engagement": engagement_ids,
            "contract_version": [c.id for c in contracts],
            "contract_acknowledgement": [a.id for a in acks],
            "coaching_session": [s.id for s in sessions],
        },
    )
    actors = _actors(session, [e.actor_user_id for e in entries] + [request.submitted_by_id])
    coach_ids = [p.coach_id for p in proposals] + [e.coach_id for e in engagements]
    coaches = _names(session, Coach, coach_ids)
    people = _names(session, Person, [request.coachee_id, request.sponsor_id])
    book = _Book(actors, entries)

    book.add(request.submitted_at, "submitted", by=request.submitted_by_id)
    _request_moves(book, request)
    _proposals(book, session, proposals, coaches)
    # the choice comes before the calls it cancelled (at the same instant)
    _engagements(book, engagements, coaches)
    for call in calls:
        coach = coaches.get(call.coach_id, "")
        by = book.who("chemistry_call", call.id, action="insert")
        book.add(call.created_at, "call_booked", by=by, coach=coach, start=call.start_at)
        if call.state == CallState.cancelled:
            by = book.who("chemistry_call", call.id, field="state")
            book.add(call.cancelled_at, "call_cancelled", by=by, coach=coach, start=call.start_at)
    _contracts(book, request, engagements, contracts, acks, coaches, people)
    _sessions(book, sessions)
    if request.status == RequestStatus.closed:
        ended = [e.ended_at for e in engagements if e.ended_at is not None]
        book.add(max(ended) if ended else request.updated_at, "closed")
    return book.sorted()


def _entries(session: Session, rows: dict[str, Sequence[int | None]]) -> list[AuditEntry]:
    """The audit entries about the request's rows (table -> ids), oldest first."""
    about = [
        and_(
            col(AuditEntry.target) == target,
            col(AuditEntry.target_id).in_([str(i) for i in ids if i is not None]),
        )
        for target, ids in rows.items()
    ]
    return list(session.exec(select(AuditEntry).where(or_(*about)).order_by(col(AuditEntry.seq))))


def _request_moves(book: _Book, request: CoachingRequest) -> None:
    """Edits, cancels and their undoing (a cancel and its undo both set the status kept
    for the undo: they alternate, a cancel first)."""
    cancels = 0
    for entry in book.of("coaching_request", request.id):
        if entry.action != "update":
            continue
        edited = tuple(f for f in EDITED if f in entry.fields)
        if edited:
            book.add(entry.at, "edited", by=entry.actor_user_id, fields=edited)
        if CANCEL_COLUMNS & set(entry.fields):
            cancels += 1
            kind = "cancelled" if cancels % 2 else "restored"
            last = request.status == RequestStatus.cancelled and kind == "cancelled"
            reason = (request.cancel_reason or "") if last else ""
            book.add(entry.at, kind, by=entry.actor_user_id, reason=reason)
    if cancels == 0 and request.status == RequestStatus.cancelled:
        book.add(request.updated_at, "cancelled", reason=request.cancel_reason or "")


def _proposals(
    book: _Book, session: Session, proposals: list[Proposal], coaches: dict[int, str]
) -> None:
    """Each round's coaches proposed, then each rejection with HR's reason."""
    rounds: dict[int, list[Proposal]] = {}
    for proposal in proposals:
        rounds.setdefault(proposal.round_id, []).append(proposal)
    rows = {
        r.id: r
        for r in session.exec(select(MatchingRound).where(col(MatchingRound.id).in_(list(rounds))))
    }
    for round_id, offered in rounds.items():
        row = rows.get(round_id)
        if row is None:
            continue
        at = row.committed_at or row.finished_at or row.created_at
        names = tuple(coaches.get(p.coach_id, "") for p in offered)
        book.add(at, "proposed", by=row.created_by_id, coaches=names, link=f"/hr/rounds/{round_id}")
    for proposal in proposals:
        if proposal.status == ProposalStatus.rejected:
            book.add(
                proposal.decided_at,
                "rejected",
                by=book.who("proposal", proposal.id, field="status"),
                coach=coaches.get(proposal.coach_id, ""),
                reason=proposal.reject_reason or "",
            )


def _engagements(book: _Book, engagements: list[Engagement], coaches: dict[int, str]) -> None:
    """The coach confirmed (by HR) or chosen (by the coachee), and how it ended."""
    for engagement in engagements:
        coach = coaches.get(engagement.coach_id, "")
        created = next(
            (e for e in book.of("engagement", engagement.id) if e.action == "insert"), None
        )
        if engagement.predecessor_id is not None:
            kind = "coach_changed"
        else:
            kind = "chosen" if created and created.actor_role == "coachee" else "confirmed"
        by = created.actor_user_id if created else None
        book.add(engagement.confirmed_at or engagement.created_at, kind, by=by, coach=coach)
        if engagement.status in ENDED:
            book.add(
                engagement.ended_at or engagement.updated_at,
                f"engagement_{engagement.status.value}",
                by=book.who("engagement", engagement.id, field="status"),
                coach=coach,
                code=engagement.end_reason.value if engagement.end_reason else "",
            )


def _contracts(
    book: _Book,
    request: CoachingRequest,
    engagements: list[Engagement],
    contracts: list[ContractVersion],
    acks: list[ContractAcknowledgement],
    coaches: dict[int, str],
    people: dict[int, str],
) -> None:
    """Each contract version drawn up, and each party's acknowledgement, by name."""
    by_id = {e.id: e for e in engagements}
    for contract in contracts:
        by = book.who("contract_version", contract.id, action="insert")
        book.add(contract.created_at, "contract", by=by, number=contract.version)
    versions = {c.id: (c.version, by_id.get(c.engagement_id)) for c in contracts}
    for ack in sorted(acks, key=lambda a: (a.acknowledged_at, a.id or 0)):
        version, engagement = versions.get(ack.contract_id, (0, None))
        parties = {
            "coach": coaches.get(engagement.coach_id, "") if engagement else "",
            "coachee": people.get(request.coachee_id, ""),
            "sponsor": people.get(request.sponsor_id or 0, ""),
        }
        by = book.who("contract_acknowledgement", ack.id, action="insert")
        book.add(
            ack.acknowledged_at,
            "acknowledged",
            by=by,
            number=version,
            coach=parties.get(ack.role, ""),
            code=ack.role,
        )


def _sessions(book: _Book, sessions: list[CoachingSession]) -> None:
    """Booked (with its time, unless moved since), each move (the last one with the new
    time), and how it ended (held, cancelled, no-show)."""
    for row in sessions:
        moves = [
            e
            for e in book.of("coaching_session", row.id)
            if e.action == "update" and "start_at" in e.fields
        ]
        book.add(
            row.created_at,
            "session_booked",
            number=row.number,
            start=None if moves else row.start_at,
        )
        for i, move in enumerate(moves):
            last = i == len(moves) - 1
            book.add(
                move.at,
                "session_moved",
                by=move.actor_user_id,
                number=row.number,
                start=row.start_at if last else None,
            )
        if row.status != SessionStatus.planned:
            book.add(
                row.last_change_at,
                "session_ended",
                by=book.who("coaching_session", row.id, field="status"),
                number=row.number,
                code=row.status.value,
                start=row.start_at,
            )
