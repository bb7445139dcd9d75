"""Request schemas. What a role may see is a schema: `RequestHRView` has no confidential
field at all, so HR cannot be shown a description by mistake."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field
from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig  # sqlmodel's config type (SQLModel subclasses)

from api.models.enums import Modality, RequestStatus, RequestType
from api.models.requests import DESCRIPTION_MAX, OBJECTIVES_MAX, RequestBase
from api.types import RowId
from api.validation import Language, Tags, max_chars, max_items

from .participants import MAX_PARTICIPANTS

Description = Annotated[str | None, max_chars(DESCRIPTION_MAX)]
Objectives = Annotated[str | None, max_chars(OBJECTIVES_MAX)]
# The other people of a team coaching or a mediation (person ids; repeats dropped).
ParticipantIds = Annotated[
    list[RowId], *max_items(MAX_PARTICIPANTS), AfterValidator(lambda v: list(dict.fromkeys(v)))
]
_PARTICIPANTS = (
    "team coaching: the team's other members (1-30); mediation: the other party (exactly "
    "1); none for coaching and tutoring"
)

_EXAMPLE: dict[str, Any] = {
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

    model_config = SQLModelConfig(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})
    coachee_id: RowId
    sponsor_id: RowId | None = None
    coaching_type: RequestType = RequestType.COACHING
    themes: Tags = Field(default_factory=list)
    language: Language
    participant_ids: ParticipantIds = Field(default_factory=list, description=_PARTICIPANTS)
    description: Description = Field(default=None, description="confidential, max 1,000 chars")
    objectives: Objectives = Field(default=None, description="confidential, max 1,000 chars")


class OwnRequestCreate(SQLModel):
    """A coachee submits their own request (the coachee is the signed-in person)."""

    model_config = SQLModelConfig(extra="forbid")

    sponsor_id: RowId | None = None
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

    model_config = SQLModelConfig(extra="forbid")

    sponsor_id: RowId | None = None
    coaching_type: RequestType | None = None
    themes: Tags | None = None
    language: Language | None = None
    modality: Modality | None = None
    sessions: int | None = Field(default=None, ge=1, le=50)
    session_minutes: int | None = Field(default=None, ge=15, le=480)
    cadence_days: int | None = Field(default=None, ge=1, le=180)
    priority: int | None = Field(default=None, ge=1, le=5)
    participant_ids: ParticipantIds | None = Field(default=None, description=_PARTICIPANTS)


class RequestBriefUpdate(SQLModel):
    """The coachee edits the confidential part (their own words; nobody else may)."""

    model_config = SQLModelConfig(extra="forbid")

    description: Description = None
    objectives: Objectives = None


class RequestHRView(RequestBase):
    id: int
    status: RequestStatus
    submitted_at: datetime
    updated_at: datetime
    participant_ids: list[int] = Field(
        default_factory=list, description="the other participants (team, mediation party)"
    )


class RequestSponsorView(RequestHRView):
    """For the sponsor and the other participants: the request without the coachee's
    brief (see the README's visibility table)."""

    party: Literal["sponsor", "participant"] = Field(
        description="how you are party to this request"
    )


class RequestPrivateView(RequestHRView):
    """For the coachee and the engaged coach only: with the brief."""

    party: Literal["coachee", "coach"] = Field(description="how you are party to this request")
    description: str | None
    objectives: str | None


# What a party reads of a request: the shape follows `party`.
RequestMineView = Annotated[RequestPrivateView | RequestSponsorView, Field(discriminator="party")]
