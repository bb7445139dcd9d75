"""The professional record as HR and the coach read it, and what they send."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from api import messages
from api.models.enums import ReferencingState
from api.validation import Name


class CertificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: Name = Field(description="the certifying body")
    level: Name
    obtained: date
    valid_until: date | None = None

    @field_validator("valid_until")
    @classmethod
    def _order(cls, value: date | None, info: ValidationInfo) -> date | None:
        obtained = info.data.get("obtained")
        if value is not None and obtained is not None and value < obtained:
            raise PydanticCustomError("invalid", messages.END_BEFORE_START)
        return value


class CertificationView(CertificationIn):
    id: int


class RecordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accreditation: str | None = Field(default=None, max_length=200)
    peer_group: str | None = Field(default=None, max_length=200)


class SupervisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    day: date
    hours: float = Field(gt=0, le=100)


class Supervision(BaseModel):
    year: int
    hours: float
    minimum: float = Field(description="the programme's yearly minimum")
    expected_by_now: float = Field(description="the minimum pro rata of the year gone by")
    short: bool


class ReferencingAction(StrEnum):
    propose = "propose"  # -> proposed
    review = "review"  # proposed | lapsed -> under_review
    reference = "reference"  # under_review | referenced -> referenced until a date
    lapse = "lapse"  # referenced -> lapsed


class ReferencingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: ReferencingAction
    until: date | None = Field(default=None, description="for reference: the end date")


class RecordView(BaseModel):
    coach_id: int
    kind: str
    accreditation: str | None
    peer_group: str | None
    certifications: list[CertificationView]
    certified_until: date | None
    referencing_state: ReferencingState | None
    referenced_until: date | None
    valid_until: date | None = Field(description="when the coach stops being eligible")
    lapsed: bool
    supervision: Supervision
