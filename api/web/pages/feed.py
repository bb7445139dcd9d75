"""My calendar feed: create or rotate the secret URL (shown once), or revoke it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from starlette.datastructures import FormData

from api.deps import ClockDep, SessionDep, SettingsDep
from api.feeds import service
from api.web.actions import act
from api.web.confirm import ask_first
from api.web.csrf import checked_form
from api.web.page_forms import ConfirmForm
from api.web.render import render
from api.web.route import page_router
from api.web.viewer import SignedInPage

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]


def _page(request: Request, viewer: SignedInPage, session: SessionDep, **extra: Any) -> Response:
    row = service.status(session=session, user=viewer.user)
    return render(request, viewer, "feed.html", feed=row, **extra)


@router.get("/my/feed")
def feed_page(request: Request, viewer: SignedInPage, session: SessionDep) -> Response:
    return _page(request, viewer, session)


@router.post("/my/feed")
def rotate_feed(
    request: Request,
    viewer: SignedInPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    """The new URL is shown in this response only (it is stored hashed). Replacing a
    live link (calendars subscribed to it stop updating) needs the inline confirmation."""
    if not data.confirmed and service.status(session=session, user=viewer.user) is not None:
        return ask_first("/my/feed")
    token, _row = service.rotate(session=session, user=viewer.user, now=clock.now())
    url = f"{settings.base_url}/feeds/{token}.ics"
    webcal = "webcal://" + url.split("://", 1)[1]
    return _page(request, viewer, session, url=url, webcal=webcal, created=True)


@router.post("/my/feed/revoke")
def revoke_feed(
    request: Request,
    viewer: SignedInPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    user = viewer.user
    if not data.confirmed:
        return ask_first("/my/feed")
    return act(
        request,
        viewer,
        lambda: service.revoke(session=session, user=user, now=clock.now()),
        done="/my/feed",
        flash="flash.feed_revoked",
    )
