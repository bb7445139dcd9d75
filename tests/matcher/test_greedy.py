"""The greedy warm start: every hard rule kept, and the better of two coach choices."""

from __future__ import annotations

from matcher.greedy import _greedy, greedy
from matcher.instance import Candidate, Instance


def _instance(candidates: list[Candidate], count: list[int], minutes: list[int]) -> Instance:
    requests = 1 + max(c.request for c in candidates)
    return Instance(
        request_ids=tuple(f"r{i}" for i in range(requests)),
        coach_ids=tuple(f"c{i}" for i in range(len(count))),
        candidates=tuple(candidates),
        capacity_minutes=tuple(minutes),
        capacity_count=tuple(count),
        total_minutes=tuple(minutes),
        internal=(True,) * len(count),
        priority_weight=(1,) * requests,
        waiting_days=(0,) * requests,
    )


def test_keeping_hours_and_seats_in_step_matches_more_than_the_best_score():
    # r0 (10 h) scores best with B, but B's hours then run out with a seat left, while
    # A's single seat would hold exactly r0; r1 and r2 (5 h each) can only go to B.
    inst = _instance(
        [
            Candidate(0, 0, 600, 10, 0),
            Candidate(0, 1, 600, 50, 0),
            Candidate(1, 1, 300, 10, 0),
            Candidate(2, 1, 300, 10, 0),
        ],
        count=[1, 2],
        minutes=[600, 600],
    )
    assert [inst.candidates[k].coach for k in _greedy(inst, balance=False)] == [1]
    balanced = _greedy(inst, balance=True)
    assert sorted((inst.candidates[k].request, inst.candidates[k].coach) for k in balanced) == [
        (0, 0),
        (1, 1),
        (2, 1),
    ]
    assert greedy(inst) == balanced


def test_the_best_score_is_kept_when_both_match_as_many():
    # A's one seat fits r0 exactly (the balanced choice); B scores better. Both rules
    # match the one request, so the better fit wins.
    inst = _instance(
        [Candidate(0, 0, 300, 5, 0), Candidate(0, 1, 300, 40, 0)],
        count=[1, 3],
        minutes=[300, 3000],
    )
    assert [inst.candidates[k].coach for k in _greedy(inst, balance=True)] == [0]
    assert [inst.candidates[k].coach for k in greedy(inst)] == [1]


def test_the_relaxations_pairs_first_when_both_greedy_rules_fall_short():
    # r2 (priority weight 2) goes first: by score to B, whose one seat is then gone, or
    # (in step) to A, which then holds r0 and has no hours left for r1. The relaxation
    # puts r0 at B and r1, r2 at A: all three.
    inst = Instance(
        request_ids=("r0", "r1", "r2"),
        coach_ids=("A", "B"),
        candidates=(
            Candidate(0, 0, 600, 38, 0),
            Candidate(0, 1, 600, 37, 0),
            Candidate(1, 0, 600, 0, 0),
            Candidate(2, 0, 300, 35, 0),
            Candidate(2, 1, 300, 45, 0),
        ),
        capacity_minutes=(900, 900),
        capacity_count=(2, 1),
        total_minutes=(900, 900),
        internal=(True, True),
        priority_weight=(1, 1, 2),
        waiting_days=(0, 0, 0),
    )
    assert len(_greedy(inst, balance=False)) == len(_greedy(inst, balance=True)) == 2
    chosen = greedy(inst)
    assert sorted((inst.candidates[k].request, inst.candidates[k].coach) for k in chosen) == [
        (0, 1),
        (1, 0),
        (2, 0),
    ]
