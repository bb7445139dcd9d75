"""Erasing a person (`POST /people/{id}/erase`, HR): everything that names them goes,
what the programme's figures count stays.

In one transaction:
- the person becomes a pseudonym: name, email and org-chart id replaced by a random
  token's, inactive, `erased_at` set; unit, site and manager stay, so every report by
  unit, site or level counts them as before (and re-importing the org chart never brings
  the old identity back: it no longer matches their org-chart id);
- their accounts are closed for good (signed out, feed URLs and invitation links revoked,
  no password), their address a pseudonym's; an internal coach's offer is deactivated,
  their room link, calendar address and uploaded calendar removed;
- their future sessions are cancelled with METHOD:CANCEL invites through the usual paths:
  as the coachee, their live engagements end early (reason `other`, by HR); as the coach,
  theirs go back to HR's next round (as a reassignment). As a sponsor or a team's member
  of a live request they leave it (the contract goes on between the others), and the
  sessions they would attend are updated without them (SEQUENCE+1, METHOD:REQUEST to the
  others). Nothing is mailed to them (their address is gone);
- their briefs (description, objectives), their contracts' objectives and HR's reasons for
  the coaches turned down for them (or, as a coach, for turning them down) are erased;
  their open evaluations are withdrawn;
- every other trace of their name or address is replaced: mail kept in the outbox that
  was sent to them or names them is deleted, replies from them lose their address and
  raw bytes, free text elsewhere (reasons, testimonials, other calendars) is rewritten.
The audit log is left whole: it holds ids and column names only, never a name.
"""

from __future__ import annotations

import email
import hashlib
import json
import logging
import re
import secrets
from datetime import datetime
from email import policy
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, LargeBinary, String, delete, func, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from api.accounts.service import close_access
from api.audit.capture import note
from api.audit.chain import Draft
from api.chemistry.service import cancel_for_erasure
from api.db import get_or_404
from api.engagements import lifecycle
from api.engagements.transitions import release
from api.models import (
    AvailabilityException,
    BusyCalendar,
    CalendarSubscription,
    Coach,
    CoachingRequest,
    CoachPhoto,
    ContractVersion,
    Engagement,
    EvaluationInvitation,
    InboundReply,
    LoginThrottle,
    OutboxMessage,
    Person,
    PersonException,
    Proposal,
    RequestParticipant,
    User,
)
from api.models.enums import EndReason, EngagementStatus, RequestStatus
from api.outbox import ERASED_DOMAIN
from api.privacy.inventory import scope_of, tables
from api.rounds.live import supersede_live
from api.sessions.service import cancel_remaining, leave_sessions
from api.settings import Settings

log = logging.getLogger(__name__)

ENDABLE = (*lifecycle.LIVE, EngagementStatus.flagged)
# Tables whose text is handled by name above, or that never hold a name.
NOT_SWEPT = frozenset({"audit_log", "audit_head", "person", "outbox_message", "inbound_reply"})
SHORTEST_NAME = 4  # a shorter name is too likely inside other words to be replaced blindly


class ErasureReport(BaseModel):
    person_id: int
    already_erased: bool = False
    pseudonym: str
    accounts_closed: int = 0
    engagements_ended: int = 0
    engagements_released: int = 0
    requests_cancelled: int = 0
    sessions_cancelled: int = 0
    requests_left: int = 0  # live requests they sponsored or were a member of
    sessions_updated: int = 0  # future sessions that go on without them
    briefs_erased: int = 0
    contracts_erased: int = 0
    messages_removed: int = 0
    texts_rewritten: int = 0


def pseudonym_address(token: str, suffix: str = "") -> str:
    return f"erased-{token}{suffix}@{ERASED_DOMAIN}"


def erase_person(
    *, session: Session, settings: Settings, person_id: int, actor: User, now: datetime
) -> ErasureReport:
    person: Person = get_or_404(session, Person, person_id, "person")
    if person.erased_at is not None:
        return ErasureReport(person_id=person_id, already_erased=True, pseudonym=person.name)
    scope = scope_of(session, person)
    old_name, old_emails = person.name, set(scope.emails)
    token = secrets.token_hex(5)
    report = ErasureReport(person_id=person_id, pseudonym=f"Erased {token}")

    person.name, person.email = report.pseudonym, pseudonym_address(token)
    person.external_id = f"erased-{token}"
    person.active, person.erased_at, person.updated_at = False, now, now
    session.add(person)
    for user in session.exec(select(User).where(col(User.id).in_(scope.user_ids))):
        user.email = pseudonym_address(token, f"-{user.id}")
        user.name, user.active, user.password_hash = "", False, None
        session.add(user)
        report.accounts_closed += 1
    close_access(session, user_ids=scope.user_ids, now=now)
    session.flush()  # the invites below name the pseudonym

    _sessions_and_engagements(session, settings, person_id, scope.coach_id, now, report)
    cancel_for_erasure(
        session=session, settings=settings, person_id=person_id, coach_id=scope.coach_id, now=now
    )
    _briefs(session, person_id, report)
    _coach(session, scope.coach_id)
    session.execute(
        update(PersonException).where(col(PersonException.person_id) == person_id).values(reason="")
    )
    session.execute(
        delete(EvaluationInvitation).where(col(EvaluationInvitation.person_id) == person_id)
    )
    _traces(session, old_name, old_emails, report)
    note(
        session,
        Draft(
            action="erase",
            target="person",
            target_id=str(person_id),
            subject_person_id=person_id,
            user_id=actor.id,
            role=actor.role.value,
        ),
    )
    session.commit()
    log.info(
        "person %s erased: %d sessions cancelled, %d engagements ended, %d released",
        person_id, report.sessions_cancelled, report.engagements_ended,
        report.engagements_released,
    )  # fmt: skip
    return report


