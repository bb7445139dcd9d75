"""Running the queue's worker: inside the web process (embedded, SQLite) or on its own
(`coachmatch worker`, PostgreSQL deployments)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import procrastinate
from procrastinate.exceptions import ConnectorException
from sqlalchemy import Engine

from api.clock import Clock
from api.jobs.queue import Embedded, build_queue, register_embedded
from api.jobs.tasks import Runtime, count_failures, delivery_job, round_job, sweep_now
from api.settings import Settings

log = logging.getLogger(__name__)

CONCURRENCY = 4  # jobs at once per worker: a long round never holds up the mail


async def _requeue_waiting(embedded: Embedded, runtime: Runtime) -> None:
    """The embedded queue forgets its jobs when the process stops: queue again the rounds
    still waiting (and fail those a dead process was running)."""
    waiting = await asyncio.to_thread(sweep_now, runtime)
    for round_id in waiting:
        embedded.submit(round_job(round_id))
    if waiting:
        log.info("queued again %d round(s) left waiting", len(waiting))
    if runtime.settings.outbox_interval_seconds > 0:
        embedded.submit(delivery_job())  # mail left pending goes now, not at the next tick


async def work(queue: procrastinate.App, runtime: Runtime, *, name: str, signals: bool) -> None:
    """Run jobs until stopped. A lost database (a restart, a failover, a dropped
    connection) does not end the worker: it starts again after a pause, doubling to 30 s."""
    pause = 1.0
    while True:
        try:
            await queue.run_worker_async(
                name=name,
                concurrency=CONCURRENCY,
                install_signal_handlers=signals,
                additional_context={"runtime": runtime},
                fetch_job_polling_interval=1.0,
                abort_job_polling_interval=1.0,
                delete_jobs="successful",
                task_middleware=[count_failures],
            )
            return
        except ConnectorException as exc:
            cause = type(exc.__cause__).__name__ if exc.__cause__ else "unknown"
            log.warning("job worker lost the database (%s): starting again in %.0f s", cause, pause)
            await asyncio.sleep(pause)
            pause = min(2 * pause, 30.0)


@contextlib.asynccontextmanager
async def embedded_worker(
    settings: Settings, engine: Engine, clock: Clock
) -> AsyncIterator[procrastinate.App]:
    """A worker in this process, for as long as the context lasts (the app's lifespan)."""
    queue = build_queue(settings)
    runtime = Runtime(settings=settings, engine=engine, clock=clock)
    async with queue.open_async():
        embedded = Embedded(queue, asyncio.get_running_loop())
        url = engine.url.render_as_string(hide_password=False)
        if settings.is_sqlite:
            register_embedded(url, embedded)
        task = asyncio.create_task(work(queue, runtime, name="embedded", signals=False))
        try:
            if settings.is_sqlite:
                await _requeue_waiting(embedded, runtime)
            yield queue
        finally:
            register_embedded(url, None)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def run_worker(settings: Settings, engine: Engine, clock: Clock) -> None:
    """`coachmatch worker`: run jobs until SIGINT or SIGTERM."""
    queue = build_queue(settings)
    runtime = Runtime(settings=settings, engine=engine, clock=clock)
    async with queue.open_async():
        await work(queue, runtime, name="worker", signals=True)
