"""The priority stage's linear relaxation: its rows, pins and budget, and when it is skipped."""

from __future__ import annotations

import pytest

from matcher import relaxation
from matcher.instance import Candidate, Instance, LineNode
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


def _round(requests: int = 150, seed: int = 3):
    from matcher.instance import prepare
    from matcher.schema import parse_problem
    from matcher.synthetic import programme

    doc = programme(people=900, internal=40, external=6, requests=requests, seed=seed)
    return prepare(parse_problem(doc)).instance


def test_column_generation_reaches_the_whole_relaxation(monkeypatch: pytest.MonkeyPatch):
    inst = _round()
    whole = relaxation.relax(inst, ethics=False)
    monkeypatch.setattr(relaxation, "FULL_PAIRS", 0)  # force column generation
    generated = relaxation.relax(inst, ethics=False)
    assert whole is not None and generated is not None
    assert generated.exact and generated.bound == pytest.approx(whole.value, abs=1e-6)
    # It got there on part of the pairs only.
    assert len(generated.x) < len(inst.candidates)


def test_a_column_generation_cut_short_still_bounds_the_relaxation(
    monkeypatch: pytest.MonkeyPatch,
):
    inst = _round()
    whole = relaxation.relax(inst, ethics=False)
    monkeypatch.setattr(relaxation, "FULL_PAIRS", 0)
    short = relaxation.relax(inst, ethics=False, max_work=0.0)
    assert whole is not None and short is not None
    assert short.bound >= whole.value - 1e-6  # a proven bound, from the duals
    assert short.value <= whole.value + 1e-6  # a restricted optimum


def test_the_subgradient_descent_tightens_a_cut_short_bound_and_keeps_it_valid(
    monkeypatch: pytest.MonkeyPatch,
):
    inst = _round()
    whole = relaxation.relax(inst, ethics=False)
    monkeypatch.setattr(relaxation, "FULL_PAIRS", 0)
    # Both stop after the first solve; the descent's share is not what limits it here.
    monkeypatch.setattr(relaxation, "DESCENT_SHARE", 1e6)
    monkeypatch.setattr(relaxation, "DESCENT_STEPS", 0)
    # From the master's duals (no sample to learn better prices from).
    monkeypatch.setattr(relaxation, "_sample_prices", lambda master: (None, 0.0))
    duals_only = relaxation.relax(inst, ethics=False, max_work=1e-3)
    monkeypatch.setattr(relaxation, "DESCENT_STEPS", 300)
    descended = relaxation.relax(inst, ethics=False, max_work=1e-3)
    assert whole is not None and duals_only is not None and descended is not None
    assert not descended.exact
    # Still a proven bound, strictly tighter than the cut-short duals' own.
    assert whole.value - 1e-6 <= descended.bound < duals_only.bound - 1e-6


def test_a_cut_short_relaxation_keeps_the_samples_prices_when_they_bound_tighter(
    monkeypatch: pytest.MonkeyPatch,
):
    inst = _round()
    whole = relaxation.relax(inst, ethics=False)
    monkeypatch.setattr(relaxation, "FULL_PAIRS", 0)
    monkeypatch.setattr(relaxation, "DESCENT_STEPS", 0)
    sampled = relaxation.relax(inst, ethics=False, max_work=1e-3)
    sample = relaxation._sample_prices
    monkeypatch.setattr(relaxation, "_sample_prices", lambda master: (None, 0.0))
    duals_only = relaxation.relax(inst, ethics=False, max_work=1e-3)
    assert whole is not None and sampled is not None and duals_only is not None
    assert not sampled.exact and not duals_only.exact
    # Both proven; the sample's prices prove the tighter one here.
    assert whole.value - 1e-6 <= sampled.bound < duals_only.bound - 1e-6
    prices, _ = sample(relaxation._Master(inst))
    assert prices is not None
    rc, bound = relaxation._Master(inst).lagrangian(prices)
    assert sampled.bound == pytest.approx(bound)
    # The reduced costs handed on are at those prices, less each request's best surplus:
    # none positive, each request's best at zero where it has one.
    reduced = sampled.reduced
    assert len(reduced) == len(inst.candidates) and reduced.max() <= 1e-9
    for ks in inst.by_request:
        if ks:
            surplus = max(0.0, max(rc[k] for k in ks))
            assert [reduced[k] for k in ks] == pytest.approx([rc[k] - surplus for k in ks])


def test_smoothed_pricing_ends_at_the_relaxations_optimum(monkeypatch: pytest.MonkeyPatch):
    inst = _round()
    whole = relaxation.relax(inst, ethics=True)
    monkeypatch.setattr(relaxation, "FULL_PAIRS", 0)
    found = {}
    for weight in (0.0, 0.5, 0.9):
        monkeypatch.setattr(relaxation, "SMOOTHING", weight)
        found[weight] = relaxation.relax(inst, ethics=True)
    assert whole is not None
    for r in found.values():
        assert r is not None and r.exact
        assert r.value == pytest.approx(whole.value, abs=1e-6)


