"""HR's view of outgoing email, and a manual delivery trigger."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import ClockDep, HRUser, PageDep, SessionDep, SettingsDep
from api.models.enums import OutboxStatus
from api.outbox import deliver_pending, list_messages
from api.schemas import ERRORS, Page

router = APIRouter(tags=["outbox"], responses=ERRORS)


class OutboxItem(BaseModel):
    """Metadata only: bodies may hold one-time links, so they are not shown."""

    id: int
    kind: str
    recipient: str
    subject: str
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


class DeliveryOut(BaseModel):
    sent: int
    retried: int
    failed: int


@router.get("/outbox")
def list_outbox(
    user: HRUser, session: SessionDep, page: PageDep, status: OutboxStatus | None = None
) -> Page[OutboxItem]:
    rows, total = list_messages(
        session=session, status=status, limit=page.limit, offset=page.offset
    )
    items = [OutboxItem.model_validate(r, from_attributes=True) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/outbox/deliver")
def deliver_now(
    user: HRUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> DeliveryOut:
    """Deliver due messages now instead of waiting for the background loop."""
    report = deliver_pending(session, settings, clock.now())
    return DeliveryOut(sent=report.sent, retried=report.retried, failed=report.failed)
