"""Conflicts of interest and HR pair adjustments."""

from __future__ import annotations

from datetime import datetime

from sqlmodel._compat import SQLModelConfig  # sqlmodel's config type (SQLModel subclasses)

from api.models.conflicts import ConflictBase, PairAdjustmentBase


class ConflictCreate(ConflictBase):
    model_config = SQLModelConfig(extra="forbid")


class ConflictPublic(ConflictBase):
    id: int
    created_at: datetime


class PairAdjustmentCreate(PairAdjustmentBase):
    model_config = SQLModelConfig(extra="forbid")


class PairAdjustmentPublic(PairAdjustmentBase):
    id: int
    created_at: datetime
