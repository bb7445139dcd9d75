"""Solver-free validation of a match result against its problem.

It re-derives every hard rule the slow, obvious way (walking manager chains, comparing
every pair of coachees), so the tests can check each solution the optimiser returns
without trusting the optimiser's own model.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from matcher.eligibility import HARD_ETHICS, Context, exclusion
from matcher.errors import MatcherError
from matcher.orgchart import OrgChart
from matcher.problem import Problem
from matcher.result import MatchResult
from matcher.scoring import TravelTable, external_cost, load_minutes, travel_minutes


class SolutionError(MatcherError):
    """A result breaks a hard rule; `violations` lists every one found."""

    def __init__(self, violations: list[str]) -> None:
        super().__init__("; ".join(violations))
        self.violations = violations


def _managers(problem: Problem) -> dict[str, str | None]:
    return {p.id: p.manager for p in problem.people}


def _above(managers: dict[str, str | None], person: str) -> set[str]:
    out = set()
    node = managers.get(person)
    while node is not None:
        out.add(node)
        node = managers.get(node)
    return out


def _line(managers: dict[str, str | None], a: str, b: str) -> bool:
    return a == b or a in _above(managers, b) or b in _above(managers, a)


def check_solution(problem: Problem, result: MatchResult) -> None:
    """Raise SolutionError if the result breaks any hard rule of the problem."""
    errors: list[str] = []
    managers = _managers(problem)
    ctx = Context.build(problem, OrgChart.build((p.id, p.manager) for p in problem.people))
    requests = {r.id: r for r in problem.requests}
    coaches = {c.id: c for c in problem.coaches}
    travel = TravelTable.build(problem.travel_minutes)
    pins = dict(problem.pinned) | {x.request: x.coach for x in problem.previous if x.confirmed}
    dropped = {(d.request, d.coach) for d in result.dropped}

    seen: set[str] = set()
    minutes: defaultdict[str, int] = defaultdict(int)
    # Per coach, the people of each new engagement (the coachee and the participants).
    people: defaultdict[str, list[tuple[str, ...]]] = defaultdict(list)
    active_people: defaultdict[str, list[tuple[str, ...]]] = defaultdict(list)
    for e in problem.active:
        minutes[e.coach] += round(e.hours * 60)
        active_people[e.coach].append(e.people)
    spend = 0
    for a in result.assignments:
        if a.request in seen:
            errors.append(f"request {a.request} assigned twice")
        seen.add(a.request)
        req, coach = requests.get(a.request), coaches.get(a.coach)
        if req is None or coach is None:
            errors.append(f"unknown request or coach in {a.request} -> {a.coach}")
            continue
        if coach.person is not None:
            for party in filter(None, (*req.people, req.sponsor)):
                if _line(managers, coach.person, party):
                    errors.append(f"{a.request}: coach {a.coach} in the line of {party}")
        reason = exclusion(ctx, req, coach)
        pinned = pins.get(a.request) == a.coach
        if reason is not None and (reason in HARD_ETHICS or not pinned):
            errors.append(f"{a.request}: coach {a.coach} ineligible ({reason})")
        trip = travel_minutes(req, coach, ctx.request_site(req), travel)
        minutes[a.coach] += load_minutes(req, trip)
        people[a.coach].append(req.people)
        spend += external_cost(req, coach)

    new_count: defaultdict[str, int] = defaultdict(int)
    for got in result.assignments:
        new_count[got.coach] += 1
    active_count: defaultdict[str, int] = defaultdict(int)
    for e in problem.active:
        active_count[e.coach] += 1
    for cid, n in new_count.items():
        coach = coaches[cid]
        if n and active_count[cid] + n > coach.max_coachees:
            errors.append(f"coach {cid}: {active_count[cid] + n} coachees > {coach.max_coachees}")
        active_minutes = sum(round(e.hours * 60) for e in problem.active if e.coach == cid)
        if n and minutes[cid] > max(round(coach.hours * 60), active_minutes):
            errors.append(f"coach {cid}: {minutes[cid]} min > {coach.hours} h")
        # Pairs the round created: two new engagements, or a new one and an active one;
        # within one engagement (a manager and their report in a mediation) is allowed.
        pairs = list(combinations(people[cid], 2))
        pairs += [(x, y) for x in people[cid] for y in active_people[cid]]
        for xs, ys in pairs:
            for x in xs:
                for y in ys:
                    if x != y and _line(managers, x, y):
                        errors.append(f"coach {cid} coaches {x} and {y}, one in the other's line")
    if problem.policy.external_budget is not None and spend > problem.policy.external_budget:
        errors.append(f"external cost {spend} > budget {problem.policy.external_budget}")
    for request_id, coach_id in pins.items():
        if (request_id, coach_id) in dropped:
            continue
        kept = result.assignment_of(request_id)
        if kept is None or kept.coach != coach_id:
            errors.append(f"pinned {request_id} -> {coach_id} not kept")
    if errors:
        raise SolutionError(errors)
