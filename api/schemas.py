"""Schemas shared by every feature: pages and error bodies."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class ErrorOut(BaseModel):
    detail: str
    field: str | None = None
    # The message's code (api/messages.py) and the values in it, for a client's own words.
    code: str | None = None
    params: dict[str, Any] | None = None


Responses = dict[int | str, dict[str, Any]]  # FastAPI's `responses=` documentation

ERRORS: Responses = {
    401: {"model": ErrorOut, "description": "sign-in required"},
    403: {"model": ErrorOut, "description": "role not allowed"},
    422: {"model": ErrorOut, "description": "invalid input; `field` names it"},
}
