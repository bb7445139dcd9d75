"""An engagement as HR's confirmation makes it (the service's own planning and invites,
without a round): Paul with Karl, four sessions planned and invited; for the tests of
what follows the invites."""

from __future__ import annotations

from typing import Any

from api_support import START, add_engagement, fresh
from fastapi.testclient import TestClient
from rounds_support import build_programme
from sqlmodel import Session, col, select

from api.models import Coach, CoachingRequest, CoachingSession, OutboxMessage
from api.models.enums import EngagementStatus, RequestStatus
from api.sessions.service import create_sessions, plan_first
from api.settings import Settings


def engage(
    client: TestClient, db: Session, settings: Settings, *, who: str = "paul", **request: Any
) -> dict[str, Any]:
    w = build_programme(db, settings, client)
    row = w["requests"][who]
    for name, value in {"status": RequestStatus.matched, **request}.items():
        setattr(row, name, value)
    db.add(row)
    db.commit()
    w["engagement"] = confirm(db, settings, row, w["karl"])
    w["sessions"] = sessions_of(db, w["engagement"])
    return w


def confirm(db: Session, settings: Settings, request: CoachingRequest, coach: Coach) -> int:
    """What HR's confirmation does: the engagement, its sessions planned and invited."""
    request.status = RequestStatus.matched
    db.add(request)
    placed = plan_first(session=db, settings=settings, request=request, coach=coach, now=START)
    engagement = add_engagement(db, request, coach, status=EngagementStatus.proposed)
    create_sessions(
        session=db,
        settings=settings,
        engagement=engagement,
        request=request,
        coach=coach,
        placed=placed,
        now=START,
    )
    db.commit()
    assert engagement.id is not None
    return engagement.id


def sessions_of(db: Session, engagement_id: int) -> list[CoachingSession]:
    return list(
        fresh(db).exec(
            select(CoachingSession)
            .where(CoachingSession.engagement_id == engagement_id)
            .order_by(col(CoachingSession.number))
        )
    )


def outbox(db: Session, kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(col(OutboxMessage.id))
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(fresh(db).exec(query))


def ical_js(*documents: bytes) -> list[dict[str, Any]]:
    """Mozilla ical.js's reading of each document (tests/scheduling's checker)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scheduling" / "conftest.py"
    spec = importlib.util.spec_from_file_location("scheduling_checks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result: list[dict[str, Any]] = module.parse_with_ical_js(*documents)
    return result
