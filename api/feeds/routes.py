"""Personal calendar feeds: manage your secret URL; calendar apps fetch it anonymously."""

from __future__ import annotations

from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status

from api import messages
from api.deps import ClientIP, ClockDep, CurrentUser, SessionDep, SettingsDep
from api.errors import NotFound, TooManyRequests
from api.feeds.limiter import MissLimiter
from api.schemas import ERRORS

from . import service
from .schemas import FeedCreated, FeedStatus

router = APIRouter(tags=["feeds"], responses=ERRORS)


@router.get("/me/feed")
def feed_status(user: CurrentUser, session: SessionDep) -> FeedStatus:
    """Whether you have an active feed URL (the secret itself is never shown again)."""
    row = service.status(session=session, user=user)
    return FeedStatus(
        active=row is not None,
        created_at=row.created_at if row else None,
        last_used_at=row.last_used_at if row else None,
    )


@router.post("/me/feed", status_code=status.HTTP_201_CREATED)
def rotate_feed(
    user: CurrentUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> FeedCreated:
    """Create your secret feed URL, or replace it (the old URL stops working)."""
    token, row = service.rotate(session=session, user=user, now=clock.now())
    return FeedCreated(url=f"{settings.base_url}/feeds/{token}.ics", created_at=row.created_at)


@router.delete("/me/feed", status_code=status.HTTP_204_NO_CONTENT)
def revoke_feed(user: CurrentUser, session: SessionDep, clock: ClockDep) -> None:
    """Revoke your feed URL."""
    service.revoke(session=session, user=user, now=clock.now())


def _not_modified(etag: str, if_none_match: str | None) -> bool:
    if if_none_match is None:
        return False
    tags = [t.strip() for t in if_none_match.split(",")]
    return "*" in tags or etag in tags or f"W/{etag}" in tags


@router.get(
    "/feeds/{token}.ics",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {}}, "description": "the person's sessions"},
        304: {"description": "unchanged since the ETag you sent"},
        404: {"description": "unknown or revoked feed"},
        429: {"description": "too many unknown feeds from your address"},
    },
)
def get_feed(
    token: str,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    ip: ClientIP,
    if_none_match: Annotated[str | None, Header()] = None,
    if_modified_since: Annotated[str | None, Header()] = None,
) -> Response:
    """The sessions of the feed's owner as iCalendar. No sign-in: the URL is the secret."""
    limiter: MissLimiter = request.app.state.feed_limiter
    now = clock.now()
    wait = limiter.retry_after(ip, now)
    if wait is not None:
        raise TooManyRequests(messages.FEED_RATE_LIMITED.format(seconds=wait), retry_after=wait)
    found = service.lookup(session=session, token=token)
    if found is None:
        limiter.record_miss(ip, now)
        raise NotFound(messages.NOT_FOUND.format(what="feed"))
    token_row, user = found
    body, etag, last_modified = service.render(
        session=session,
        token_row=token_row,
        user=user,
        now=now,
        default_zone=request.app.state.settings.default_timezone,
    )
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(last_modified.replace(microsecond=0), usegmt=True),
        "Cache-Control": "private, no-cache",
    }
    if _not_modified(etag, if_none_match):
        return Response(status_code=304, headers=headers)
    if if_none_match is None and if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            since = None
        if (
            since is not None
            and since.tzinfo is not None
            and last_modified.replace(microsecond=0) <= since
        ):
            return Response(status_code=304, headers=headers)
    return Response(content=body, media_type="text/calendar; charset=utf-8", headers=headers)
