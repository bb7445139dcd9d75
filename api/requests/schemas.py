"""Request schemas. What a role may see is a schema: `RequestHRView` has no confidential
field at all, so HR cannot be shown a description by mistake."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field
from sqlmodel import SQLModel

from api.models.enums import Modality, RequestStatus, RequestType
from api.models.requests import DESCRIPTION_MAX, OBJECTIVES_MAX, RequestBase
from api.validation import Language, Tags, max_chars

Description = Annotated[str | None, max_chars(DESCRIPTION_MAX)]
Objectives = Annotated[str | None, max_chars(OBJECTIVES_MAX)]

_EXAMPLE = {
    "coachee_id": 42,
    "sponsor_id": 7,
    "coaching_type": "coaching",
    "themes": ["leadership", "first management role"],
    "language": "fr",
    "modality": "remote",
    "sessions": 6,
    "session_minutes": 60,
    "cadence_days": 14,
    "priority": 3,
    "description": "Confidential: what the coachee wants to work on (max 1,000 characters).",
}


class RequestCreate(RequestBase):
    """HR submits a request. The description is write-only for HR: it is stored for the
    coachee, sponsor and coach, and never shown back in an HR view."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})
    coaching_type: RequestType = RequestType.COACHING
    themes: Tags = Field(default_factory=list)
    language: Language
    description: Description = Field(default=None, description="confidential, max 1,000 chars")
    objectives: Objectives = Field(default=None, description="confidential, max 1,000 chars")


class OwnRequestCreate(SQLModel):
    """A coachee submits their own request (the coachee is the signed-in person)."""

    model_config = ConfigDict(extra="forbid")

    sponsor_id: int | None = None
    coaching_type: RequestType = RequestType.COACHING
    themes: Tags = Field(default_factory=list)
    language: Language
    modality: Modality = Modality.ANY
    sessions: int = Field(default=6, ge=1, le=50)
    session_minutes: int = Field(default=60, ge=15, le=480)
    cadence_days: int = Field(default=14, ge=1, le=180)
    description: Description = None
    objectives: Objectives = None


class RequestUpdate(SQLModel):
    """HR's edit of an open request: only the fields sent change. No confidential field."""

    model_config = ConfigDict(extra="forbid")

    sponsor_id: int | None = None
    coaching_type: RequestType | None = None
    themes: Tags | None = None
    language: Language | None = None
    modality: Modality | None = None
    sessions: int | None = Field(default=None, ge=1, le=50)
    session_minutes: int | None = Field(default=None, ge=15, le=480)
    cadence_days: int | None = Field(default=None, ge=1, le=180)
    priority: int | None = Field(default=None, ge=1, le=5)


class RequestBriefUpdate(SQLModel):
    """The coachee or sponsor edits the confidential part."""

    model_config = ConfigDict(extra="forbid")

    description: Description = None
    objectives: Objectives = None


class RequestHRView(RequestBase):
    id: int
    status: RequestStatus
    submitted_at: datetime
    updated_at: datetime


class RequestPrivateView(RequestHRView):
    """For the coachee, the sponsor and the engaged coach only."""

    description: str | None
    objectives: str | None
