"""HR's weekly digest: counts only, never a name or a text."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.models import (
    Coach,
    CoachingRequest,
    CoachingSession,
    Engagement,
    EvaluationAnswer,
)
from api.models.enums import NotificationKind, RequestStatus, SessionStatus
from api.notifications import send
from api.settings import Settings


def counts(session: Session, settings: Settings, now: datetime) -> dict[str, object]:
    from api.models import CoachRecord
    from api.records.service import is_referenced, supervision, valid_until

    def requests(status: RequestStatus) -> int:
        return session.exec(select(func.count()).where(CoachingRequest.status == status)).one()

    states = dict(
        session.exec(select(Engagement.status, func.count()).group_by(col(Engagement.status))).all()
    )
    held = session.exec(
        select(func.count()).where(
            CoachingSession.status == SessionStatus.held,
            col(CoachingSession.start_at) >= now - timedelta(days=7),
            col(CoachingSession.start_at) < now,
        )
    ).one()
    changes = session.exec(
        select(func.count()).where(
            col(Engagement.coach_change_requested_at).is_not(None),
            col(Engagement.status).in_(
                ["proposed", "contracted", "in_progress", "midway_review", "on_hold"]
            ),
        )
    ).one()
    lapsing = short = 0
    today = now.date()
    for coach in session.exec(select(Coach).where(col(Coach.active).is_(True))):
        record = session.get(CoachRecord, coach.id)
        until = valid_until(coach, record)
        if (
            until is not None
            and is_referenced(record)
            and today <= until <= today + timedelta(days=60)
        ):
            lapsing += 1
        if (
            coach.kind.value == "internal"
            and supervision(session, settings, coach.id or 0, today).short
        ):
            short += 1
    answers = session.exec(select(func.count()).select_from(EvaluationAnswer)).one()
    return {
        "open": requests(RequestStatus.open),
        "proposed": requests(RequestStatus.proposed),
        "states": ", ".join(f"{getattr(k, 'value', k)} {v}" for k, v in sorted(states.items()))
        or "0",
        "held": held,
        "changes": changes,
        "lapsing": lapsing,
        "short": short,
        "answers": answers,
    }


def send_digest(*, session: Session, settings: Settings, now: datetime) -> int:
    """Every HR account gets this week's counts once (unless turned off). Commits."""
    year, week, _ = now.isocalendar()
    values = counts(session, settings, now)
    queued = 0
    for addressee in send.hr(session, settings):
        queued += send.notify(
            session,
            settings,
            addressee,
            kind=NotificationKind.digest,
            event=f"{year}-W{week:02d}",
            now=now,
            link=f"{settings.base_url}/hr",
            fields=values,
        )
    session.commit()
    return queued
