"""Every router of the service, in the order they appear in the OpenAPI document."""

from __future__ import annotations

from fastapi import APIRouter

from api.accounts.routes import router as accounts
from api.meta import router as meta
from api.people.routes import router as people

ROUTERS: list[APIRouter] = [meta, accounts, people]
