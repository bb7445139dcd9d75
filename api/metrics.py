"""Prometheus metrics (`GET /metrics`): request latency by route, rounds, jobs, mail and
feeds. With several processes (`coachmatch serve --workers N`) every process writes to
`PROMETHEUS_MULTIPROC_DIR` and `/metrics` adds them up; the backlogs (queued rounds,
pending mail, waiting jobs) are read from the database when scraped."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, text
from sqlmodel import Session, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.models import MatchingRound, OutboxMessage
from api.models.enums import OutboxStatus, RoundStatus

REQUESTS = Histogram(
    "coachmatch_http_request_duration_seconds",
    "HTTP request latency by route template",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
ROUNDS = Counter("coachmatch_rounds_total", "rounds finished", ["kind", "status"])
ROUND_SECONDS = Histogram(
    "coachmatch_round_duration_seconds",
    "a round's run, from start to result",
    buckets=(0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300),
)
ROUND_GAP = Gauge(
    "coachmatch_round_gap",
    "the last round's gap to its proven bound",
    multiprocess_mode="mostrecent",
)
ROUND_MATCHED = Gauge(
    "coachmatch_round_matched", "requests matched by the last round", multiprocess_mode="mostrecent"
)
JOB_FAILURES = Counter("coachmatch_job_failures_total", "jobs that raised", ["task"])
MAIL_SENT = Counter("coachmatch_outbox_sent_total", "messages delivered")
MAIL_FAILURES = Counter("coachmatch_outbox_failures_total", "delivery attempts that failed")
FEED_HITS = Counter("coachmatch_feed_requests_total", "calendar feed fetches", ["status"])


def round_finished(row: MatchingRound) -> None:
    ROUNDS.labels(kind=row.kind.value, status=row.status.value).inc()
    if row.started_at is not None and row.finished_at is not None:
        ROUND_SECONDS.observe((row.finished_at - row.started_at).total_seconds())
    if row.status == RoundStatus.done:
        if row.gap is not None:
            ROUND_GAP.set(row.gap)
        ROUND_MATCHED.set(len(row.explanations.get("matches", [])))


class Backlogs(Collector):
    """What waits, read from the database at each scrape."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with Session(self.engine) as session:
            queued = session.exec(
                select(func.count()).where(MatchingRound.status == RoundStatus.queued)
            ).one()
            running = session.exec(
                select(func.count()).where(MatchingRound.status == RoundStatus.running)
            ).one()
            pending = session.exec(
                select(func.count()).where(OutboxMessage.status == OutboxStatus.pending)
            ).one()
            failed = session.exec(
                select(func.count()).where(OutboxMessage.status == OutboxStatus.failed)
            ).one()
            jobs = None
            if self.engine.dialect.name == "postgresql":
                jobs = session.execute(
                    text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'")
                ).scalar_one()
        rounds = GaugeMetricFamily(
            "coachmatch_rounds_waiting", "rounds by state", labels=["status"]
        )
        rounds.add_metric(["queued"], queued)
        rounds.add_metric(["running"], running)
        yield rounds
        yield GaugeMetricFamily(
            "coachmatch_outbox_backlog", "mail waiting to be sent", value=pending
        )
        yield GaugeMetricFamily(
            "coachmatch_outbox_given_up", "mail given up after its retries", value=failed
        )
        if jobs is not None:
            yield GaugeMetricFamily(
                "coachmatch_queue_depth", "jobs waiting for a worker", value=jobs
            )


def exposition(engine: Engine) -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY  # this process's metrics
        out = generate_latest(registry)
        backlog = CollectorRegistry()
        backlog.register(Backlogs(engine))
        return out + generate_latest(backlog)
    registry.register(Backlogs(engine))
    return generate_latest(registry)


class Timing:
    """Pure ASGI middleware: the latency of each request, labelled by route template
    (never by the raw path: feed tokens and ids stay out of the labels)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        finally:
            route: Any = scope.get("route")
            template = getattr(route, "path", None) or (
                "/static" if scope["path"].startswith("/static/") else "(unmatched)"
            )
            REQUESTS.labels(
                method=scope["method"], route=str(template), status=str(status["code"])
            ).observe(time.perf_counter() - started)
