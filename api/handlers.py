"""The one place where exceptions become HTTP responses: `{"detail": ..., "field": ...}`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from api import messages
from api.errors import ApiError, NotAuthenticated, TooManyRequests
from matcher.errors import MatcherError, OrgChartError, ProblemError
from scheduling.errors import IcsTooLargeError, SchedulingError

log = logging.getLogger(__name__)

Body = dict[str, Any]


def _api_error(exc: ApiError) -> tuple[int, Body, dict[str, str]]:
    headers: dict[str, str] = {}
    if isinstance(exc, NotAuthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after)
    body = {"detail": exc.message, "field": exc.field, **_code(exc.message), **exc.extra}
    return exc.status_code, body, headers


def _code(message: str) -> Body:
    """The message's code and values (to translate it by code), JSON-safe."""
    found = messages.code_of(message)
    if found is None:
        return {}
    code, params = found
    safe = {
        k: v if isinstance(v, (str, int, float, bool)) or v is None else str(v)
        for k, v in params.items()
    }
    return {"code": code, "params": safe}


def _matcher_error(exc: MatcherError) -> tuple[int, Body, dict[str, str]]:
    if isinstance(exc, ProblemError):
        return 422, {"detail": exc.detail, "field": exc.path}, {}
    if isinstance(exc, OrgChartError):
        return 422, {"detail": str(exc), "field": "manager_id", "people": list(exc.people)}, {}
    return 422, {"detail": str(exc), "field": None}, {}


def _scheduling_error(exc: SchedulingError) -> tuple[int, Body, dict[str, str]]:
    status = 413 if isinstance(exc, IcsTooLargeError) else 422
    return status, {"detail": exc.message, "field": exc.field}, {}


def _field(loc: tuple[Any, ...]) -> str | None:
    # ("body", "description") -> "description"; ("query", "limit") -> "limit"
    parts = [str(p) for p in loc[1:]] if loc and loc[0] in {"body", "query", "path"} else []
    if not parts and loc:
        parts = [str(p) for p in loc if p not in {"body", "query", "path", "header", "cookie"}]
    return ".".join(parts) or None


def _validation_error(exc: RequestValidationError) -> tuple[int, Body, dict[str, str]]:
    errors = []
    for err in exc.errors():
        field = _field(tuple(err.get("loc", ())))
        message = str(err.get("msg", "invalid value"))
        if err.get("type") == "missing":
            message = "is required"
        errors.append({"field": field, "message": message})
    first = errors[0] if errors else {"field": None, "message": "invalid request"}
    detail = (
        messages.VALIDATION.format(field=first["field"], message=first["message"])
        if first["field"]
        else first["message"]
    )
    return 422, {"detail": detail, "field": first["field"], "errors": errors}, {}


def _http_error(exc: HTTPException) -> tuple[int, Body, dict[str, str]]:
    return exc.status_code, {"detail": exc.detail, "field": None}, dict(exc.headers or {})


def _integrity_error(exc: IntegrityError) -> tuple[int, Body, dict[str, str]]:
    # A race lost against a unique or foreign key constraint: the service checks these
    # first, so this is a conflict with a concurrent change, not a server fault.
    log.warning("integrity error mapped to 409: %s", type(exc.orig).__name__)
    return 409, {"detail": messages.CONFLICT_DB, "field": None}, {}


# Lock waits that ran out: SQLite's busy timeout, PostgreSQL's lock timeout, deadlock or
# serialisation failure. The change can simply be tried again.
BUSY_ERRORS = {"LockNotAvailable", "DeadlockDetected", "SerializationFailure"}


def _operational_error(exc: OperationalError) -> tuple[int, Body, dict[str, str]]:
    orig = exc.orig
    if type(orig).__name__ in BUSY_ERRORS or "database is locked" in str(orig):
        log.warning("lock wait ran out, mapped to 503: %s", type(orig).__name__)
        return 503, {"detail": messages.BUSY, "field": None}, {"Retry-After": "1"}
    log.exception("database error", exc_info=exc)
    return 500, {"detail": messages.INTERNAL, "field": None}, {}


def _data_error(exc: DataError) -> tuple[int, Body, dict[str, str]]:
    # A value the database cannot hold (out of range, a NUL character): the inputs are
    # bounded and checked first, so reaching this is a gap in those checks, logged as one.
    log.warning("database refused a value, mapped to 422: %s", type(exc.orig).__name__)
    return 422, {"detail": messages.VALUE_OUT_OF_RANGE, "field": None}, {}


MAPPING: dict[type[Exception], Callable[[Any], tuple[int, Body, dict[str, str]]]] = {
    ApiError: _api_error,
    MatcherError: _matcher_error,
    SchedulingError: _scheduling_error,
    RequestValidationError: _validation_error,
    HTTPException: _http_error,
    IntegrityError: _integrity_error,
    DataError: _data_error,
    OperationalError: _operational_error,
}


def error_response(exc: Exception) -> JSONResponse:
    for cls in type(exc).__mro__:
        convert = MAPPING.get(cls)
        if convert is not None:
            status, body, headers = convert(exc)
            return JSONResponse(body, status_code=status, headers=headers)
    log.exception("unhandled %s", type(exc).__name__, exc_info=exc)
    return JSONResponse({"detail": messages.INTERNAL, "field": None}, status_code=500)


async def handle(request: Request, exc: Exception) -> Response:
    from api.web.errors import page_for  # a browser at a path no route serves: a page

    return await page_for(request, exc) or error_response(exc)


def install(app: FastAPI) -> None:
    for cls in MAPPING:
        app.add_exception_handler(cls, handle)
