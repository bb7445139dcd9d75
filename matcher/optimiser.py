"""Lexicographic CP-SAT optimisation of a prepared instance.

The stages are `objectives.OBJECTIVES`, best first. Each stage is solved with the
earlier stages' values fixed, so a match is never given up for a better score. The time
limit is in CP-SAT's deterministic time, so the same input and settings give the same
result whatever the machine's load.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from matcher import lns, objectives
from matcher import model as m
from matcher.bounds import capacity_bound
from matcher.greedy import best, greedy, rounding
from matcher.instance import Instance
from matcher.objectives import DECIDING, Objective
from matcher.relaxation import FULL_PAIRS, Relaxation, core, relax

log = logging.getLogger(__name__)

MIN_STAGE_TIME = 0.05
LNS_MIN_PAIRS = 3000  # rounds with more candidate pairs also get a neighbourhood search
FULL_MODEL_SHARE = 0.5  # of the time limit, for the full model on such rounds
FULL_MODEL_MAX_PAIRS = 50_000  # beyond, the search starts from the greedy solution
LEAD_STAGES = ("kept_confirmed", "matched_priority")  # searched alone first
PRESOLVE_SUB = False  # neighbourhoods are small: presolving them costs more than it saves
LEAD_SHARE = 0.75  # of the search's time, for the leading stages
# Work (seconds) of one slice of a sliced stage, and per candidate pair (see _solve_stage).
SLICE = 0.02
SLICE_PER_PAIR = 1e-5
MIN_SLICE = 0.01
# CPU seconds one CP-SAT deterministic second takes on the reference machine
# (bench/README.md): limits are given in seconds, so a "10 s" round takes about 10 s of
# CPU there, while staying deterministic (the same input gives the same result).
SECONDS_PER_DET = 2.0
LP_SHARE = 0.5  # of the time limit, for the relaxation at most (it is the honest bound)
CORE_PER_REQUEST = 2  # pairs per request in the core, by reduced cost (see _on_core)
CORE_SHARE = 0.7  # of the time left after the relaxation, for the core
GREEDY_WORK_PER_PAIR = 4e-6  # seconds the two plain greedy starts take per candidate pair
BUILD_WORK_PER_PAIR = 3e-5  # seconds building a CP-SAT model takes per candidate pair


@dataclass(frozen=True, slots=True)
class SolverSettings:
    time_limit_s: float = 10.0  # deterministic seconds, over all stages
    seed: int = 0
    workers: int = 1


@dataclass(frozen=True, slots=True)
class Stage:
    """One objective of the lexicographic order, with its result."""

    name: str
    maximise: bool
    status: str  # optimal | feasible | unknown (nothing found in time; bound None)
    objective: float
    bound: float | None  # None: the value comes from a heuristic, nothing was proven
    seconds: float

    @property
    def gap(self) -> float | None:
        if self.bound is None:
            return None
        if self.objective == self.bound:
            return 0.0
        return abs(self.bound - self.objective) / max(1.0, abs(self.objective))


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # optimal | feasible | infeasible
    chosen: tuple[int, ...]  # candidate indices
    stages: tuple[Stage, ...]
    seconds: float


def optimise(
    instance: Instance,
    settings: SolverSettings,
    stages: Sequence[str] | None = None,
    start: Sequence[int] | None = None,
) -> Outcome:
    """Solve the instance lexicographically; `stages` restricts the objectives used and
    `start` replaces the greedy warm start.

    On a big round, the leading stages run first on the round's core (`_on_core`), priced
    by the relaxation when it was solved to the end (a cut-short one's prices pick a
    core the search does better without), else on the full model for part of the time
    limit (none on the biggest); a large-neighbourhood search has the rest, first on
    the deciding stages alone, then on all of them. The priority stage's bound is tightened
    with the relaxation's and the programme's capacity bound."""
    started = time.perf_counter()
    plan = objectives.plan(instance, stages)
    big = len(instance.candidates) > LNS_MIN_PAIRS
    limit = settings.time_limit_s
    relaxed = None
    if any(o.name == DECIDING for o in plan):
        # The relaxation bounds the deciding stage honestly, and guides the warm start.
        first = list(start) if start is not None else greedy(instance, relax=False)
        # The ethics cuts double column generation's time on big rounds and tighten the
        # bound by a few hundredths of a percent (bench/README.md): small rounds only.
        ethics = len(instance.candidates) <= FULL_PAIRS
        greedy_work = GREEDY_WORK_PER_PAIR * len(instance.candidates)
        relaxed = relax(instance, start=first, max_work=LP_SHARE * limit, ethics=ethics)
        spent = greedy_work + (relaxed.work if relaxed else 0)
        if start is None and relaxed is not None:
            # The plain starts are `first` already: only the rounding is new.
            start = best(instance, [first, rounding(instance, relaxed.x)])
            spent += greedy_work / 2
        elif start is None:
            start = first
    else:
        spent = 0.0
    limit = max(MIN_STAGE_TIME, limit - spent)
    if big and relaxed is not None and relaxed.exact and start is not None:
        hood = lns.restrict_pairs(instance, start, core(instance, relaxed, start, CORE_PER_REQUEST))
        outcome, used = _on_core(instance, settings, plan, limit * CORE_SHARE, hood, relaxed)
    elif len(instance.candidates) > FULL_MODEL_MAX_PAIRS and not instance.pinned:
        # Building and presolving the full model costs seconds here and proves nothing
        # in time; the warm start (which keeps every hard rule without pins) goes
        # straight to the search.
        chosen = list(start) if start is not None else greedy(instance)
        outcome, used = Outcome("feasible", tuple(chosen), (), 0.0), 0.0
    elif big:
        outcome, used = _staged(
            instance,
            settings,
            plan,
            limit * FULL_MODEL_SHARE,
            start,
            hand_over=True,
            cap=_cap(instance, relaxed),
            sliced=False,
        )
    else:
        outcome, used = _by_matched_set(instance, settings, plan, limit, start, relaxed)
    left = limit - used
    if not big or outcome.status != "feasible" or left < MIN_STAGE_TIME:
        return _with_bounds(outcome, instance, relaxed)

    # First the deciding stages alone (one small solve per neighbourhood, so many more
    # neighbourhoods), then every stage on what is left.
    lead = [o for o in plan if o.name in LEAD_STAGES]
    chosen = list(outcome.chosen)
    for phase, budget in ((lead, left * LEAD_SHARE), (plan, left * (1 - LEAD_SHARE))):
        if phase and budget >= MIN_STAGE_TIME:
            chosen = _search(instance, settings, phase, chosen, budget)
    score = _scorer(instance, plan)
    values = score(chosen)
    reports = []
    for i, o in enumerate(plan):
        value = float(values[i] if o.maximise else -values[i])
        if i < len(outcome.stages):
            # Stages the full model could not solve now hold the search's value.
            st = outcome.stages[i]
            status = "feasible" if st.status == "unknown" else st.status
            reports.append(replace(st, objective=value, status=status))
        else:  # left to the search alone: a value, no bound
            reports.append(Stage(o.name, o.maximise, "feasible", value, None, 0.0))
    found = Outcome(outcome.status, tuple(chosen), tuple(reports), time.perf_counter() - started)
    return _with_bounds(found, instance, relaxed)


def _on_core(
    instance: Instance,
    settings: SolverSettings,
    plan: Sequence[Objective],
    budget: float,
    hood: lns.Neighbourhood,
    relaxed: Relaxation,
) -> tuple[Outcome, float]:
    """The leading stages on the round's core (`relaxation.core`), with CP-SAT's strong
    linear relaxation and no presolve: a model several times smaller than the round's,
    with the same relaxation, where CP-SAT's cuts close in on the integer optimum (the
    full model's search stalls some 2 % below it on real-shaped rounds). Two pairs per
    request, not more: at 2,000 x 300 with four (9,200 pairs) CP-SAT found nothing
    better than its start even in 8 deterministic s, with two (5,400) it ends 1 %
    above it in 3 (presolving it costs that time for nothing). Its values stand for the
    round; its bounds do not (the core's optimum may be below the round's)."""
    lead = [o for o in plan if o.name in LEAD_STAGES]
    found, used = _staged(
        hood.instance,
        settings,
        lead,
        budget,
        hood.start,
        cap=_cap(instance, relaxed),
        sliced=False,
        strong_lp=True,
        presolve=False,
    )
    sub = found.chosen if found.status != "infeasible" else hood.start
    chosen = tuple(sorted(hood.to_round[k] for k in sub))
    stages = tuple(
        Stage(o.name, o.maximise, "feasible", float(o.evaluator(instance)(chosen)), None, 0.0)
        for o in lead
    )
    return Outcome("feasible", chosen, stages, found.seconds), used


def _cap(instance: Instance, relaxed: Relaxation | None) -> int:
    """The deciding objective's best proven bound before searching: the capacity bound
    and the relaxation's (an integer value: rounded down)."""
    cap = capacity_bound(instance)
    if relaxed is not None and math.isfinite(relaxed.bound):
        cap = min(cap, math.floor(relaxed.bound + 1e-6))
    return cap


