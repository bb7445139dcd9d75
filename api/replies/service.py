"""Applying iTIP replies to sessions, and the coach's answer to a proposed new time.

A reply is applied only when it names a known session (UID), comes from one of that
session's attendees and answers a SEQUENCE the service has sent; anything else is
quarantined (kept with its bytes, logged by id and reason) and changes nothing. A reply to
an earlier SEQUENCE than the current one is recorded as stale: it answered a time that
has since changed. Every message is recorded once: read again, it changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api import messages
from api.errors import Conflict, NotFound
from api.models import (
    Coach,
    CoachingRequest,
    CoachingSession,
    Engagement,
    InboundReply,
    Person,
    RescheduleRequest,
    SessionAttendance,
    User,
)
from api.models.enums import Role, SessionStatus
from api.outbox import enqueue
from api.replies.notices import notice
from api.replies.parse import Answer, Inbound, read_reply
from api.sessions.invites import SESSIONS_PAGE
from api.sessions.service import reschedule_session
from api.settings import Settings

log = logging.getLogger(__name__)

ANSWERS = ("ACCEPTED", "TENTATIVE", "DECLINED")
RAW_KEPT = 256_000  # bytes of a quarantined message kept for whoever runs the service


@dataclass
class ReplyReport:
    applied: int = 0
    stale: int = 0
    counters: int = 0
    quarantined: int = 0
    duplicates: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, outcome: str, reason: str | None) -> None:
        name = {"counter": "counters"}.get(outcome, outcome)
        setattr(self, name, getattr(self, name) + 1)
        if reason:
            self.reasons.append(reason)


@dataclass(frozen=True)
class Party:
    key: str  # attendance key
    role: str
    email: str
    name: str
    language: str
    zone: str


def _parties(session: Session, row: CoachingSession, coach: Coach) -> list[Party]:
    """The session's attendees with their addresses, as the invites were sent."""
    out = []
    for item in session.exec(
        select(SessionAttendance).where(SessionAttendance.session_id == row.id)
    ):
        if item.attendee.startswith("p"):
            person = session.get(Person, int(item.attendee[1:]))
            if person is None:
                continue
            zone = coach.timezone if item.role == "coach" else person.timezone
            out.append(
                Party(item.attendee, item.role, person.email, person.name, person.language, zone)
            )
        else:  # an external coach
            account = session.exec(select(User).where(User.coach_id == coach.id)).first()
            language = account.language if account is not None else "en"
            email, name = coach.email or "", coach.name or ""
            out.append(Party(item.attendee, item.role, email, name, language, coach.timezone))
    return out


def _record(
    session: Session,
    inbound: Inbound,
    answer: Answer | None,
    *,
    source: str,
    outcome: str,
    reason: str | None,
    now: datetime,
    raw: bytes,
    row: CoachingSession | None = None,
) -> InboundReply | None:
    """The message's one row; None when it was recorded before (read twice)."""
    reply = InboundReply(
        message_key=inbound.key,
        source=source,
        received_at=now,
        method=answer.method if answer else None,
        uid=(answer.uid or "")[:255] or None if answer else None,
        sequence=answer.sequence if answer else None,
        attendee_email=(answer.attendee or "")[:254] or None if answer else None,
        partstat=(answer.partstat or "")[:20] or None if answer else None,
        outcome=outcome,
        reason=reason,
        session_id=row.id if row is not None else None,
        raw=raw[:RAW_KEPT] if outcome == "quarantined" else None,
    )
    try:
        with session.begin_nested():
            session.add(reply)
    except IntegrityError:
        return None
    if outcome == "quarantined":
        log.warning("reply %s quarantined: %s", reply.id, reason)
    else:
        log.info("reply %s %s (session %s)", reply.id, outcome, reply.session_id)
    return reply


def _already(session: Session, key: str) -> bool:
    return (
        session.exec(select(InboundReply.id).where(InboundReply.message_key == key)).first()
        is not None
    )


