"""Personal calendar feeds: manage your secret URL; calendar apps fetch it anonymously."""

from __future__ import annotations

from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Header, Request, Response, status

from api import messages
from api.deps import ClientIP, ClockDep, CurrentUser, SessionDep, SettingsDep
from api.errors import NotFound, TooManyRequests
from api.feeds import limiter
from api.metrics import FEED_HITS
from api.schemas import ERRORS
from api.settings import Settings

from . import service
from .schemas import FeedCreated, FeedSettings, FeedStatus

router = APIRouter(tags=["feeds"], responses=ERRORS)


@router.get("/me/feed")
def feed_status(user: CurrentUser, session: SessionDep) -> FeedStatus:
    """Whether you have an active feed URL (the secret itself is never shown again)."""
    row = service.status(session=session, user=user)
    return FeedStatus(
        active=row is not None,
        created_at=row.created_at if row else None,
        last_used_at=row.last_used_at if row else None,
        detail="names" if user.feed_detail == "names" else "title",
    )


@router.patch("/me/feed")
def feed_settings(user: CurrentUser, session: SessionDep, body: FeedSettings) -> FeedStatus:
    """Choose what your feed's events show: `title` (the default: a neutral title, the
    time and the place, so a calendar others can read shows nothing more) or `names`."""
    service.set_detail(session=session, user=user, detail=body.detail)
    return feed_status(user, session)


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


@router.head("/feeds/{token}.ics", include_in_schema=False, response_class=Response)
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
    background: BackgroundTasks,
    if_none_match: Annotated[str | None, Header()] = None,
    if_modified_since: Annotated[str | None, Header()] = None,
) -> Response:
    """The sessions of the feed's owner as iCalendar (HEAD: the headers only). No sign-in:
    the URL is the secret."""
    settings: Settings = request.app.state.settings
    now = clock.now()
    found = service.lookup(session=session, token=token)
    if found is None:
        # Only misses are limited: calendar services poll from shared addresses and keep
        # polling revoked URLs, which must never freeze the valid feeds behind them.
        window, limit = settings.feed_miss_window_seconds, settings.feed_miss_limit
        wait = limiter.retry_after(session, ip=ip, now=now, limit=limit, window=window)
        if wait is not None:
            FEED_HITS.labels(status="429").inc()
            raise TooManyRequests(messages.FEED_RATE_LIMITED.format(seconds=wait), retry_after=wait)
        limiter.record_miss(session, ip=ip, now=now, window=window)
        FEED_HITS.labels(status="404").inc()
        raise NotFound(messages.NOT_FOUND.format(what="feed"))
    token_row, user = found
    if service.needs_touch(token_row, now) and token_row.id is not None:
        background.add_task(service.touch, session, token_row.id, now)
    # Calendar apps poll every few minutes: answer them from the feed's version (one
    # aggregate read), render only when it changed.
    version = service.validator(
        session=session, settings=settings, token_row=token_row, user=user, now=now
    )
    etag, last_modified = version.etag, version.last_modified
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(last_modified.replace(microsecond=0), usegmt=True),
        "Cache-Control": "private, no-cache",
    }
    if _not_modified(etag, if_none_match):
        FEED_HITS.labels(status="304").inc()
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
            FEED_HITS.labels(status="304").inc()
            return Response(status_code=304, headers=headers)
    FEED_HITS.labels(status="200").inc()
    body = service.body(
        session=session,
        settings=settings,
        bodies=request.app.state.feed_bodies,
        user=user,
        version=version,
        now=now,
    )
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=200, media_type="text/calendar; charset=utf-8", headers=headers)
    return Response(content=body, media_type="text/calendar; charset=utf-8", headers=headers)