def _by_matched_set(
    instance: Instance,
    settings: SolverSettings,
    plan: Sequence[Objective],
    budget: float,
    start: Sequence[int] | None,
    relaxed: Relaxation | None,
) -> tuple[Outcome, float]:
    """Who is matched, then who coaches them.

    The stages up to the last that counts only which requests are matched (`per_request`)
    run on the whole model. The later ones run first on the matched requests alone, where
    every request is matched: exactly-one rows, which CP-SAT solves in milliseconds where
    the whole model, holding the earlier stages' weighted sums, takes seconds to prove.
    When some request that could be matched is not, another set of matched requests
    might hold the same values and do better on the later stages: the whole model then
    checks from there, in slices (`_solve_stage`), and reports its own bounds."""
    cut = max((i + 1 for i, o in enumerate(plan) if o.per_request), default=0)
    head = plan[:cut]
    first, used = _staged(
        instance,
        settings,
        head,
        budget * sum(o.share for o in head) / sum(o.share for o in plan),
        start,
        cap=_cap(instance, relaxed),
        sliced=False,
        strong_lp=True,
    )
    if first.status == "infeasible" or cut == len(plan) or not instance.candidates:
        return first, used
    matched = sorted({instance.candidates[k].request for k in first.chosen})
    cands = instance.candidates
    coaches = sorted({cands[k].coach for r in matched for k in instance.by_request[r]})
    hood = lns.restrict(instance, first.chosen, coaches, matched)
    sub_plan = [o for o in plan if o.applies(hood.instance)]
    names = {o.name for o in sub_plan}
    held = [st for st in first.stages if st.name in names]
    if [st.name for st in held] != [o.name for o in sub_plan[: len(held)]]:
        held = []  # a head stage the sub-round skips sits between the others: solve them
    sub, sub_used = _staged(
        hood.instance, settings, sub_plan, budget - used, hood.start, held=held, sliced=False
    )
    used += sub_used
    chosen = [hood.to_round[k] for k in sub.chosen] if sub.status != "infeasible" else first.chosen
    tail = {st.name: st for st in sub.stages[len(held) :]}
    matchable = sum(1 for ks in instance.by_request if ks)
    if len(matched) == matchable and all(o.name in tail for o in plan[cut:]):
        # Everyone who can be matched is: any solution holding the head's values matches
        # the same requests, so the sub-round's proofs hold for the round.
        stages = (*first.stages, *(tail[o.name] for o in plan[cut:]))
        status = "optimal" if all(st.status == "optimal" for st in stages) else "feasible"
        return Outcome(status, tuple(chosen), stages, first.seconds + sub.seconds), used
    # The whole model checks the later stages from there, up to the first it can neither
    # prove nor improve: the sub-round's values stand for the rest, with nothing proven.
    checked, check_used = _staged(
        instance,
        settings,
        plan,
        budget - used,
        chosen,
        held=first.stages,
        sliced=True,
        hand_over=True,
        strong_lp=True,
    )
    if checked.status == "infeasible":
        return checked, used + check_used
    done = {st.name: st for st in checked.stages}
    stages = tuple(
        done.get(o.name)
        or Stage(
            o.name,
            o.maximise,
            "feasible",
            float(o.evaluator(instance)(checked.chosen)),
            None,
            tail[o.name].seconds if o.name in tail else 0.0,
        )
        for o in plan
    )
    status = "optimal" if all(st.status == "optimal" for st in stages) else "feasible"
    return Outcome(status, checked.chosen, stages, checked.seconds), used + check_used


