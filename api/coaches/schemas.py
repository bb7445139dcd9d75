"""Coach schemas: HR creates and edits coaches; the coach reads their own record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints
from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig  # sqlmodel's config type (SQLModel subclasses)

from api.models.coaches import CoachBase
from api.models.enums import COACH_MODALITIES, CoachKind, RequestType
from api.places.schemas import RoomUrl
from api.validation import (
    MAX_CHOICES,
    Currency,
    Email,
    Languages,
    Name,
    Tags,
    TimeZoneName,
    max_items,
    one_of,
)


def _blank_none(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


Modalities = Annotated[list[str], *max_items(MAX_CHOICES), one_of(COACH_MODALITIES)]
# The coach's short presentation: plain text, surrounding blanks dropped, empty -> None.
Bio = Annotated[
    Annotated[str, StringConstraints(max_length=600)] | None, BeforeValidator(_blank_none)
]
CoachingTypes = Annotated[
    list[str], *max_items(MAX_CHOICES), one_of(tuple(t.value for t in RequestType))
]


class CoachCreate(CoachBase):
    kind: CoachKind
    name: Name | None = None
    email: Email | None = None
    timezone: TimeZoneName = "UTC"
    currency: Currency | None = None
    languages: Languages = Field(min_length=1, examples=[["fr", "en"]])
    themes: Tags = Field(default_factory=list, examples=[["leadership", "transition"]])
    coaching_types: CoachingTypes = Field(
        default_factory=lambda: ["coaching"], examples=[["coaching", "mediation"]]
    )
    modalities: Modalities = Field(min_length=1, examples=[["remote", "onsite"]])
    sites: Tags = Field(default_factory=list, examples=[["Paris"]])
    room_url: RoomUrl | None = None
    bio: Bio = None

    model_config = SQLModelConfig(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "external",
                    "name": "Jane Doe",
                    "email": "jane@vendor.example",
                    "vendor": "Acme Coaching",
                    "rate_per_session_cents": 25000,
                    "currency": "EUR",
                    "referenced_from": "2026-01-01",
                    "referenced_until": "2027-12-31",
                    "languages": ["en", "fr"],
                    "themes": ["leadership"],
                    "modalities": ["remote"],
                    "max_coachees": 4,
                    "hours_per_month": 16,
                    "timezone": "Europe/Paris",
                },
                {
                    "kind": "internal",
                    "person_id": 12,
                    "certified_until": "2027-06-30",
                    "languages": ["fr"],
                    "modalities": ["onsite"],
                    "sites": ["Lyon"],
                    "max_coachees": 2,
                    "time_share": 0.1,
                    "timezone": "Europe/Paris",
                },
            ]
        },
    )


class CoachUpdate(SQLModel):
    """Only the fields sent change; `kind` and `person_id` cannot."""

    model_config = SQLModelConfig(extra="forbid")

    name: Name | None = None
    email: Email | None = None
    timezone: TimeZoneName | None = None
    certified_until: date | None = None
    vendor: str | None = Field(default=None, max_length=200)
    rate_per_session_cents: int | None = Field(default=None, ge=0)
    currency: Currency | None = None
    referenced_from: date | None = None
    referenced_until: date | None = None
    languages: Languages | None = Field(default=None, min_length=1)
    themes: Tags | None = None
    coaching_types: CoachingTypes | None = None
    modalities: Modalities | None = Field(default=None, min_length=1)
    sites: Tags | None = None
    max_coachees: int | None = Field(default=None, ge=0)
    time_share: float | None = Field(default=None, ge=0, le=1)
    hours_per_month: float | None = Field(default=None, ge=0)
    active: bool | None = None
    bio: Bio = None


class CoachProfileIn(SQLModel):
    """What the coach writes about themselves (`PUT /me/coach/profile`)."""

    model_config = SQLModelConfig(extra="forbid")

    bio: Bio = Field(default=None, examples=["Ten years coaching managers through change."])


class CoachPublic(CoachBase):
    id: int
    created_at: datetime
    updated_at: datetime