def _sessions_and_engagements(
    session: Session,
    settings: Settings,
    person_id: int,
    coach_id: int | None,
    now: datetime,
    report: ErasureReport,
) -> None:
    as_coachee = list(
        session.exec(
            select(Engagement, CoachingRequest)
            .join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id)
            .where(CoachingRequest.coachee_id == person_id, col(Engagement.status).in_(ENDABLE))
        )
    )
    for engagement, request in as_coachee:
        cancelled = cancel_remaining(
            session=session, settings=settings, engagement=engagement, now=now, cancelled_by="hr"
        )
        report.sessions_cancelled += len(cancelled)
        engagement.end_reason, engagement.ended_by, engagement.ended_at = EndReason.other, "hr", now
        lifecycle.move(engagement, EngagementStatus.ended_early, now)
        session.add(engagement)
        request.status, request.updated_at = RequestStatus.closed, now
        session.add(request)
        report.engagements_ended += 1
    if coach_id is not None:
        coached = session.exec(
            select(Engagement).where(
                Engagement.coach_id == coach_id, col(Engagement.status).in_(ENDABLE)
            )
        ).all()
        for engagement in coached:
            before = _planned(session, engagement.id or 0, now)
            release(
                session=session,
                settings=settings,
                engagement=engagement,
                reason=EndReason.other,
                now=now,
            )
            report.sessions_cancelled += before
            report.engagements_released += 1
    waiting = session.exec(
        select(CoachingRequest).where(
            CoachingRequest.coachee_id == person_id,
            col(CoachingRequest.status).in_([RequestStatus.open, RequestStatus.proposed]),
        )
    ).all()
    for request in waiting:
        request.status, request.updated_at = RequestStatus.cancelled, now
        session.add(request)
        supersede_live(session=session, request_ids=[request.id or 0], now=now)
        report.requests_cancelled += 1
    # A sponsor or a team's member leaves the live requests: the work goes on without them.
    live = [RequestStatus.open, RequestStatus.proposed, RequestStatus.matched]
    for request in session.exec(
        select(CoachingRequest).where(
            CoachingRequest.sponsor_id == person_id, col(CoachingRequest.status).in_(live)
        )
    ).all():
        request.sponsor_id, request.updated_at = None, now
        session.add(request)
        report.requests_left += 1
    memberships = session.exec(
        select(RequestParticipant)
        .join(CoachingRequest, col(CoachingRequest.id) == RequestParticipant.request_id)
        .where(RequestParticipant.person_id == person_id, col(CoachingRequest.status).in_(live))
    ).all()
    for member in memberships:
        session.delete(member)
        report.requests_left += 1
    session.flush()
    report.sessions_updated = len(
        leave_sessions(session=session, settings=settings, attendee=f"p{person_id}", now=now)
    )


def _planned(session: Session, engagement_id: int, now: datetime) -> int:
    from api.models import CoachingSession
    from api.models.enums import SessionStatus

    return session.exec(
        select(func.count())
        .select_from(CoachingSession)
        .where(
            CoachingSession.engagement_id == engagement_id,
            CoachingSession.status == SessionStatus.planned,
            col(CoachingSession.start_at) > now,
        )
    ).one()


def _briefs(session: Session, person_id: int, report: ErasureReport) -> None:
    requests = session.exec(
        select(CoachingRequest).where(CoachingRequest.coachee_id == person_id)
    ).all()
    ids = []
    for request in requests:
        ids.append(request.id or 0)
        if request.description is not None or request.objectives is not None:
            request.description = request.objectives = None
            session.add(request)
            report.briefs_erased += 1
    versions = session.exec(
        select(ContractVersion)
        .join(Engagement, col(Engagement.id) == ContractVersion.engagement_id)
        .where(col(Engagement.request_id).in_(ids))
    ).all()
    for version in versions:
        if version.objectives:
            version.objectives = []
            session.add(version)
            report.contracts_erased += 1
    _reject_reasons(session, col(Proposal.request_id).in_(ids))