def _with_bounds(outcome: Outcome, instance: Instance, relaxed: Relaxation | None) -> Outcome:
    """Tighten the deciding stage's bound with the relaxation's (with the ethics cuts)
    and the programme's capacity bound: on big rounds the solver proves none, and a value
    that reaches the tightest is optimal. The bound is never looser than the relaxation
    when the relaxation was solved to the end (`Relaxation.exact`)."""
    if outcome.status == "infeasible":
        return outcome
    stages = list(outcome.stages)
    for i, st in enumerate(stages):
        if st.name != DECIDING or st.status == "optimal":
            continue
        bounds = [float(capacity_bound(instance))]
        if st.bound is not None:
            bounds.append(st.bound)
        if relaxed is not None and math.isfinite(relaxed.bound):
            # The value is an integer: the relaxation's bound rounded down still holds.
            bounds.append(float(math.floor(relaxed.bound + 1e-6)))
        bound = min(bounds)
        status = "optimal" if st.status == "feasible" and st.objective >= bound else st.status
        stages[i] = replace(st, bound=bound, status=status)
    return replace(outcome, stages=tuple(stages))


def _scorer(instance: Instance, plan: Sequence[Objective]) -> lns.Score:
    """The objective vector of a solution under `plan`, each entry to maximise."""
    values = [(o.evaluator(instance), 1 if o.maximise else -1) for o in plan]

    def score(chosen: Sequence[int]) -> tuple[int, ...]:
        return tuple(sign * value(chosen) for value, sign in values)

    return score


