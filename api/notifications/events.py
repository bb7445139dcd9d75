"""Notifications of an engagement's events, queued in the transaction of the change."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from api.models import Coach, CoachingRequest, Engagement, Proposal
from api.models.enums import NotificationKind, ProposalStatus, RequestStatus, Role
from api.notifications import send
from api.settings import Settings


def _page(settings: Settings, engagement: Engagement) -> str:
    return f"{settings.base_url}/my/engagements/{engagement.id}"


def contract_waiting(
    *,
    session: Session,
    settings: Settings,
    engagement: Engagement,
    request: CoachingRequest,
    version: int,
    now: datetime,
) -> None:
    """The coachee and the sponsor: a contract version awaits their acknowledgement."""
    for person_id, role in ((request.coachee_id, Role.coachee), (request.sponsor_id, Role.sponsor)):
        if person_id is None:
            continue
        send.notify(
            session,
            settings,
            send.person(session, person_id, role),
            kind=NotificationKind.contract,
            event=f"e{engagement.id}:v{version}:{role.value}",
            now=now,
            version=version,
            link=_page(settings, engagement),
        )


def new_engagement(
    *, session: Session, settings: Settings, engagement: Engagement, now: datetime
) -> None:
    coach = session.get(Coach, engagement.coach_id)
    if coach is None:
        return
    send.notify(
        session,
        settings,
        send.coach(session, coach),
        kind=NotificationKind.new_engagement,
        event=f"e{engagement.id}",
        now=now,
        link=_page(settings, engagement),
    )


def coach_change_asked(
    *, session: Session, settings: Settings, engagement: Engagement, now: datetime
) -> None:
    for addressee in send.hr(session, settings):
        send.notify(
            session,
            settings,
            addressee,
            kind=NotificationKind.coach_change,
            event=f"e{engagement.id}",
            now=now,
            engagement=engagement.id,
            link=f"{settings.base_url}/hr/engagements/{engagement.id}",
        )


def proposals_ready(*, session: Session, settings: Settings, now: datetime) -> int:
    """Each coachee with coaches to choose from (two or more live proposals) is told once
    per round. Safe to run again: the dedupe key names the request and the round."""
    rows = session.exec(
        select(CoachingRequest.id, CoachingRequest.coachee_id, func.max(Proposal.round_id))
        .join(Proposal, col(Proposal.request_id) == CoachingRequest.id)
        .where(
            CoachingRequest.status == RequestStatus.proposed,
            Proposal.status == ProposalStatus.proposed,
        )
        .group_by(col(CoachingRequest.id), col(CoachingRequest.coachee_id))
        .having(func.count() >= 2)
    ).all()
    sent = 0
    for request_id, coachee_id, round_id in rows:
        sent += send.notify(
            session,
            settings,
            send.person(session, coachee_id, Role.coachee),
            kind=NotificationKind.proposals,
            event=f"r{request_id}:round{round_id}",
            now=now,
            link=f"{settings.base_url}/my/proposals",
        )
    session.commit()
    return sent
