"""The priority stage's linear relaxation: its rows, pins and budget, and when it is skipped."""

from __future__ import annotations

import pytest

from matcher import relaxation
from matcher.instance import Candidate, Instance
from matcher.relaxation import relaxed_assignment


def _instance(**changes: object) -> Instance:
    fields: dict[str, object] = {
        "request_ids": ("r0", "r1"),
        "coach_ids": ("A",),
        "candidates": (Candidate(0, 0, 300, 0, 100), Candidate(1, 0, 300, 0, 0)),
        "capacity_minutes": (450,),
        "capacity_count": (2,),
        "total_minutes": (450,),
        "internal": (True,),
        "priority_weight": (4, 3),
        "waiting_days": (0, 0),
    }
    fields.update(changes)
    return Instance(**fields)  # type: ignore[arg-type]


def test_hours_bind_and_the_denser_request_is_whole():
    assert relaxed_assignment(_instance()) == pytest.approx([1.0, 0.5])


def test_a_pin_is_whole_and_the_budget_binds():
    pinned = relaxed_assignment(_instance(pinned={1: 1}))
    assert pinned == pytest.approx([0.5, 1.0])
    # 100 of budget would buy all of r0; 50 buys half.
    assert relaxed_assignment(_instance(budget=50)) == pytest.approx([0.5, 1.0])


def test_skipped_when_too_big_or_empty(monkeypatch: pytest.MonkeyPatch):
    assert relaxed_assignment(_instance(candidates=())) is None
    monkeypatch.setattr(relaxation, "MAX_PAIRS", 1)
    assert relaxed_assignment(_instance()) is None


def test_pins_beyond_capacity_give_none():
    assert relaxed_assignment(_instance(pinned={0: 0, 1: 1}, capacity_count=(1,))) is None
