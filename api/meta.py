"""Service health, readiness and metrics."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from api.deps import in_database
from api.metrics import exposition
from api.settings import Settings

router = APIRouter(tags=["meta"])


@router.get("/health")
async def health() -> JSONResponse:
    """Liveness: the process answers (no database call, so it answers during the heaviest
    round). Anyone may call it."""
    return JSONResponse({"status": "ok"})


def _ready(engine: Engine, embedded: bool) -> dict[str, str]:
    checks = {"database": "ok", "queue": "ok"}
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            if not embedded:
                conn.execute(text("SELECT 1 FROM procrastinate_jobs LIMIT 1"))
    except SQLAlchemyError:
        checks["database" if checks["queue"] == "ok" else "queue"] = "down"
    return checks


@router.get(
    "/ready",
    responses={503: {"description": "the database or the job queue is unreachable"}},
)
async def ready(request: Request) -> JSONResponse:
    """Readiness: the database answers and the job queue is there (its tables on
    PostgreSQL; the embedded worker on SQLite)."""
    settings: Settings = request.app.state.settings
    embedded = settings.is_sqlite
    checks = await in_database(request.app, _ready, request.app.state.engine, embedded)
    if (
        embedded
        and settings.run_embedded_worker
        and getattr(request.app.state, "queue", None) is None
    ):
        checks["queue"] = "down"
    ok = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ok" if ok else "unavailable", **checks}, status_code=200 if ok else 503
    )


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}, 401: {"description": "token required"}},
)
async def metrics(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> Response:
    """Prometheus metrics (counts and latencies only, nothing personal). With
    `COACHMATCH_METRICS_TOKEN` set, send it as `Authorization: Bearer <token>`."""
    settings: Settings = request.app.state.settings
    if settings.metrics_token:
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given, settings.metrics_token):
            return JSONResponse(
                {"detail": "metrics token required", "field": None}, status_code=401
            )
    body = await in_database(request.app, exposition, request.app.state.engine)
    return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")
