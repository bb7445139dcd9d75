"""Service health."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.deps import SessionDep

router = APIRouter(tags=["meta"])


@router.get("/health", responses={503: {"description": "the database is unreachable"}})
def health(session: SessionDep) -> JSONResponse:
    """Liveness and database reachability; anyone may call it."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
