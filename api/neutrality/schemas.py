"""Conflicts of interest and HR pair adjustments."""

from __future__ import annotations

from datetime import datetime

from api.models.conflicts import ConflictBase, PairAdjustmentBase


class ConflictCreate(ConflictBase):
    pass


class ConflictPublic(ConflictBase):
    id: int
    created_at: datetime


class PairAdjustmentCreate(PairAdjustmentBase):
    pass


class PairAdjustmentPublic(PairAdjustmentBase):
    id: int
    created_at: datetime
