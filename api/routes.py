"""Every router of the service, in the order they appear in the OpenAPI document."""

from __future__ import annotations

from fastapi import APIRouter

from api.accounts.routes import router as accounts
from api.audit.routes import router as audit
from api.availability.routes import router as availability
from api.calendars.routes import router as calendars
from api.chemistry.routes import router as chemistry
from api.coaches.routes import router as coaches
from api.engagements.routes import router as engagements
from api.evaluations.routes import router as evaluations
from api.feeds.routes import router as feeds
from api.meta import router as meta
from api.neutrality.routes import router as neutrality
from api.notifications.routes import router as notifications
from api.outbox_routes import router as outbox
from api.people.routes import router as people
from api.places.routes import router as places
from api.privacy.routes import router as privacy
from api.profiles.routes import router as profiles
from api.records.routes import router as records
from api.replies.routes import router as replies
from api.reports.routes import router as reports
from api.requests.routes import router as requests
from api.rounds.routes import router as rounds
from api.sessions.routes import router as sessions
from api.testimonials.routes import router as testimonials
from api.themes.routes import router as themes
from api.travel.routes import router as travel
from api.windows.routes import router as windows

ROUTERS: list[APIRouter] = [
    meta,
    accounts,
    people,
    coaches,
    profiles,
    records,
    neutrality,
    requests,
    availability,
    calendars,
    windows,
    rounds,
    chemistry,
    engagements,
    evaluations,
    testimonials,
    sessions,
    places,
    travel,
    replies,
    reports,
    themes,
    feeds,
    notifications,
    outbox,
    audit,
    privacy,
]
