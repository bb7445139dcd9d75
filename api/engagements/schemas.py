"""Engagement, contract and session views, and what the parties send."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from api import messages
from api.models.engagements import SessionBase
from api.models.enums import EndReason, EngagementStatus, Modality
from api.types import RowId
from api.validation import max_chars, max_items

OBJECTIVE_MAX = 300
OBJECTIVES_MAX_ITEMS = 10
Objective = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), max_chars(OBJECTIVE_MAX)
]


class EngagementView(BaseModel):
    """What the coach, coachee and sponsor see of their engagement."""

    id: int
    request_id: RowId
    coach_id: RowId
    coach_name: str | None
    coachee_id: RowId
    sponsor_id: RowId | None
    kind: str = Field(description="the request's type: coaching, team_coaching, mediation...")
    state: EngagementStatus
    end_reason: EndReason | None
    ended_at: datetime | None
    predecessor_id: int | None
    confirmed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class EngagementHRView(EngagementView):
    """HR's view: states, dates and codes; never the contract's objectives."""

    flag_reason: str | None
    flagged_at: datetime | None
    coach_change_requested_at: datetime | None
    hold_keeps_capacity: bool


class Frame(BaseModel):
    """The contract's practical frame."""

    model_config = ConfigDict(extra="forbid")
    sessions: int = Field(ge=1, le=50)
    session_minutes: int = Field(ge=15, le=480)
    cadence_days: int = Field(ge=1, le=180)
    modality: Modality
    start: date
    expected_end: date

    @field_validator("expected_end")
    @classmethod
    def _order(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is not None and value < start:
            raise PydanticCustomError("invalid", messages.FRAME_END)
        return value


class Acknowledgement(BaseModel):
    role: str
    acknowledged_at: datetime


class ContractVersionView(BaseModel):
    version: int
    objectives: list[str]
    frame: Frame
    created_at: datetime | None
    acknowledgements: list[Acknowledgement]


class ContractView(ContractVersionView):
    """The current version (version 0: the coach has not written it yet; its frame is the
    request's), who acknowledged it and who has still to; the earlier versions."""

    template: str
    parties: list[str]
    pending: list[str]
    complete: bool
    history: list[ContractVersionView]


class EngagementDetail(EngagementView):
    contract: ContractView


class ContractIn(BaseModel):
    """The coach writes the contract: every change is a new version."""

    model_config = ConfigDict(extra="forbid")
    objectives: Annotated[list[Objective], *max_items(OBJECTIVES_MAX_ITEMS)] = Field(
        min_length=1, description="confidential: the three parties only"
    )
    frame: Frame


class AcknowledgeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int | None = Field(
        default=None, ge=1, le=10_000, description="the version read (refused if stale)"
    )


class EndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: EndReason


class HoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    keep_capacity: bool = Field(True, description="keep the coach's seat while on hold")


class ReassignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    coach_id: RowId | None = Field(
        default=None,
        description="the new coach (checked like a proposal); none: the request is open "
        "again for the next round, the previous coach excluded",
    )


class SessionPublic(SessionBase):
    id: int
    uid: str
    last_change_at: datetime
