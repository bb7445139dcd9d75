"""The capacity bound: the programme's hours and seats, filled fractionally."""

from __future__ import annotations

from matcher.bounds import capacity_bound
from matcher.instance import Candidate, Instance


def _instance(
    loads: list[int], weights: list[int], count: list[int], minutes: list[int]
) -> Instance:
    # Every coach could take every request.
    candidates = tuple(
        Candidate(r, c, load, 0, 0) for r, load in enumerate(loads) for c in range(len(count))
    )
    return Instance(
        request_ids=tuple(f"r{r}" for r in range(len(loads))),
        coach_ids=tuple(f"c{c}" for c in range(len(count))),
        candidates=candidates,
        capacity_minutes=tuple(minutes),
        capacity_count=tuple(count),
        total_minutes=tuple(minutes),
        internal=(True,) * len(count),
        priority_weight=tuple(weights),
        waiting_days=(0,) * len(loads),
    )


def test_hours_bind():
    # 900 min in all: the two dense requests (16/600 and 8/300) fill it exactly.
    inst = _instance([600, 300, 300], [16, 8, 4], count=[5, 5], minutes=[450, 450])
    assert capacity_bound(inst) == 24


def test_seats_bind():
    # One seat in all: the heaviest weight, whatever the hours.
    inst = _instance([600, 300, 300], [16, 8, 4], count=[1, 0], minutes=[5000, 5000])
    assert capacity_bound(inst) == 16


def test_fractions_round_down_and_unmatchable_requests_do_not_count():
    # 450 min: r0 whole (300 min, 4) and half of r1 (300 min, 3) -> 5.5 -> 5.
    inst = _instance([300, 300], [4, 3], count=[3], minutes=[450])
    assert capacity_bound(inst) == 5
    empty = Instance(("r0",), ("c0",), (), (100,), (1,), (100,), (True,), (16,), (0,))
    assert capacity_bound(empty) == 0