def _search(
    instance: Instance,
    settings: SolverSettings,
    plan: Sequence[Objective],
    chosen: Sequence[int],
    budget: float,
) -> list[int]:
    """Large-neighbourhood search on the stages of `plan`, from `chosen`."""

    def solve(sub: Instance, sub_start: Sequence[int], limit: float) -> tuple[Sequence[int], float]:
        sub_plan = [o for o in plan if o.applies(sub)]
        sub_settings = SolverSettings(limit, settings.seed, 1)
        found, sub_used = _staged(
            sub, sub_settings, sub_plan, limit, sub_start, presolve=PRESOLVE_SUB, sliced=False
        )
        return (found.chosen if found.status != "infeasible" else sub_start), sub_used

    found, tried, improved = lns.improve(
        instance,
        chosen,
        score=_scorer(instance, plan),
        solve=solve,
        budget=budget,
        seed=settings.seed,
    )
    log.info(
        "neighbourhood search on %s: %d tried, %d improved",
        ", ".join(o.name for o in plan),
        tried,
        improved,
    )
    return found


def _staged(
    instance: Instance,
    settings: SolverSettings,
    plan: Sequence[Objective],
    budget: float,
    start: Sequence[int] | None,
    *,
    hand_over: bool = False,
    presolve: bool = True,
    cap: int | None = None,
    held: Sequence[Stage] = (),
    sliced: bool | None = None,
    strong_lp: bool = False,
) -> tuple[Outcome, float]:
    """The stages on one CP-SAT model; returns the outcome and the deterministic time used.

    With `hand_over`, stop at the first stage not proven optimal: on a big model the later
    stages rarely improve on their hint, and the search does better with the time. `cap`
    bounds the deciding stage (the relaxation's bound): it stops when it reaches it.
    `held` are stages already solved (the first ones of `plan`): their values are kept
    as constraints, and their results reported, without solving them again. Stages after
    the leading ones run in slices (`_solve_stage`), or every one or none by `sliced`.
    `strong_lp` gives CP-SAT its stronger linear relaxation (linearization level 2): it
    proves the stages that hold weighted sums several times faster (the demo's waiting
    stage: 0.05 deterministic s instead of 1.6), but slows the search elsewhere (OR-Library
    GAP types C and D: 0.1 to 0.4 % further from the optimum)."""
    started = time.perf_counter()
    model = cp_model.CpModel()
    v = m.DecisionVars(model, instance)
    for add_rule in m.HARD_RULES:
        add_rule(model, v)

    # The warm start seeds the first stage and stands if the solver finds nothing.
    chosen: list[int] = list(start) if start is not None else greedy(instance)
    last: cp_model.CpSolver | None = None  # the solver that found `chosen`
    results: list[Stage] = []
    used = BUILD_WORK_PER_PAIR * len(instance.candidates)  # building the model in Python
    overall = "optimal"
    for i, objective in enumerate(plan):
        if not instance.candidates:
            break
        name, maximise = objective.name, objective.maximise
        expr = objective.expression(model, v)
        if i < len(held):
            assert held[i].name == name
            results.append(held[i])
            overall = overall if held[i].status == "optimal" else "feasible"
            _hold(model, v, objective, expr, objective.evaluator(instance)(chosen))
            continue
        model.maximize(expr) if maximise else model.minimize(expr)
        limit = (budget - used) * objective.share / sum(o.share for o in plan[i:])
        if name == DECIDING and cap is not None:
            # No matching beats the relaxation: reaching its bound proves the stage.
            model.add(expr <= max(cap, objective.evaluator(instance)(chosen)))
        status, solver, seconds, spent = _solve_stage(
            model,
            v,
            settings,
            limit,
            chosen,
            last,
            maximise=maximise,
            value=objective.evaluator(instance)(chosen),
            presolve=presolve,
            sliced=name not in LEAD_STAGES if sliced is None else sliced,
            strong_lp=strong_lp,
        )
        used += spent
        if status == cp_model.INFEASIBLE or status == cp_model.MODEL_INVALID:
            log.warning("matching model is %s", cp_model.CpSolver().status_name(status))
            return Outcome("infeasible", (), tuple(results), time.perf_counter() - started), used
        if solver is None:
            # Nothing better found in time: hold this stage at the current solution's
            # value and go on, so later objectives still improve what they can.
            results.append(Stage(name, maximise, "unknown", 0.0, None, seconds))
            overall = "feasible"
            if hand_over:
                break
            _hold(model, v, objective, expr, objective.evaluator(instance)(chosen))
            continue
        value = round(solver.objective_value)
        optimal = status == cp_model.OPTIMAL
        overall = overall if optimal else "feasible"
        results.append(
            Stage(
                name,
                maximise,
                "optimal" if optimal else "feasible",
                float(value),
                float(round(solver.best_objective_bound)),
                seconds,
            )
        )
        chosen = v.extract(solver)
        last = solver
        if hand_over and not optimal:
            break
        _hold(model, v, objective, expr, value)
    return Outcome(overall, tuple(chosen), tuple(results), time.perf_counter() - started), used


