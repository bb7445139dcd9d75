"""Every router of the service, in the order they appear in the OpenAPI document."""

from __future__ import annotations

from fastapi import APIRouter

from api.accounts.routes import router as accounts
from api.availability.routes import router as availability
from api.coaches.routes import router as coaches
from api.engagements.routes import router as engagements
from api.feeds.routes import router as feeds
from api.meta import router as meta
from api.neutrality.routes import router as neutrality
from api.outbox_routes import router as outbox
from api.people.routes import router as people
from api.requests.routes import router as requests
from api.rounds.routes import router as rounds
from api.sessions.routes import router as sessions
from api.windows.routes import router as windows

ROUTERS: list[APIRouter] = [
    meta,
    accounts,
    people,
    coaches,
    neutrality,
    requests,
    availability,
    windows,
    rounds,
    engagements,
    sessions,
    feeds,
    outbox,
]