def test_the_samples_prices_start_column_generation_closer(monkeypatch: pytest.MonkeyPatch):
    inst = _round()
    monkeypatch.setattr(relaxation, "FULL_PAIRS", 0)
    solves: list[float] = []
    solve = relaxation._Master.solve

    def counted(master: relaxation._Master):  # type: ignore[no-untyped-def]
        found = solve(master)
        solves.append(found.objective_value() if found is not None else float("nan"))
        return found

    monkeypatch.setattr(relaxation._Master, "solve", counted)
    seeded = relaxation.relax(inst, ethics=False)
    seeded_solves = list(solves)
    solves.clear()
    monkeypatch.setattr(relaxation, "SAMPLE_PER_REQUEST", 0)
    plain = relaxation.relax(inst, ethics=False)
    assert seeded is not None and plain is not None
    assert seeded.value == pytest.approx(plain.value, abs=1e-6)  # the same relaxation
    # The first restricted optimum starts nearer the relaxation's, in fewer solves.
    assert seeded_solves[0] > solves[0]
    assert len(seeded_solves) < len(solves)


def test_chain_cuts_keep_one_coachee_per_line_and_only_tighten():
    # One coach, a manager and their report both asking: the relaxation without the
    # rule takes both; with the chain cut, one.
    cands = (Candidate(0, 0, 60, 0, 0), Candidate(1, 0, 60, 0, 0))
    forest = ((LineNode((0,), -1), LineNode((1,), 0)),)
    inst = _instance(
        candidates=cands, capacity_minutes=(600,), line_forests=forest, priority_weight=(4, 4)
    )
    plain = relaxation.relax(inst, ethics=False)
    cut = relaxation.relax(inst, ethics=True)
    assert plain is not None and cut is not None
    assert plain.value == pytest.approx(8.0)
    assert cut.value == pytest.approx(4.0) and cut.cuts == 1


def test_the_bound_reported_is_the_relaxations_on_a_big_round():
    from matcher.optimiser import SolverSettings, optimise

    inst = _round(requests=160, seed=4)
    assert len(inst.candidates) > 3000  # the neighbourhood search's size
    found = relaxation.relax(inst)
    assert found is not None and found.exact
    outcome = optimise(inst, SolverSettings(1.0))
    stage = next(s for s in outcome.stages if s.name == "matched_priority")
    assert stage.bound is not None
    assert stage.objective <= stage.bound <= found.value + 1e-6


def test_the_core_holds_the_relaxations_optimum_and_what_must_stay():
    from matcher.greedy import greedy
    from matcher.lns import restrict_pairs

    inst = _round(requests=160, seed=4)
    whole = relaxation.relax(inst, ethics=False)
    assert whole is not None and whole.exact
    assert len(whole.reduced) == len(inst.candidates)
    start = greedy(inst)
    kept = relaxation.core(inst, whole, start, 2)
    assert set(whole.x) <= set(kept) and set(start) <= set(kept)
    # Two per request by reduced cost, beside the relaxation's and the start's pairs.
    assert len(kept) <= 2 * len(inst.request_ids) + len(whole.x) + len(start)
    assert len(kept) < len(inst.candidates) / 4
    hood = restrict_pairs(inst, start, kept)
    # The relaxation of the core is the round's: the pairs it left out price below zero.
    on_core = relaxation.relax(hood.instance, ethics=False)
    assert on_core is not None
    assert on_core.value == pytest.approx(whole.value, abs=1e-6)
    # The start maps to the core and back unchanged.
    assert sorted(hood.to_round[k] for k in hood.start) == sorted(start)


def test_without_prices_the_core_is_the_whole_round():
    inst = _instance()
    found = relaxation.Relaxation(1.0, 1.0, {0: 1.0}, False, 0, 0.0)
    assert relaxation.core(inst, found, [], 1) == [0, 1]


def test_column_generation_stops_before_a_solve_would_overrun_its_work(
    monkeypatch: pytest.MonkeyPatch,
):
    inst = _round()
    monkeypatch.setattr(relaxation, "FULL_PAIRS", 0)
    whole = relaxation.relax(inst, ethics=False)
    assert whole is not None and whole.exact
    limit = 0.9 * whole.work  # short of what it takes to finish, past the first solve
    monkeypatch.setattr(relaxation, "NEAR_DONE", 0.0)  # no finishing past the limit
    short = relaxation.relax(inst, ethics=False, max_work=limit)
    assert short is not None and not short.exact
    assert short.work <= limit
    # Nearly solved, it may take up to half its share again to finish (an exact bound).
    monkeypatch.setattr(relaxation, "NEAR_DONE", 1.0)
    finished = relaxation.relax(inst, ethics=False, max_work=limit)
    assert finished is not None and finished.exact
    assert limit < finished.work <= relaxation.NEAR_DONE_SHARE * limit


def test_only_a_relaxation_solved_to_the_end_prices_the_core(monkeypatch: pytest.MonkeyPatch):
    from matcher import optimiser

    inst = _round()
    assert len(inst.candidates) > optimiser.LNS_MIN_PAIRS  # a big round
    cores: list[int] = []
    on_core = optimiser._on_core

    def counted(instance, settings, plan, budget, hood, relaxed):  # type: ignore[no-untyped-def]
        cores.append(len(hood.instance.candidates))
        return on_core(instance, settings, plan, budget, hood, relaxed)

    monkeypatch.setattr(optimiser, "_on_core", counted)
    monkeypatch.setattr(relaxation, "FULL_PAIRS", 0)  # column generation, cut short below
    settings = optimiser.SolverSettings(2.0, 0, 1)
    solved = optimiser.optimise(inst, settings)
    assert len(cores) == 1 and cores[0] < len(inst.candidates)
    monkeypatch.setattr(optimiser, "LP_SHARE", 1e-4)
    cut_short = optimiser.optimise(inst, settings)
    assert len(cores) == 1  # no core: the search starts from the warm start
    assert solved.chosen and cut_short.chosen
