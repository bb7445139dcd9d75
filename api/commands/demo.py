"""`coachmatch demo`: build the demo programme, match it, print matches and the unmatched."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=7, help="demo programme seed")
    parser.add_argument("--time-limit", type=float, default=10.0, help="solver time limit (s)")


def run(args: argparse.Namespace) -> int:
    from matcher.schema import parse_problem
    from matcher.solve import match
    from matcher.synthetic import programme

    document = programme(seed=args.seed, time_limit_s=args.time_limit)
    problem = parse_problem(document)
    result = match(problem)
    requests = {r.id: r for r in problem.requests}
    coaches = {c.id: c for c in problem.coaches}
    print(
        f"Demo programme: {len(problem.people)} people, "
        f"{sum(c.internal for c in problem.coaches)} internal and "
        f"{sum(not c.internal for c in problem.coaches)} external coaches, "
        f"{len(problem.requests)} requests"
    )
    print(
        f"Solver: {result.status}, priority-weighted matches {result.objective:g} "
        f"(bound {result.bound:g}), {result.solve_seconds:.2f} s, "
        f"external cost {result.external_cost} EUR\n"
    )
    print(f"{'request':8} {'prio':>4} {'type':14} {'coach':6} {'kind':9} {'score':>5}  "
          f"{'alternatives':18} why")  # fmt: skip
    for a in result.assignments:
        req, coach = requests[a.request], coaches[a.coach]
        why = ", ".join(f"{k} {v:+d}" for k, v in a.breakdown.items()) or "-"
        alts = " ".join(x.coach for x in a.alternatives) or "-"
        print(f"{a.request:8} {req.priority:>4} {req.type.value:14} {a.coach:6} "
              f"{coach.kind.value:9} {a.score:>5}  {alts:18} {why}")  # fmt: skip
    print(f"\nUnmatched ({len(result.unmatched)}):")
    for u in result.unmatched:
        print(f"{u.request:8} {requests[u.request].priority:>4}  {u.summary}")
    return 0
