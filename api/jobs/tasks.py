"""The service's jobs. Each works on rows (a queued round, pending mail), so running one
twice, or again after a crash, does no harm.

    run_round          a queued round, to its end (queue "rounds", one at a time per round)
    deliver_outbox     due mail (queue "mail"; also every 30 seconds)
    sweep              every minute: fail the rounds whose worker died
    refresh_calendars  hourly: every coach's own calendar (ICS URL or CalDAV)
    poll_mailbox       every minute: iTIP replies in the programme mailbox (IMAP)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import procrastinate
from sqlalchemy import Engine
from sqlmodel import Session

from api.clock import Clock
from api.jobs.chores import PERIODIC, as_task
from api.jobs.queue import CHORES, MAIL, ROUNDS, Job
from api.metrics import JOB_FAILURES
from api.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    """What a job needs from the service, given to the worker as its context."""

    settings: Settings
    engine: Engine
    clock: Clock


def count_failures(
    call_next: Callable[[], Any], context: procrastinate.JobContext, worker: Any
) -> Any:
    """Task middleware: a job that raises is counted (`coachmatch_job_failures_total`)."""
    try:
        return call_next()
    except Exception:
        JOB_FAILURES.labels(task=context.job.task_name).inc()
        raise


def _runtime(context: procrastinate.JobContext) -> Runtime:
    runtime: Runtime = context.additional_context["runtime"]
    return runtime


def round_job(round_id: int) -> Job:
    return Job(
        task="coachmatch:run_round",
        queue=ROUNDS,
        args={"round_id": round_id},
        lock=f"round-{round_id}",
        queueing_lock=f"round-{round_id}",
    )


def delivery_job() -> Job:
    # One delivery waiting is enough: it sends everything due when it runs.
    return Job(
        task="coachmatch:deliver_outbox",
        queue=MAIL,
        args={},
        queueing_lock="deliver-outbox",
    )


def run_round(context: procrastinate.JobContext, round_id: int) -> None:
    from api.rounds.runner import execute_round

    rt = _runtime(context)
    with Session(rt.engine, expire_on_commit=False) as session:
        execute_round(session=session, settings=rt.settings, round_id=round_id, clock=rt.clock)


def deliver_outbox(context: procrastinate.JobContext) -> dict[str, Any]:
    from api.outbox import deliver_pending

    rt = _runtime(context)
    with Session(rt.engine, expire_on_commit=False) as session:
        report = deliver_pending(session, rt.settings, rt.clock.now())
    return {"sent": report.sent, "failed": report.failed, "retried": report.retried}


def deliver_outbox_periodically(context: procrastinate.JobContext, timestamp: int) -> None:
    if _runtime(context).settings.outbox_interval_seconds > 0:
        deliver_outbox(context)


def sweep(context: procrastinate.JobContext, timestamp: int) -> None:
    sweep_now(_runtime(context))


def refresh_calendars(context: procrastinate.JobContext, timestamp: int) -> int:
    """Every coach's own calendar, read again (conditionally: an unchanged one costs one
    request); a failure is recorded on the coach's calendar, the others go on."""
    from api.calendars.service import coaches_with_calendars, refresh_calendar

    rt = _runtime(context)
    with Session(rt.engine, expire_on_commit=False) as session:
        coaches = coaches_with_calendars(session)
        for coach_id in coaches:
            refresh_calendar(
                session=session, settings=rt.settings, coach_id=coach_id, now=rt.clock.now()
            )
    return len(coaches)


def poll_mailbox(context: procrastinate.JobContext, timestamp: int) -> dict[str, Any]:
    """The programme mailbox's replies (nothing to do without COACHMATCH_IMAP_URL); an
    unreachable server fails the job, and the next minute tries again."""
    from api.replies.mailbox import poll_mailbox as poll

    rt = _runtime(context)
    with Session(rt.engine, expire_on_commit=False) as session:
        report = poll(session=session, settings=rt.settings, now=rt.clock.now())
    return {"skipped": report.skipped}


def sweep_now(rt: Runtime) -> list[int]:
    """Fail the rounds whose worker stopped; return the rounds still queued."""
    from api.rounds.runner import fail_stalled_rounds, queued_rounds

    with Session(rt.engine, expire_on_commit=False) as session:
        # A running round writes its heartbeat every half second and at every solver
        # stage; one silent for COACHMATCH_ROUND_STALLED_SECONDS has lost its worker.
        after = timedelta(seconds=rt.settings.round_stalled_seconds)
        fail_stalled_rounds(session=session, now=rt.clock.now(), after=after)
        return queued_rounds(session)


def register(app: procrastinate.App, *, lifecycle: bool = True) -> None:
    """The service's tasks on `app` (each app gets its own: tests build many). Without
    `lifecycle`, the lifecycle's periodic chores are left out (tests run them by hand, at
    the times they choose)."""
    app.task(name="coachmatch:run_round", queue=ROUNDS, pass_context=True, retry=False)(run_round)
    app.task(name="coachmatch:deliver_outbox", queue=MAIL, pass_context=True, retry=2)(
        deliver_outbox
    )
    periodic_delivery = app.task(
        name="coachmatch:deliver_outbox_periodically", queue=MAIL, pass_context=True
    )(deliver_outbox_periodically)
    app.periodic(cron="* * * * * */30", periodic_id="outbox")(periodic_delivery)
    chores = app.task(name="coachmatch:sweep", queue=CHORES, pass_context=True)(sweep)
    app.periodic(cron="* * * * *", periodic_id="sweep")(chores)
    calendars = app.task(name="coachmatch:refresh_calendars", queue=CHORES, pass_context=True)(
        refresh_calendars
    )
    app.periodic(cron="7 * * * *", periodic_id="calendars")(calendars)  # hourly
    mailbox = app.task(name="coachmatch:poll_mailbox", queue=MAIL, pass_context=True)(poll_mailbox)
    app.periodic(cron="* * * * *", periodic_id="mailbox")(mailbox)
    # The engagement lifecycle's chores (api.jobs.chores): reminders, lapses, evaluations.
    for chore in PERIODIC if lifecycle else ():
        task = app.task(name=chore.name, queue=CHORES, pass_context=True)(as_task(chore.chore))
        app.periodic(cron=chore.cron, periodic_id=chore.name)(task)
