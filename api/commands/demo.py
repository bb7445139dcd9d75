"""`coachmatch demo`: load the demo programme into the database and print how to sign in;
`coachmatch demo --match-only`: match the same programme in memory and print the table."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reset", action="store_true", help="erase the database first, then load the demo"
    )
    parser.add_argument(
        "--match-only",
        action="store_true",
        help="touch no database: match the demo programme and print the matches",
    )
    parser.add_argument(
        "--time-limit", type=float, default=10.0, help="--match-only: solver time limit (s)"
    )


def run(args: argparse.Namespace) -> int:
    if args.match_only:
        return _match_only(args.time_limit)
    import sys

    from sqlalchemy import make_url

    from api.clock import SystemClock
    from api.db import make_engine
    from api.demo import ACCOUNTS, load_demo
    from api.errors import ApiError
    from api.settings import load_settings

    settings = load_settings()
    engine = make_engine(settings.database_url)
    where = make_url(settings.database_url).render_as_string(hide_password=True)
    try:
        result = load_demo(
            engine=engine, settings=settings, now=SystemClock().now(), reset=args.reset
        )
    except ApiError as exc:
        print(f"coachmatch: {exc.message}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    c = result.counts
    state = (
        "loaded the demo programme into" if result.loaded else "the demo programme is already in"
    )
    print(f"coachmatch: {state} {where}")
    print(
        f"  {c.people} people, {c.internal_coaches} internal and {c.external_coaches} external "
        f"coaches, {c.requests} requests, {c.users} accounts"
    )
    print(f"\nOpen {settings.base_url} (API docs: {settings.base_url}/docs) and sign in as:")
    width = max(len(a.email) for a in ACCOUNTS)
    for account in ACCOUNTS:
        print(f"  {account.label:22} {account.email:{width}}  password: {account.password}")
    return 0


def _match_only(time_limit: float) -> int:
    from api.demo import matcher_document
    from matcher.schema import parse_problem
    from matcher.solve import match

    problem = parse_problem(matcher_document(time_limit_s=time_limit))
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
