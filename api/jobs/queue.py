"""The job queue: Procrastinate.

On PostgreSQL the queue is Procrastinate's own tables in the service's database: a job is
queued *in the transaction of the change that causes it* (Procrastinate's
`procrastinate_defer_jobs_v1` called on the same connection), so a round or a mail is
never queued for a change that was rolled back, nor lost for one that was committed.
Workers run anywhere (`coachmatch worker`), with retries, locks and periodic tasks.

On the embedded SQLite default there is no server to hold a queue: the same tasks run in
a worker inside `coachmatch serve`, on Procrastinate's in-memory connector, and jobs are
handed to it once the change is committed. What a job works on is always a row (a queued
round, a pending mail), so a restart loses nothing: the worker queues again, at start,
the rounds still waiting, and the periodic delivery finds the pending mail.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import procrastinate
import sqlalchemy as sa
from procrastinate.testing import InMemoryConnector
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from api.settings import Settings

log = logging.getLogger(__name__)

ROUNDS = "rounds"
MAIL = "mail"
CHORES = "chores"


def libpq_url(database_url: str) -> str:
    """SQLAlchemy's ``postgresql+psycopg://…`` as the libpq URL Procrastinate connects to."""
    parts = urlsplit(database_url)
    return urlunsplit(("postgresql", *parts[1:]))


def queue_application_name() -> str:
    """How the queue's connections show in `pg_stat_activity` (one name per process)."""
    return f"coachmatch-queue-{os.getpid()}"


def build_queue(settings: Settings) -> procrastinate.App:
    """The Procrastinate app for this deployment, with the service's tasks."""
    from api.jobs.tasks import register

    connector: procrastinate.BaseConnector
    if settings.is_sqlite:
        connector = InMemoryConnector()
    else:
        connector = procrastinate.PsycopgConnector(
            conninfo=libpq_url(settings.database_url),
            kwargs={"application_name": queue_application_name()},
        )
    app = procrastinate.App(connector=connector)
    register(app, lifecycle=settings.lifecycle_chores)
    return app


@dataclass(frozen=True)
class Job:
    task: str  # the task's name, e.g. "coachmatch:run_round"
    queue: str
    args: dict[str, Any]
    lock: str | None = None
    queueing_lock: str | None = None


_DEFER_SQL = sa.text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, :lock, :qlock, "
    "CAST(:args AS jsonb), NULL)::procrastinate_job_to_defer_v1])"
)
PENDING = "coachmatch.jobs"


def defer(session: Session, job: Job) -> None:
    """Queue `job` with the caller's change: in its transaction on PostgreSQL; on SQLite,
    handed to the embedded worker once the transaction commits (dropped on rollback)."""
    if session.get_bind().dialect.name == "postgresql":
        values = {
            "queue": job.queue,
            "task": job.task,
            "lock": job.lock,
            "qlock": job.queueing_lock,
            "args": json.dumps(job.args),
        }
        if job.queueing_lock is None:
            session.execute(_DEFER_SQL, values)
            return
        # One such job waiting is enough: the same one queued already is not an error (a
        # savepoint keeps the caller's transaction whole).
        try:
            with session.begin_nested():
                session.execute(_DEFER_SQL, values)
        except IntegrityError:
            log.debug("%s is queued already", job.task)
        return
    session.info.setdefault(PENDING, []).append(job)


class Embedded:
    """The worker inside `coachmatch serve` (SQLite): its queue, its event loop."""

    def __init__(self, app: procrastinate.App, loop: asyncio.AbstractEventLoop) -> None:
        self.app = app
        self.loop = loop

    def submit(self, job: Job) -> None:
        task = self.app.tasks[job.task].configure(
            queue=job.queue, lock=job.lock, queueing_lock=job.queueing_lock
        )

        async def deferring() -> None:
            # AlreadyEnqueued: the same chore is queued already.
            with contextlib.suppress(procrastinate.exceptions.AlreadyEnqueued):
                await task.defer_async(**job.args)

        asyncio.run_coroutine_threadsafe(deferring(), self.loop)


# The embedded queues, by database URL: a session's engine finds its worker here.
_EMBEDDED: dict[str, Embedded] = {}


def register_embedded(url: str, embedded: Embedded | None) -> None:
    if embedded is None:
        _EMBEDDED.pop(url, None)
    else:
        _EMBEDDED[url] = embedded


def _pending(session: Session) -> Iterator[Job]:
    jobs: list[Job] = session.info.pop(PENDING, [])
    yield from jobs


@event.listens_for(Session, "after_commit")
def _hand_over(session: Session) -> None:
    jobs = list(_pending(session))
    if not jobs:
        return
    bind = session.get_bind()
    engine = bind if isinstance(bind, sa.Engine) else bind.engine
    url = engine.url.render_as_string(hide_password=False)
    embedded = _EMBEDDED.get(url)
    if embedded is None:
        log.warning(
            "%d job(s) committed with no worker running; they wait for its start", len(jobs)
        )
        return
    for job in jobs:
        embedded.submit(job)


@event.listens_for(Session, "after_rollback")
def _drop(session: Session) -> None:
    session.info.pop(PENDING, None)