def handle_message(
    *, session: Session, settings: Settings, raw: bytes, source: str, now: datetime
) -> ReplyReport:
    """Read one email and apply what it answers; commits. Never raises for what the
    message says: a message that cannot be applied is quarantined."""
    report = ReplyReport()
    if len(raw) > settings.reply_max_bytes:
        inbound = read_reply(raw[:4096])  # the headers give the key
        inbound = Inbound(inbound.key, inbound.sender, problem="too_large")
    else:
        inbound = read_reply(raw)
    if _already(session, inbound.key):
        report.add("duplicates", None)
        return report
    if inbound.problem is not None or len(inbound.answers) != 1:
        reason = inbound.problem or "several_events"
        first = inbound.answers[0] if inbound.answers else None
        kept = _record(
            session,
            inbound,
            first,
            source=source,
            outcome="quarantined",
            reason=reason,
            now=now,
            raw=raw,
        )
        session.commit()
        report.add("quarantined" if kept else "duplicates", reason if kept else None)
        return report
    outcome, why = _apply(session, settings, inbound, inbound.answers[0], source, now, raw)
    report.add(outcome, why)
    return report


def _apply(
    session: Session,
    settings: Settings,
    inbound: Inbound,
    answer: Answer,
    source: str,
    now: datetime,
    raw: bytes,
) -> tuple[str, str | None]:
    def finish(
        outcome: str, reason: str | None = None, row: CoachingSession | None = None
    ) -> InboundReply | None:
        return _record(
            session,
            inbound,
            answer,
            source=source,
            outcome=outcome,
            reason=reason,
            now=now,
            raw=raw,
            row=row,
        )

    found = (
        session.exec(
            select(CoachingSession, Engagement, CoachingRequest, Coach)
            .join(Engagement, col(Engagement.id) == CoachingSession.engagement_id)
            .join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id)
            .join(Coach, col(Coach.id) == Engagement.coach_id)
            .where(CoachingSession.uid == answer.uid)
        ).first()
        if answer.uid
        else None
    )
    problem: str | None = None
    if found is None:
        problem = "unknown_uid"
    else:
        row, _engagement, request, coach = found
        parties = _parties(session, row, coach)
        party = next((p for p in parties if p.email.lower() == answer.attendee), None)
        if party is None:
            problem = "unknown_attendee"
        elif answer.sequence < 0 or answer.sequence > row.sequence:
            problem = "unknown_sequence"
        elif answer.method == "REPLY" and answer.partstat not in ANSWERS:
            problem = "unsupported_answer"
        elif answer.method == "COUNTER" and (
            answer.start is None or answer.end is None or answer.end <= answer.start
        ):
            problem = "no_proposed_time"
    if problem is not None or found is None:
        kept = finish("quarantined", problem, found[0] if found else None)
        session.commit()
        return ("quarantined", problem) if kept else ("duplicates", None)
    assert party is not None
    if answer.sequence < row.sequence or row.status != SessionStatus.planned:
        why = "older_sequence" if row.status == SessionStatus.planned else "session_not_planned"
        kept = finish("stale", why, row)
        session.commit()
        return ("stale", None) if kept else ("duplicates", None)
    if answer.method == "COUNTER":
        reply = finish("counter", None, row)
        if reply is None:
            session.commit()
            return "duplicates", None
        _counter(session, settings, row, request, coach, party, parties, answer, reply, now)
        session.commit()
        return "counter", None
    reply = finish("applied", None, row)
    if reply is None:
        session.commit()
        return "duplicates", None
    attendance = session.exec(
        select(SessionAttendance).where(
            SessionAttendance.session_id == row.id, SessionAttendance.attendee == party.key
        )
    ).one()
    before = attendance.partstat
    attendance.partstat, attendance.partstat_at = str(answer.partstat), now
    session.add(attendance)
    if answer.partstat == "DECLINED" and before != "DECLINED":
        _tell_decline(session, settings, row, request, party, parties, now)
    session.commit()
    return "applied", None


def _hr_readers(session: Session, settings: Settings) -> list[tuple[str, str, str]]:
    return [
        (u.email, u.language, settings.default_timezone)
        for u in session.exec(select(User).where(User.role == Role.hr, col(User.active)))
    ]


def _tell_decline(
    session: Session,
    settings: Settings,
    row: CoachingSession,
    request: CoachingRequest,
    party: Party,
    parties: list[Party],
    now: datetime,
) -> None:
    """The coach hears of a decline; HR too for a first (tripartite) session or when the
    coach is the one who declines."""
    readers = [(p.email, p.language, p.zone) for p in parties if p.role == "coach"]
    if party.role == "coach":
        readers = []
    if row.number == 1 or party.role == "coach":
        readers += _hr_readers(session, settings)
    total = max(request.sessions, row.number)
    for email, language, zone in readers:
        message = notice(
            "declined",
            to=email,
            language=language,
            zone=zone,
            name=party.name or party.email,
            role=party.role,
            index=row.number,
            total=total,
            start=row.start_at,
            end=row.end_at,
            url=settings.base_url + SESSIONS_PAGE,
        )
        enqueue(
            session,
            kind="reply.declined",
            dedupe_key=f"declined:{row.id}:seq:{row.sequence}:{party.key}:{email}",
            message=message,
            settings=settings,
            now=now,
        )


