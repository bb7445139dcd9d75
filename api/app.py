"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session

from api import handlers
from api.clock import Clock, SystemClock
from api.db import make_engine, upgrade_database
from api.feeds.limiter import MissLimiter
from api.outbox import deliver_pending
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
    {"name": "meta", "description": "health"},
]


def _deliver_once(engine: Engine, settings: Settings, clock: Clock) -> None:
    with Session(engine, expire_on_commit=False) as session:
        deliver_pending(session, settings, clock.now())


async def _outbox_loop(engine: Engine, settings: Settings, clock: Clock) -> None:
    while True:
        try:
            await anyio.to_thread.run_sync(_deliver_once, engine, settings, clock)
        except Exception:  # keep looping: the next round may succeed
            log.exception("outbox delivery round failed")
        await asyncio.sleep(settings.outbox_interval_seconds)


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or load_settings()
    clock = clock or SystemClock()
    engine = make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            await anyio.to_thread.run_sync(upgrade_database, engine)
        loop_task = None
        if settings.outbox_interval_seconds > 0:
            loop_task = asyncio.create_task(_outbox_loop(engine, settings, clock))
        try:
            yield
        finally:
            if loop_task is not None:
                loop_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await loop_task
            engine.dispose()

    app = FastAPI(
        title="coachmatch",
        version="0.1.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.engine = engine
    app.state.passwords = Passwords(settings)
    app.state.feed_limiter = MissLimiter(
        limit=settings.feed_miss_limit, window_seconds=settings.feed_miss_window_seconds
    )
    handlers.install(app)

    from api.routes import ROUTERS

    for router in ROUTERS:
        app.include_router(router)

    from api import web

    web.install(app)  # the HTML pages (left out of the OpenAPI document)
    return app
