"""The retention policy: a request whose engagements all ended more than
`COACHMATCH_RETENTION_YEARS` (3) years ago is pseudonymised by a daily job.

The request keeps what the programme's figures count (its kind, themes, dates, sessions,
states, the coach, evaluations already detached) and loses who it was about: its coachee,
sponsor and other participants are replaced by pseudonyms (new, inactive people with the
same unit, site, manager, zone and language, so reports by unit, site or level count
them as before, and a random name), the brief and the contracts' objectives are erased,
the sessions' attendance and reschedule requests point at the pseudonyms, replies to
its invites lose their address and bytes, open evaluation invitations go. Mail older than
the same period (sent or given up) is deleted from the outbox. The real people stay as
they are: they may have newer requests, and only this old one is cut from them.

A person reached by several old requests becomes a different pseudonym in each: nothing
links them any more, which is the point (people reached over a long range can count
more than once).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from api.audit.capture import note
from api.audit.chain import Draft
from api.audit.context import bind_job, context_of
from api.models import (
    CoachingRequest,
    CoachingSession,
    ContractVersion,
    Engagement,
    EvaluationInvitation,
    InboundReply,
    OutboxMessage,
    Person,
    Proposal,
    RequestParticipant,
    RescheduleRequest,
    SessionAttendance,
)
from api.models.enums import PAST_ENGAGEMENT, OutboxStatus, RequestStatus
from api.outbox import ERASED_DOMAIN
from api.settings import Settings

log = logging.getLogger(__name__)

OVER = (RequestStatus.closed, RequestStatus.cancelled)


def cutoff(now: datetime, years: int) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def due(session: Session, before: datetime) -> list[int]:
    """Requests over whose engagements all ended before `before` (one at least)."""
    ended = func.coalesce(Engagement.ended_at, Engagement.updated_at)
    live = select(Engagement.request_id).where(col(Engagement.status).not_in(PAST_ENGAGEMENT))
    rows = session.exec(
        select(CoachingRequest.id)
        .join(Engagement, col(Engagement.request_id) == CoachingRequest.id)
        .where(
            col(CoachingRequest.pseudonymised_at).is_(None),
            col(CoachingRequest.status).in_(OVER),
            col(CoachingRequest.id).not_in(live),
        )
        .group_by(col(CoachingRequest.id))
        .having(func.max(ended) < before)
        .order_by(col(CoachingRequest.id))
    ).all()
    return [r for r in rows if r is not None]


def _ghost(session: Session, person_id: int, now: datetime) -> int:
    real = session.get_one(Person, person_id)
    token = secrets.token_hex(5)
    ghost = Person(
        external_id=f"pseudonym-{token}",
        name=f"Pseudonym {token}",
        email=f"pseudonym-{token}@{ERASED_DOMAIN}",
        unit=real.unit,
        site=real.site,
        timezone=real.timezone,
        language=real.language,
        manager_id=real.manager_id,
        active=False,
        erased_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(ghost)
    session.flush()
    assert ghost.id is not None
    return ghost.id


def pseudonymise_request(session: Session, request_id: int, now: datetime) -> None:
    """Cut one old request from its people (the caller commits)."""
    request = session.get_one(CoachingRequest, request_id)
    people = {request.coachee_id: _ghost(session, request.coachee_id, now)}
    if request.sponsor_id is not None:
        people[request.sponsor_id] = _ghost(session, request.sponsor_id, now)
    for member in session.exec(
        select(RequestParticipant).where(RequestParticipant.request_id == request_id)
    ):
        people.setdefault(member.person_id, _ghost(session, member.person_id, now))
        member.person_id = people[member.person_id]
        session.add(member)
    request.coachee_id = people[request.coachee_id]
    if request.sponsor_id is not None:
        request.sponsor_id = people[request.sponsor_id]
    request.description = request.objectives = None
    request.submitted_by_id = None
    session.execute(  # HR's reasons for the coaches turned down: free text, like a note
        update(Proposal)
        .where(col(Proposal.request_id) == request_id, col(Proposal.reject_reason).is_not(None))
        .values(reject_reason=None)
    )
    request.pseudonymised_at = now
    session.add(request)
    engagements = [
        e.id or 0
        for e in session.exec(select(Engagement).where(Engagement.request_id == request_id))
    ]
    for version in session.exec(
        select(ContractVersion).where(col(ContractVersion.engagement_id).in_(engagements))
    ):
        version.objectives = []
        session.add(version)
    sessions = list(
        session.exec(
            select(CoachingSession.id).where(col(CoachingSession.engagement_id).in_(engagements))
        )
    )
    for old, new in people.items():
        session.execute(
            update(SessionAttendance)
            .where(
                col(SessionAttendance.session_id).in_(sessions),
                col(SessionAttendance.attendee) == f"p{old}",
            )
            .values(attendee=f"p{new}")
        )
        session.execute(
            update(RescheduleRequest)
            .where(
                col(RescheduleRequest.session_id).in_(sessions),
                col(RescheduleRequest.attendee) == f"p{old}",
            )
            .values(attendee=f"p{new}")
        )
    session.execute(
        update(InboundReply)
        .where(col(InboundReply.session_id).in_(sessions))
        .values(attendee_email=None, raw=None)
    )
    session.execute(
        delete(EvaluationInvitation).where(col(EvaluationInvitation.engagement_id).in_(engagements))
    )
    note(
        session,
        Draft(action="retain", target="coaching_request", target_id=str(request_id)),
    )


def run_retention(*, session: Session, settings: Settings, now: datetime) -> int:
    """Pseudonymise every request due, one transaction each; returns how many."""
    if context_of(session).via == "system":
        bind_job(session, "job coachmatch:retention")
    before = cutoff(now, settings.retention_years)
    done = 0
    for request_id in due(session, before):
        pseudonymise_request(session, request_id, now)
        session.commit()
        done += 1
    removed = session.execute(
        delete(OutboxMessage).where(
            col(OutboxMessage.status).in_([OutboxStatus.sent, OutboxStatus.failed]),
            col(OutboxMessage.created_at) < before,
        )
    )
    session.commit()
    if done or getattr(removed, "rowcount", 0):
        log.info("retention: %d requests pseudonymised, old mail removed", done)
    return done
