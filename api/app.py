"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from api import handlers
from api.clock import Clock, SystemClock
from api.db import make_engine, upgrade_database
from api.feeds.service import FeedBodies
from api.jobs.worker import embedded_worker
from api.logs import install_redaction
from api.metrics import Timing
from api.middleware import ResponseGuard
from api.security import Passwords
from api.settings import Settings, load_settings

log = logging.getLogger(__name__)

DESCRIPTION = """
Matching and scheduling for internal coaching programmes.

Sign in with `POST /auth/login`, then send `Authorization: Bearer <token>`.
Errors are JSON: `{"detail": "what is wrong", "field": "the offending field or null"}`.
"""

TAGS = [
    {"name": "accounts", "description": "sign-in, invitations, users"},
    {"name": "people", "description": "the org chart (HR)"},
    {"name": "coaches", "description": "internal and external coaches (HR)"},
    {"name": "neutrality", "description": "conflicts of interest and pair adjustments (HR)"},
    {"name": "requests", "description": "coaching requests"},
    {"name": "availability", "description": "a coach's own availability"},
    {"name": "windows", "description": "a coachee's or sponsor's own availability"},
    {"name": "rounds", "description": "matching rounds, proposals and the coachee's choice"},
    {"name": "engagements", "description": "engagements and sessions"},
    {"name": "sessions", "description": "rescheduling, cancelling, held or no-show"},
    {"name": "feeds", "description": "personal calendar feeds"},
    {"name": "outbox", "description": "outgoing email (HR)"},
    {"name": "audit", "description": "who read confidential data, who changed what"},
    {"name": "data rights", "description": "a person's export and erasure (GDPR)"},
    {"name": "meta", "description": "health"},
]


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or load_settings()
    clock = clock or SystemClock()
    # As many database slots as request threads (`api.deps.database_slots`: a request
    # holds one while its session is open), and a connection for every slot, plus a few
    # for the embedded worker's job threads: a request thread never waits on the pool.
    threads = settings.web_threads
    engine = make_engine(settings.database_url, pool_size=threads, max_overflow=5)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        if settings.migrate_on_start:
            await anyio.to_thread.run_sync(upgrade_database, engine)
        try:
            if settings.run_embedded_worker:
                # SQLite (and tests): rounds and mail run in a worker in this process.
                async with embedded_worker(settings, engine, clock) as queue:
                    app.state.queue = queue
                    yield
            else:
                yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="coachmatch",
        version="0.1.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        # /docs and /redoc are served by api.web.docs from the app's own copy of the
        # bundles (FastAPI's own pages load them from a CDN).
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.engine = engine
    app.state.database_slots = anyio.CapacityLimiter(threads)
    app.state.feed_bodies = FeedBodies(max_bytes=32_000_000)  # rendered feeds, by version
    app.state.passwords = Passwords(settings)
    handlers.install(app)
    app.add_middleware(ResponseGuard)
    app.add_middleware(Timing)  # outermost: the whole request, errors included
    install_redaction()

    from api.routes import ROUTERS

    for router in ROUTERS:
        app.include_router(router)

    from api import web

    web.install(app)  # the HTML pages (left out of the OpenAPI document)
    return app


def create_logged_app() -> FastAPI:
    """The app of one of several web processes (`coachmatch serve --workers N`): its
    logging configured as the parent's, its settings from the environment."""
    from api.logs import configure_logging

    settings = load_settings()
    configure_logging(settings.log_format)
    return create_app(settings)
