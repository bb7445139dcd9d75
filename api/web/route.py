"""The route class of every page: errors become HTML pages in the viewer's language.

The API's handlers answer JSON; a page route answers an anonymous visitor with a redirect
to /signin, a wrong role with 403, a missing row with 404 and a forged form with 403, as
pages. Only page routes use this class, so the API's errors are unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute

from api.errors import ApiError
from api.i18n import t
from api.i18n.errors import translate_message
from api.middleware import current_request_id
from api.web import csrf
from api.web.render import render, sign_in_url
from api.web.viewer import PageForbidden, SignInRequired, Viewer, viewer_of

log = logging.getLogger(__name__)


def _viewer(request: Request) -> Viewer:
    found = getattr(request.state, "viewer", None)
    if isinstance(found, Viewer):
        return found
    # The failure came before the viewer was known (e.g. a forged form): anonymous view.
    return viewer_of(request, None, None)


def error_page(
    request: Request, status: int, message_key: str, detail: str | None = None
) -> Response:
    return render(
        request,
        _viewer(request),
        "error.html",
        status=status,
        message_key=message_key,
        detail=detail,
        # a server fault: the reference that finds its log lines
        reference=current_request_id() if status >= 500 else None,
    )


def _failure(request: Request, exc: Exception) -> Response:
    if isinstance(exc, SignInRequired):
        return RedirectResponse(sign_in_url(request), status_code=303)
    if isinstance(exc, PageForbidden):
        return error_page(request, 403, "error.forbidden")
    if isinstance(exc, csrf.CsrfRejected):
        log.warning("form refused: missing or invalid CSRF token on %s", request.url.path)
        return error_page(request, 403, "error.csrf_title", t("error.csrf", _viewer(request).lang))
    if isinstance(exc, RequestValidationError):
        return error_page(request, 400, "error.bad_request")
    if isinstance(exc, ApiError):
        key = {
            401: "error.forbidden",
            403: "error.forbidden",
            404: "error.not_found",
            409: "error.conflict",
            429: "error.too_many",
        }.get(exc.status_code, "error.bad_request")
        return error_page(
            request, exc.status_code, key, translate_message(exc.message, _viewer(request).lang)
        )
    log.exception("page %s failed", request.url.path, exc_info=exc)
    return error_page(request, 500, "error.internal")


class WebRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:  # every failure is a page, never a JSON body
                return _failure(request, exc)

        return run


def page_router() -> APIRouter:
    """A router for pages: WebRoute, and nothing in the OpenAPI document."""
    return APIRouter(route_class=WebRoute, include_in_schema=False)