def _counter(
    session: Session,
    settings: Settings,
    row: CoachingSession,
    request: CoachingRequest,
    coach: Coach,
    party: Party,
    parties: list[Party],
    answer: Answer,
    reply: InboundReply,
    now: datetime,
) -> None:
    """A proposed new time becomes the attendee's one pending request for the session,
    and the coach is told."""
    assert answer.start is not None and answer.end is not None
    for older in session.exec(
        select(RescheduleRequest).where(
            RescheduleRequest.session_id == row.id,
            RescheduleRequest.attendee == party.key,
            RescheduleRequest.status == "pending",
        )
    ):
        older.status, older.decided_at = "superseded", now
        session.add(older)
    assert row.id is not None
    session.add(
        RescheduleRequest(
            session_id=row.id,
            attendee=party.key,
            role=party.role,
            proposed_start=answer.start,
            proposed_end=answer.end,
            sequence=answer.sequence,
            created_at=now,
            reply_id=reply.id,
        )
    )
    if party.role == "coach":
        return  # the coach moves their own sessions directly
    total = max(request.sessions, row.number)
    for p in parties:
        if p.role != "coach":
            continue
        message = notice(
            "counter",
            to=p.email,
            language=p.language,
            zone=p.zone,
            name=party.name or party.email,
            role=party.role,
            index=row.number,
            total=total,
            start=row.start_at,
            end=row.end_at,
            url=settings.base_url + SESSIONS_PAGE,
            proposed=(answer.start, answer.end),
        )
        enqueue(
            session,
            kind="reply.counter",
            dedupe_key=f"counter:{reply.id}:{p.key}",
            message=message,
            settings=settings,
            now=now,
        )


def _request_of_coach(session: Session, request_id: int, actor: User) -> RescheduleRequest:
    found = session.exec(
        select(RescheduleRequest, Engagement)
        .join(CoachingSession, col(CoachingSession.id) == RescheduleRequest.session_id)
        .join(Engagement, col(Engagement.id) == CoachingSession.engagement_id)
        .where(RescheduleRequest.id == request_id)
    ).first()
    if found is None or found[1].coach_id != actor.coach_id:
        raise NotFound(messages.NOT_FOUND.format(what="reschedule request"))
    item = found[0]
    if item.status != "pending":
        raise Conflict(messages.RESCHEDULE_REQUEST_STATE.format(status=item.status), field="status")
    return item


def pending_requests(*, session: Session, actor: User) -> list[RescheduleRequest]:
    """The coach's pending proposed times, oldest first."""
    return list(
        session.exec(
            select(RescheduleRequest)
            .join(CoachingSession, col(CoachingSession.id) == RescheduleRequest.session_id)
            .join(Engagement, col(Engagement.id) == CoachingSession.engagement_id)
            .where(Engagement.coach_id == actor.coach_id, RescheduleRequest.status == "pending")
            .order_by(col(RescheduleRequest.id))
        )
    )


def accept_request(
    *, session: Session, settings: Settings, request_id: int, actor: User, now: datetime
) -> list[CoachingSession]:
    """Move the session to the proposed time (checked like any move: everyone's windows
    and sessions, the cadence, the daily maximum); everyone gets the updated invite."""
    item = _request_of_coach(session, request_id, actor)
    item.status, item.decided_at = "accepted", now
    session.add(item)
    session.flush()  # kept in the transaction the move commits
    return reschedule_session(
        session=session,
        settings=settings,
        session_id=item.session_id,
        actor=actor,
        start_at=item.proposed_start,
        now=now,
    )


def decline_request(
    *, session: Session, request_id: int, actor: User, now: datetime
) -> RescheduleRequest:
    item = _request_of_coach(session, request_id, actor)
    item.status, item.decided_at = "declined", now
    session.add(item)
    session.commit()
    return item


def answers_of(*, session: Session, row: CoachingSession) -> list[SessionAttendance]:
    return list(
        session.exec(
            select(SessionAttendance)
            .where(SessionAttendance.session_id == row.id)
            .order_by(col(SessionAttendance.id))
        )
    )
