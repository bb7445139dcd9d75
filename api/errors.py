"""The service's own errors. `api.handlers` maps them (and the cores' errors) to HTTP."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Base class: a message for the caller, the offending field when there is one."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidInput(ApiError):
    status_code = 422


class NotFound(ApiError):
    status_code = 404


class Conflict(ApiError):
    """The request is well-formed but clashes with the current state (409)."""

    status_code = 409


class NotAuthenticated(ApiError):
    status_code = 401


class Forbidden(ApiError):
    status_code = 403


class PayloadTooLarge(ApiError):
    status_code = 413


class TooManyRequests(ApiError):
    status_code = 429

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = max(1, retry_after)


class ImportRejected(InvalidInput):
    """A file was refused as a whole; `errors` lists the first problems with their line,
    `error_count` counts them all."""

    def __init__(
        self,
        message: str,
        *,
        errors: list[dict[str, Any]],
        error_count: int | None = None,
        field: str = "file",
    ) -> None:
        count = len(errors) if error_count is None else error_count
        super().__init__(message, field=field, errors=errors, error_count=count)
        self.errors = errors
        self.error_count = count
