"""Matcher benchmarks: org-chart index, OR-Library GAP optima, the reporting-line
ethics formulation (chains vs pairs), and whole rounds at three sizes.

Every comparison runs side by side in the same process run, so ratios hold on a noisy
shared machine. CP-SAT limits are in deterministic seconds (machine-independent work).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from bench.gap import DATA, LARGE_NAMES, OPTIMA, TABLE, Gap, read, to_instance
from bench.process import peak_rss_mb, run_json
from matcher import model as m
from matcher.greedy import greedy
from matcher.instance import Instance, prepare
from matcher.optimiser import SolverSettings, optimise
from matcher.orgchart import OrgChart
from matcher.schema import parse_problem
from matcher.synthetic import programme

GAP_LARGE_LIMIT = 10.0  # deterministic seconds per problem and per model (the 10 s)


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def org_index() -> str:
    rng = random.Random(1)
    n = 100_000
    bushy = [("p0", None)] + [
        (f"p{i}", f"p{rng.randrange(max(0, i - 200), i)}") for i in range(1, n)
    ]
    chain = [("p0", None)] + [(f"p{i}", f"p{i - 1}") for i in range(1, n)]
    rows = []
    for name, links in (("random org, 100,000 people", bushy), ("one 100,000-deep chain", chain)):
        org, build = _timed(lambda links=links: OrgChart.build(links))
        pairs = [(f"p{rng.randrange(n)}", f"p{rng.randrange(n)}") for _ in range(20_000)]
        walk = pairs[:200]
        _, fast = _timed(lambda o=org, ps=pairs: [o.in_reporting_line(a, b) for a, b in ps])
        _, slow = _timed(lambda o=org, ps=walk: [_walk_line(o, a, b) for a, b in ps])
        per_fast = fast / len(pairs) * 1e6
        per_slow = slow / len(walk) * 1e6
        rows.append(
            f"| {name} | {build * 1000:.0f} ms | {per_fast:.2f} µs | {per_slow:.1f} µs "
            f"| {per_slow / per_fast:,.0f}× |"
        )
    return (
        "### Org-chart index\n\n"
        "Build of the Euler-tour index, and one 'in reporting line' query against walking\n"
        "the manager chains (the naive way).\n\n"
        "| org | build | query (index) | query (walk chains) | speed-up |\n"
        "|---|---|---|---|---|\n" + "\n".join(rows)
    )


def _walk_line(org: OrgChart, a: str, b: str) -> bool:
    return b in org.chain(a) or a in org.chain(b)


def gap_small() -> str:
    rows = []
    total_ok = 0
    total = 0
    for f in range(1, 13):
        times = []
        ok = 0
        for i, gap in enumerate(read(DATA / f"gap{f}.txt", f"gap{f}")):
            out, secs = _timed(lambda gap=gap: _solve_gap(gap, True, 10.0))
            times.append(secs)
            ok += out.stages[-1].objective == OPTIMA[f][i] and out.status == "optimal"
        total_ok += ok
        total += len(times)
        rows.append(
            f"| gap{f} | {gap.agents}×{gap.jobs} | {ok}/5 | {max(times):.2f} s | {sum(times) / 5:.2f} s |"
        )
    return (
        "### OR-Library GAP 1–12 (maximisation, published optima)\n\n"
        "Each instance solved by the matcher's optimiser (stage 1: every job placed; stage 2:\n"
        "total value), 1 worker, limit 10 deterministic s.\n\n"
        f"**{total_ok}/{total} proven optimal and equal to the published optimum.**\n\n"
        "| file | size | optimum reached | slowest | mean |\n|---|---|---|---|---|\n"
        + "\n".join(rows)
    )


def _solve_gap(gap: Gap, maximise: bool, limit: float, workers: int = 1) -> Any:
    return optimise(
        to_instance(gap, maximise),
        SolverSettings(limit, 0, workers),
        stages=["matched_priority", "fit_score"],
    )


def _plain_gap(gap: Gap, limit: float) -> tuple[float, float, float]:
    """A plain CP-SAT GAP model (exactly-one + knapsacks, one objective), for comparison."""
    model = cp_model.CpModel()
    x = [[model.new_bool_var("") for _ in range(gap.jobs)] for _ in range(gap.agents)]
    for j in range(gap.jobs):
        model.add_exactly_one(x[i][j] for i in range(gap.agents))
    for i in range(gap.agents):
        model.add(sum(gap.resource[i][j] * x[i][j] for j in range(gap.jobs)) <= gap.capacity[i])
    model.minimize(
        sum(gap.cost[i][j] * x[i][j] for i in range(gap.agents) for j in range(gap.jobs))
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = limit
    solver.parameters.num_workers = 1
    t = time.perf_counter()
    solver.solve(model)
    return solver.objective_value, solver.best_objective_bound, time.perf_counter() - t


def gap_large() -> str:
    rows = []
    for kind in ("c", "d"):
        names = [f"{kind}{n}" for n in LARGE_NAMES]
        for name, gap in zip(names, read(DATA / f"gap{kind}.txt", kind), strict=True):
            out, secs = _timed(lambda gap=gap: _solve_gap(gap, False, GAP_LARGE_LIMIT))
            ours = -out.stages[-1].objective
            bound = -(out.stages[-1].bound or 0)
            plain, plain_bound, plain_secs = _plain_gap(gap, GAP_LARGE_LIMIT)
            table = TABLE[name]
            # The table's values are optima: no proven bound may exceed them, no value beat them.
            consistent = max(bound, plain_bound) <= table <= min(ours, plain)
            rows.append(
                f"| {name} | {table}{'' if consistent else ' (?)'} | {ours:.0f} | {bound:.0f} "
                f"| {secs:.1f} s | **{100 * (ours - table) / table:+.2f} %** | {plain:.0f} "
                f"| {plain_secs:.1f} s | {100 * (plain - table) / table:+.2f} % |"
            )
    return (
        "### OR-Library GAP types C and D (minimisation, hard)\n\n"
        f"The matcher's optimiser and a plain CP-SAT GAP model (exactly-one rows, knapsacks,\n"
        f"one objective), both 1 worker and {GAP_LARGE_LIMIT:g} deterministic s, against the\n"
        "published table of optimal values (`bench/gap.py`; a value marked (?) would\n"
        "contradict a bound proven here).\n\n"
        "| problem | table | matcher | its bound | wall | matcher vs table | plain model "
        "| wall | plain vs table |\n|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows)
    )


def _pairwise_ethics(model: cp_model.CpModel, v: m.DecisionVars) -> None:
    """The naive ethics rule: one clause per pair of candidates whose coachees are in one
    reporting line, at the same coach."""
    for forest in v.instance.line_forests:
        m._line_by_pairs(model, v, forest)


def _chain_ethics(model: cp_model.CpModel, v: m.DecisionVars) -> None:
    """The chain form everywhere."""
    for c, forest in enumerate(v.instance.line_forests):
        m._line_by_chain(model, v, c, forest)


def _deep_org(doc: dict[str, Any], depth: int) -> dict[str, Any]:
    """Re-wire the org into chains `depth` deep under the CEO (coaches and requests kept)."""
    people = doc["people"]
    for i, person in enumerate(people[1:], start=1):
        person["manager"] = people[0]["id"] if i % depth == 1 else people[i - 1]["id"]
    return doc


def ethics_formulations() -> str:
    rows = []
    cases = (
        ("medium round, realistic org", programme(people=3000, internal=100, external=15, requests=500)),
        ("leadership programme: 2,000 requests in 3,000 people, 60-deep lines", _deep_org(programme(people=3000, internal=100, external=15, requests=2000), 60)),
        ("large round, realistic org", programme(people=20000, internal=300, external=30, requests=2000)),
    )  # fmt: skip
    for name, doc in cases:
        inst = prepare(parse_problem(doc)).instance
        sizes = {}
        for label, rule in (
            ("ours", m.add_reporting_line_ethics),
            ("chains", _chain_ethics),
            ("pairs", _pairwise_ethics),
        ):
            model = cp_model.CpModel()
            v = m.DecisionVars(model, inst)
            before = len(model.proto.constraints)
            _, secs = _timed(lambda rule=rule, model=model, v=v: rule(model, v))
            sizes[label] = (len(model.proto.constraints) - before, secs)
        o, c, p = sizes["ours"], sizes["chains"], sizes["pairs"]
        rows.append(
            f"| {name} | {len(inst.candidates):,} | {o[0]:,} ({o[1]:.2f} s) | {c[0]:,} ({c[1]:.2f} s) "
            f"| {p[0]:,} ({p[1]:.2f} s) | {p[0] / max(1, o[0]):.1f}× |"
        )
    return (
        "### Ethics rule: chain formulation vs pairwise\n\n"
        "Constraints the rule 'a coach never coaches two people one of whom is in the other's\n"
        "reporting line' adds, with the time to build them.\n\n"
        "| round | candidate pairs | ours (per coach, the smaller) | chains only | pairwise only "
        "| pairwise / ours |\n|---|---|---|---|---|---|\n" + "\n".join(rows)
    )


ROUNDS = (
    ("demo: 400 people, 25 coaches, 60 requests", dict(people=400, internal=20, external=5, requests=60), 10.0),
    ("3,000 people, 115 coaches, 500 requests", dict(people=3000, internal=100, external=15, requests=500), 30.0),
    ("20,000 people, 330 coaches, 2,000 requests", dict(people=20000, internal=300, external=30, requests=2000), 60.0),
)  # fmt: skip


def _round_child(kwargs: dict[str, Any], limit: float) -> dict[str, Any]:
    from matcher.solve import match

    doc = programme(**kwargs, time_limit_s=limit)
    problem, parse = _timed(lambda: parse_problem(doc))
    prepared, prep = _timed(lambda: prepare(problem))
    inst: Instance = prepared.instance
    g = greedy(inst)
    greedy_obj = sum(inst.priority_weight[inst.candidates[k].request] for k in g)
    result, total = _timed(lambda: match(problem))
    return {
        "parse": parse,
        "prepare": prep,
        "total": total,
        "pairs": len(inst.candidates),
        "status": result.status,
        "matched": len(result.assignments),
        "requests": len(problem.requests),
        "objective": result.objective,
        "bound": result.bound,
        "greedy": greedy_obj,
        "stages": [(s.name, s.status) for s in result.stages],
        "rss_mb": peak_rss_mb(),
    }


def rounds() -> str:
    rows = []
    for name, kwargs, limit in ROUNDS:
        r = run_json("bench.matcher", f"_round_child({kwargs!r}, {limit!r})", f"round {name!r}")
        proven = sum(s == "optimal" for _, s in r["stages"])
        rows.append(
            f"| {name} | {r['pairs']:,} | {limit:g} | {r['status']} ({proven}/{len(r['stages'])} stages proven) "
            f"| {r['matched']}/{r['requests']} | {r['objective']:.0f} / {r['bound']:.0f} | {r['greedy']} "
            f"| {r['prepare']:.2f} s | {r['total']:.1f} s | {r['rss_mb']:.0f} MB |"
        )
    return (
        "### Whole rounds (synthetic programmes, `matcher.synthetic`)\n\n"
        "One round each, in its own process (peak memory is the process's). Objective is the\n"
        "priority-weighted number matched, with its proven bound, beside the greedy warm start.\n\n"
        "| round | candidate pairs | limit (det. s) | status | matched | objective / bound "
        "| greedy | eligibility+scoring | total | peak RSS |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows)
    )


def run() -> str:
    parts = []
    for section in (org_index, ethics_formulations, gap_small, gap_large, rounds):
        print(f"   {section.__name__}", file=sys.stderr)
        parts.append(section())
    return "## Matcher\n\n" + "\n\n".join(parts)
