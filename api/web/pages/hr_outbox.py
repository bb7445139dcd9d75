"""HR's outbox page: outgoing email with its delivery state (never its body, which may hold
a one-time link), and a button to deliver what is due now (`api.outbox`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from api.deps import ClockDep, SessionDep, SettingsDep
from api.models.enums import OutboxStatus
from api.outbox import deliver_pending, list_messages
from api.web.csrf import checked_form
from api.web.pages.hr import choice
from api.web.paging import pager, with_total
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import HRPage

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
OUTBOX = "/hr/outbox"


@router.get(OUTBOX)
def outbox_page(
    request: Request, viewer: HRPage, session: SessionDep, status: str = "", page: int = 1
) -> Response:
    p = pager(page, {"status": status})
    rows, total = list_messages(
        session=session, status=choice(OutboxStatus, status), limit=p.limit, offset=p.offset
    )
    return render(
        request,
        viewer,
        "hr/outbox.html",
        messages=rows,
        pager=with_total(p, total),
        filters={"status": status},
        statuses=list(OutboxStatus),
    )


@router.post(OUTBOX + "/deliver")
def deliver_now(
    viewer: HRPage, form: Form, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> Response:
    """Deliver the due messages now rather than at the next round of the background loop."""
    deliver_pending(session, settings, clock.now())
    return redirect(OUTBOX, flash="flash.outbox_delivered")
