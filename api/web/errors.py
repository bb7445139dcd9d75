"""HTML error pages for browsers outside the page routes.

Page routes render their own failures (`api.web.route`). What is left is the router's own
404 and 405 for a path no route serves: a browser (Accept: text/html) gets the error page
in the reader's language, every other client (and every API route) the JSON error.
"""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from starlette.exceptions import HTTPException

from api.deps import SESSION_COOKIE, in_database
from api.errors import NotAuthenticated
from api.web.route import WebRoute, error_page
from api.web.viewer import Viewer, viewer_of

log = logging.getLogger(__name__)

# The router's statuses, as pages.
PAGE_KEYS = {404: "error.not_found", 405: "error.not_found"}


def wants_page(request: Request) -> bool:
    """A browser asking for a page at a path no API route answers."""
    route = request.scope.get("route")
    if isinstance(route, APIRoute) and not isinstance(route, WebRoute):
        return False
    return "text/html" in request.headers.get("accept", "")


def _viewer(request: Request) -> Viewer:
    """The signed-in reader when their cookie is valid (their language and name), else
    an anonymous one; a database that cannot be read leaves the page anonymous."""
    from api.accounts.service import user_for_token

    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return viewer_of(request, None, None)
    try:
        with Session(request.app.state.engine) as session:
            user = user_for_token(session=session, token=token, now=request.app.state.clock.now())
            return viewer_of(request, session, user)
    except NotAuthenticated:
        return viewer_of(request, None, None)
    except SQLAlchemyError:
        log.warning("error page rendered anonymously: the database could not be read")
        return viewer_of(request, None, None)


async def page_for(request: Request, exc: Exception) -> Response | None:
    """The HTML page for `exc`, or None when the JSON error is the answer. The reader is
    looked up in a request thread and a database slot, never on the event loop."""
    if not isinstance(exc, HTTPException) or exc.status_code not in PAGE_KEYS:
        return None
    if not wants_page(request):
        return None
    request.state.viewer = await in_database(request.app, _viewer, request)
    return error_page(request, exc.status_code, PAGE_KEYS[exc.status_code])
