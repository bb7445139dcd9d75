"""Conflicts of interest and HR pair adjustments."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict

from api.models.conflicts import ConflictBase, PairAdjustmentBase


class ConflictCreate(ConflictBase):
    model_config = ConfigDict(extra="forbid")


class ConflictPublic(ConflictBase):
    id: int
    created_at: datetime


class PairAdjustmentCreate(PairAdjustmentBase):
    model_config = ConfigDict(extra="forbid")


class PairAdjustmentPublic(PairAdjustmentBase):
    id: int
    created_at: datetime
