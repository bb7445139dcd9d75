"""The engagement lifecycle's periodic chores (issue 11, issue 13 item 6). Each is a plain
function taking `session, settings, now`, safe to run twice (what it sends carries a
dedupe key naming the event; what it moves is moved once)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import procrastinate
from sqlmodel import Session

from api.audit.context import bind_job
from api.settings import Settings

Chore = Callable[..., Any]


def reminders_and_proposals(*, session: Session, settings: Settings, now: datetime) -> int:
    """Session reminders that are due, and coachees with coaches to choose from."""
    from api.notifications.events import proposals_ready
    from api.notifications.reminders import send_reminders

    return send_reminders(session=session, settings=settings, now=now) + proposals_ready(
        session=session, settings=settings, now=now
    )


def lapses(*, session: Session, settings: Settings, now: datetime) -> int:
    from api.records.service import lapse_reminders

    return lapse_reminders(session=session, settings=settings, now=now)


def evaluations(*, session: Session, settings: Settings, now: datetime) -> int:
    from api.evaluations.service import release

    return release(session=session, settings=settings, now=now)


def digest(*, session: Session, settings: Settings, now: datetime) -> int:
    from api.notifications.digest import send_digest

    return send_digest(session=session, settings=settings, now=now)


def retention(*, session: Session, settings: Settings, now: datetime) -> int:
    """Requests whose engagements ended over COACHMATCH_RETENTION_YEARS ago: pseudonymised."""
    from api.privacy.retention import run_retention

    return run_retention(session=session, settings=settings, now=now)


def chemistry_calls(*, session: Session, settings: Settings, now: datetime) -> int:
    """Chemistry calls of proposals set aside (another coach chosen, the proposal
    rejected, the request decided or cancelled): cancelled, both parties told."""
    from api.chemistry.service import release_closed

    count = release_closed(session=session, settings=settings, now=now)
    session.commit()
    return count


@dataclass(frozen=True)
class Periodic:
    name: str  # the task's name and periodic id
    cron: str
    chore: Chore


PERIODIC = (
    Periodic("coachmatch:session_reminders", "*/5 * * * *", reminders_and_proposals),
    Periodic("coachmatch:lapse_reminders", "15 6 * * *", lapses),  # daily, 06:15
    Periodic("coachmatch:release_evaluations", "30 3 * * *", evaluations),  # daily
    Periodic("coachmatch:hr_digest", "0 7 * * 1", digest),  # Mondays, 07:00
    Periodic("coachmatch:retention", "45 4 * * *", retention),  # daily, 04:45
    Periodic("coachmatch:chemistry_calls", "*/5 * * * *", chemistry_calls),
)


def as_task(chore: Chore) -> Callable[[procrastinate.JobContext, int], Any]:
    """The chore as a periodic task: a session of its own, the worker's clock."""

    def task(context: procrastinate.JobContext, timestamp: int) -> Any:
        runtime = context.additional_context["runtime"]
        with Session(runtime.engine, expire_on_commit=False) as session:
            bind_job(session, f"job {chore.__name__}", runtime.clock)  # for the audit log
            return chore(session=session, settings=runtime.settings, now=runtime.clock.now())

    task.__name__ = chore.__name__
    return task
