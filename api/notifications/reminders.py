"""Session reminders (issue 13 item 6): each attendee is reminded of a planned session
their own number of hours before it (24 by default, `PUT /me/notifications`), once. A
reminder names the session's time as it is when the job runs; a session moved or
cancelled drops the reminders still waiting in the outbox, and its new time (a new
SEQUENCE) gets its own."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from api.i18n.dates import format_datetime
from api.models import Coach, CoachingSession, OutboxMessage, SessionAttendance
from api.models.enums import NotificationKind, OutboxStatus, Role, SessionStatus
from api.notifications import send
from api.settings import Settings

# The longest reminder anyone may ask for (NotificationSettings.reminder_hours).
LONGEST = timedelta(hours=168)
ROLES = {"coachee": Role.coachee, "sponsor": Role.sponsor, "participant": Role.coachee}


def _prefix(session_id: int | None) -> str:
    return f"notify:{NotificationKind.reminder.value}:s{session_id}:"


def drop_pending_reminders(session: Session, row: CoachingSession) -> None:
    """Forget the reminders of ``row`` not yet sent (it moved or was cancelled)."""
    session.execute(
        delete(OutboxMessage).where(
            col(OutboxMessage.dedupe_key).startswith(_prefix(row.id)),
            col(OutboxMessage.status) == OutboxStatus.pending,
        )
    )


def send_reminders(*, session: Session, settings: Settings, now: datetime) -> int:
    """Queue the reminders that are due; each at most once per session and time (safe
    to run again, and after a pause: a session that has started is not reminded).
    Commits; returns how many were queued."""
    rows = session.exec(
        select(CoachingSession, SessionAttendance)
        .join(SessionAttendance, col(SessionAttendance.session_id) == CoachingSession.id)
        .where(
            CoachingSession.status == SessionStatus.planned,
            col(CoachingSession.start_at) > now,
            col(CoachingSession.start_at) <= now + LONGEST,
            col(SessionAttendance.active).is_(True),
        )
        .order_by(col(CoachingSession.start_at), col(SessionAttendance.id))
    ).all()
    queued = 0
    for row, attendance in rows:
        key = attendance.attendee
        if key.startswith("c"):
            coach = session.get(Coach, int(key[1:]))
            addressee = send.coach(session, coach) if coach is not None else None
        else:
            addressee = send.person(session, int(key[1:]), ROLES.get(attendance.role, Role.coachee))
        if addressee is None:
            continue
        hours = send.preferences(session, addressee.user_id).reminder_hours
        if row.start_at - timedelta(hours=hours) > now:
            continue
        queued += send.notify(
            session,
            settings,
            addressee,
            kind=NotificationKind.reminder,
            event=f"s{row.id}:seq{row.sequence}",
            now=now,
            when=format_datetime(row.start_at, addressee.language, addressee.zone),
            zone=addressee.zone,
            number=row.number,
            link=f"{settings.base_url}/my/sessions",
        )
    session.commit()
    return queued
