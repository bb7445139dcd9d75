"""The tripartite contract of an engagement: versions (nothing is overwritten) and each
party's dated acknowledgement of a version. `objectives` are confidential: only the
coachee, the sponsor and the coach read them (never HR, invites, feeds, logs, reports)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.types import UTCDateTime


class ContractVersion(SQLModel, table=True):
    __tablename__ = "contract_version"
    __table_args__ = (sa.UniqueConstraint("engagement_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", ondelete="CASCADE", index=True)
    version: int = Field(ge=1)
    objectives: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # sessions, session_minutes, cadence_days, modality, start, expected_end
    frame: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # The contract template (and so the confidentiality clause) by request kind.
    template: str = Field(max_length=20)
    created_at: datetime = Field(sa_type=UTCDateTime)


class ContractAcknowledgement(SQLModel, table=True):
    __tablename__ = "contract_acknowledgement"
    __table_args__ = (sa.UniqueConstraint("contract_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract_version.id", ondelete="CASCADE", index=True)
    role: str = Field(max_length=10)  # coach | coachee | sponsor
    acknowledged_at: datetime = Field(sa_type=UTCDateTime)
