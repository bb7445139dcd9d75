"""HR's outbox page: outgoing email with its delivery state (never its body, which may hold
a one-time link: the list never reads it), with its search (recipient), filters (state,
kind), sort, pages and CSV export (`api.web.lists`), and a button to deliver what is due
now (`api.outbox`)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from api.deps import ClockDep, SessionDep, SettingsDep
from api.i18n import t
from api.models import OutboxMessage
from api.models.enums import OutboxStatus
from api.outbox import deliver_pending
from api.web import lists
from api.web.csrf import checked_form
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import HRPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
OUTBOX = "/hr/outbox"


class Sort(StrEnum):
    queued = "queued"
    recipient = "recipient"
    attempts = "attempts"


SPEC = lists.Spec(sorts=Sort, sort=Sort.queued, choices={"status": OutboxStatus}, texts=("kind",))


KEYS = {
    Sort.queued: lambda r: (r.created_at, r.id),
    Sort.recipient: lambda r: (lists.folded(r.recipient), r.id),
    Sort.attempts: lambda r: (r.attempts, r.id),
}


def _rows(session: Session) -> list[OutboxMessage]:
    """Every message's metadata: the body (`raw_mime`) is never loaded."""
    body: Any = OutboxMessage.raw_mime  # an instrumented attribute at run time
    query = select(OutboxMessage).options(defer(body))
    return list(session.exec(query.order_by(col(OutboxMessage.id))))


def _found(
    session: Session, viewer: SignedIn, query: lists.Query, now: datetime
) -> list[OutboxMessage]:
    return _kept(_rows(session), query)


def _kept(rows: list[OutboxMessage], query: lists.Query) -> list[OutboxMessage]:
    if query.errors:
        return []
    kept = (
        r
        for r in rows
        if lists.found(query.q, r.recipient)
        and query.chosen.get("status") in (None, r.status)
        and lists.same(query, "kind", r.kind)
    )
    return lists.sorted_rows(kept, query, KEYS)


@router.get(OUTBOX)
def outbox_page(request: Request, viewer: HRPage, session: SessionDep, clock: ClockDep) -> Response:
    query = lists.parse(request.query_params, SPEC)
    rows = _rows(session)
    listed = lists.shown(query, _kept(rows, query), OUTBOX + ".csv", viewer.lang)
    return render(
        request,
        viewer,
        "hr/outbox.html",
        statuses=list(OutboxStatus),
        kinds=[(k, k) for k in sorted({r.kind for r in rows})],
        sorts=list(Sort),
        **listed,
    )


EXPORT = lists.Export[OutboxMessage](
    "outbox",
    ("col.id", "outbox.kind", "outbox.recipient", "outbox.subject", "col.status",
     "outbox.attempts", "outbox.queued", "outbox.sent"),
    lambda r, viewer: [
        r.id, r.kind, r.recipient, r.subject, t(f"status.outbox.{r.status}", viewer.lang),
        r.attempts, r.created_at.isoformat(timespec="minutes"),
        r.sent_at.isoformat(timespec="minutes") if r.sent_at else "",
    ],
)  # fmt: skip
lists.csv_route(router, OUTBOX + ".csv", SPEC, EXPORT, _found, outbox_page)


@router.post(OUTBOX + "/deliver")
def deliver_now(
    viewer: HRPage, form: Form, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> Response:
    """Deliver the due messages now rather than at the next round of the background loop."""
    deliver_pending(session, settings, clock.now())
    return redirect(OUTBOX, flash="flash.outbox_delivered")