def _reject_reasons(session: Session, where: Any) -> None:
    """HR's reasons for turning coaches down (free text, like a note) go with the person."""
    session.execute(
        update(Proposal)
        .where(where, col(Proposal.reject_reason).is_not(None))
        .values(reject_reason=None)
    )


def _coach(session: Session, coach_id: int | None) -> None:
    if coach_id is None:
        return
    _reject_reasons(session, col(Proposal.coach_id) == coach_id)
    coach = session.get_one(Coach, coach_id)
    coach.active, coach.room_url, coach.bio = False, None, None
    session.add(coach)
    session.execute(delete(CoachPhoto).where(col(CoachPhoto.coach_id) == coach_id))
    session.execute(
        delete(CalendarSubscription).where(col(CalendarSubscription.coach_id) == coach_id)
    )
    for upload in session.exec(select(BusyCalendar).where(BusyCalendar.coach_id == coach_id)):
        upload.content, upload.size, upload.filename = b"", 0, "calendar.ics"
        upload.sha256 = hashlib.sha256(b"").hexdigest()
        session.add(upload)
    session.execute(
        update(AvailabilityException)
        .where(col(AvailabilityException.coach_id) == coach_id)
        .values(reason="")
    )


def _mail_text(raw: bytes) -> str:
    """Every text part of a message, decoded (names hide in quoted-printable and base64)."""
    message = email.message_from_bytes(raw, policy=policy.default)
    parts = [str(v) for v in message.values()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            try:
                parts.append(part.get_content())
            except (LookupError, ValueError):
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    parts.append(payload.decode("utf-8", "replace"))
    return "\n".join(parts)


def _names(old_name: str, old_emails: set[str]) -> list[str]:
    needles = sorted(old_emails, key=len, reverse=True)
    if len(old_name.strip()) >= SHORTEST_NAME:
        needles.append(old_name.strip())
    return needles


def _mentions(text: str, needles: list[str]) -> bool:
    low = text.lower()
    return any(n.lower() in low for n in needles)


def _traces(session: Session, old_name: str, old_emails: set[str], report: ErasureReport) -> None:
    needles = _names(old_name, old_emails)
    session.flush()
    for row in session.exec(select(OutboxMessage)).all():
        heading = f"{row.recipient}\n{row.subject}\n{row.dedupe_key}"
        if _mentions(heading, needles) or _mentions(_mail_text(row.raw_mime), needles):
            session.delete(row)
            report.messages_removed += 1
    for reply in session.exec(select(InboundReply)).all():
        named = reply.attendee_email is not None and reply.attendee_email.lower() in old_emails
        raw = reply.raw is not None and _mentions(_mail_text(reply.raw), needles)
        if named or raw:
            reply.attendee_email = None if named else reply.attendee_email
            reply.raw = None
            session.add(reply)
    session.execute(
        delete(LoginThrottle).where(
            col(LoginThrottle.scope) == "account", col(LoginThrottle.key).in_(sorted(old_emails))
        )
    )
    session.flush()
    report.texts_rewritten = _sweep(session, needles, report.pseudonym)


def _replace(text: str, needles: list[str], pseudonym: str) -> str:
    for needle in needles:
        text = re.sub(re.escape(needle), pseudonym, text, flags=re.IGNORECASE)
    return text


def _sweep(session: Session, needles: list[str], pseudonym: str) -> int:
    """Rewrite every other text, JSON and file column that still names the person."""
    rewritten = 0
    connection = session.connection()
    for name, table in tables().items():
        if name in NOT_SWEPT:
            continue
        keys = list(table.primary_key.columns)
        for column in table.columns:
            kind = column.type
            kind = getattr(kind, "impl", kind)  # SQLModel's AutoString decorates a String
            if isinstance(kind, String):
                found = connection.execute(
                    sa_select(*keys, column).where(
                        or_(
                            *(column.contains(n, autoescape=True) for n in needles),
                            *(
                                func.lower(column).contains(n.lower(), autoescape=True)
                                for n in needles
                            ),
                        )
                    )
                ).all()
            elif isinstance(kind, JSON | LargeBinary):
                found = [
                    r
                    for r in connection.execute(sa_select(*keys, column).where(column.is_not(None)))
                    if _mentions(_text(r[-1]), needles)
                ]
            else:
                continue
            for row in found:
                value = _rewritten(row[-1], needles, pseudonym)
                where = [k == row[i] for i, k in enumerate(keys)]
                connection.execute(update(table).where(*where).values({column.name: value}))
                rewritten += 1
    return rewritten


def _text(value: Any) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _rewritten(value: Any, needles: list[str], pseudonym: str) -> Any:
    if isinstance(value, bytes | memoryview):
        return _replace(bytes(value).decode("utf-8", "replace"), needles, pseudonym).encode()
    if isinstance(value, str):
        return _replace(value, needles, pseudonym)
    return json.loads(_replace(json.dumps(value, ensure_ascii=False), needles, pseudonym))
