"""Org-chart schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from api.models.people import PersonBase
from api.types import RowId


class PersonPublic(PersonBase):
    id: int
    manager_id: RowId | None
    manager_external_id: str | None = None
    active: bool
    created_at: datetime
    updated_at: datetime


class PersonChange(BaseModel):
    external_id: str
    line: int | None = Field(None, description="line in the file (none when deactivated)")
    change: Literal["created", "updated", "deactivated", "reactivated"]
    fields: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description='{"site": {"old": "Lyon", "new": "Paris"}}'
    )


class FlaggedEngagement(BaseModel):
    engagement_id: RowId
    reason: str


class ImportReport(BaseModel):
    dry_run: bool
    confirmation_required: bool = Field(
        default=False,
        description="the import deactivates more than COACHMATCH_ORG_MAX_DEACTIVATION_SHARE "
        "of the active people: it is applied only with confirm_deactivations",
    )
    rows: int
    created: int
    updated: int
    deactivated: int
    accounts_deactivated: int = Field(
        default=0, description="accounts of the people no longer listed, now deactivated"
    )
    previous_addresses_notified: int = Field(
        default=0,
        description="people with an account, a request or a coach record whose email "
        "changed: their previous address was told (their accounts moved to the new one)",
    )
    reactivated: int
    unchanged: int
    changes: list[PersonChange]
    flagged: list[FlaggedEngagement]