def _hold(
    model: cp_model.CpModel,
    v: m.DecisionVars,
    objective: Objective,
    expr: cp_model.LinearExprT,
    value: int,
) -> None:
    """Keep a stage's value while the next ones improve on the rest."""
    model.add(expr >= value) if objective.maximise else model.add(expr <= value)
    inst = v.instance
    weighted = [r for r, ks in enumerate(inst.by_request) if ks and inst.priority_weight[r] > 0]
    if objective.name == DECIDING and value == sum(inst.priority_weight[r] for r in weighted):
        # Everyone who can be is matched: say it as exactly-one rows, which CP-SAT
        # presolves far better than the equivalent weighted sum.
        for r in weighted:
            model.add_exactly_one(v.of_request(r))


def _solve_stage(
    model: cp_model.CpModel,
    v: m.DecisionVars,
    settings: SolverSettings,
    limit: float,
    chosen: Sequence[int],
    last: cp_model.CpSolver | None,
    *,
    maximise: bool,
    value: int,
    presolve: bool,
    sliced: bool,
    strong_lp: bool = False,
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver | None, float, float]:
    """One stage's solve, from `chosen` (found by `last`, of objective `value`), within
    `limit` seconds of work.

    Returns the status, the solver holding the best solution found (None: none), the
    wall seconds and the work used. A `sliced` stage runs in slices of work (SLICE plus
    SLICE_PER_PAIR per pair), each from the best solution so far: it stops when proven,
    when its time is spent or when a slice finds nothing better (a slice too short to
    take its start is doubled). Later stages find their best solution early and may then
    spend their whole share failing to prove it (10 s on the demo round): a slice
    without progress says more work is unlikely to pay."""
    used = seconds = 0.0
    best: cp_model.CpSolver | None = None
    status = cp_model.UNKNOWN
    size = SLICE + SLICE_PER_PAIR * len(v.x)
    step = min(limit, size) if sliced else limit
    while True:
        v.hint(model, chosen, last)
        solver = _solver(settings, max(MIN_SLICE if sliced else MIN_STAGE_TIME, step))
        solver.parameters.cp_model_presolve = presolve
        if strong_lp:
            solver.parameters.linearization_level = 2
        t0 = time.perf_counter()
        found = solver.solve(model)
        seconds += time.perf_counter() - t0
        used += SECONDS_PER_DET * solver.response_proto.deterministic_time
        left = limit - used
        if found in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
            # A slice after the first starts from a solution: the model is not infeasible.
            return (found, None, seconds, used) if best is None else (status, best, seconds, used)
        if found not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if best is not None or not sliced or left < MIN_SLICE:
                return status, best, seconds, used
            step = min(left, 2 * step)  # too short to even take the start: longer
            continue
        new = round(solver.objective_value)
        improved = new > value if maximise else new < value
        if best is None or improved or new == value:
            best, status = solver, found
            chosen, last, value = v.extract(solver), solver, new
        if found == cp_model.OPTIMAL or not sliced or not improved or left < MIN_SLICE:
            return status, best, seconds, used
        step = min(left, size)


def _solver(settings: SolverSettings, limit: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_deterministic_time = limit / SECONDS_PER_DET
    params.random_seed = settings.seed
    params.num_workers = settings.workers
    if settings.workers > 1:
        # Interleaved search is CP-SAT's deterministic parallel mode.
        params.interleave_search = True
    params.log_search_progress = False
    # These presolve passes spend up to 1 deterministic s each, on every stage, and gain
    # nothing on assignment models (measured on the bench rounds).
    params.find_big_linear_overlap = False
    return solver
