"""`match(problem)`: eligibility, scoring, optimisation, proposals and explanations."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from typing import Any

from matcher.explain import Blockers, ordered, pin_conflicts, summary
from matcher.instance import Prepared, prepare
from matcher.model import matched_by_priority
from matcher.optimiser import Outcome, SolverSettings, optimise
from matcher.orgchart import OrgChart
from matcher.problem import Problem
from matcher.proposals import alternatives
from matcher.result import (
    Alternative,
    Assignment,
    CoachLoad,
    Dropped,
    MatchResult,
    StageReport,
    Unmatched,
)
from matcher.schema import parse_problem

log = logging.getLogger(__name__)


def match(problem: Problem, org: OrgChart | None = None) -> MatchResult:
    """Choose the best feasible assignment of the problem's requests and explain it."""
    prepared = prepare(problem, org)
    inst = prepared.instance
    policy = problem.policy
    outcome = optimise(inst, SolverSettings(policy.time_limit_s, policy.seed, policy.workers))
    log.info(
        "round: %d requests, %d coaches, %d candidate pairs, status %s, %.2fs",
        len(inst.request_ids),
        len(inst.coach_ids),
        len(inst.candidates),
        outcome.status,
        outcome.seconds,
    )
    return _result(problem, prepared, outcome)


def match_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a problem document, solve it, return the result document."""
    return match(parse_problem(document)).to_dict()


def _result(problem: Problem, prepared: Prepared, outcome: Outcome) -> MatchResult:
    inst = prepared.instance
    org = prepared.context.org
    people = [r.people for r in problem.requests]
    chosen = list(outcome.chosen)
    alts = alternatives(inst, chosen, problem.policy.proposals, org, people)

    assignments = []
    matched = set()
    for k in sorted(chosen, key=lambda k: inst.candidates[k].request):
        cand = inst.candidates[k]
        matched.add(cand.request)
        assignments.append(
            Assignment(
                request=inst.request_ids[cand.request],
                coach=inst.coach_ids[cand.coach],
                score=cand.score,
                breakdown=dict(cand.breakdown),
                alternatives=tuple(
                    Alternative(
                        inst.coach_ids[inst.candidates[a].coach],
                        inst.candidates[a].score,
                        dict(inst.candidates[a].breakdown),
                    )
                    for a in alts.get(cand.request, [])
                ),
                hours=round(cand.minutes / 60, 2),
                cost=cand.cost,
                pinned=k in (inst.pinned.get(cand.request), inst.confirmed.get(cand.request)),
            )
        )

    blocking = Blockers(inst, chosen, org, people)
    unmatched = []
    for r, request_id in enumerate(inst.request_ids):
        if r in matched:
            continue
        reasons: Counter[str] = Counter(prepared.exclusions[r])
        if outcome.status == "infeasible":
            reasons["round_infeasible"] = 1
        else:
            reasons.update(blocking.of_request(r))
        if not inst.coach_ids:
            reasons["no_coaches"] = 1
        why = ordered(reasons)
        unmatched.append(Unmatched(request_id, why, summary(why)))

    # Confirmed matches the round could not keep, with what stood in the way.
    dropped = [Dropped(*d) for d in prepared.dropped]
    if outcome.status != "infeasible":
        kept = set(chosen)
        for r, k in sorted(inst.confirmed.items()):
            if k not in kept:
                dropped.append(
                    Dropped(
                        inst.request_ids[r],
                        inst.coach_ids[inst.candidates[k].coach],
                        blocking.of(k),
                    )
                )

    # The first objective, computed from the solution itself (it may be the greedy's).
    weights = matched_by_priority(inst)
    objective = float(sum(weights[k] for k in chosen))
    first = next((x for x in outcome.stages if x.name == "matched_priority"), None)
    if first is not None and first.bound is not None:
        bound = first.bound
    else:  # every request that has a candidate matched
        bound = float(sum(inst.priority_weight[r] for r, ks in enumerate(inst.by_request) if ks))
    used_count: Counter[int] = Counter()
    used_minutes: Counter[int] = Counter()
    for k in chosen:
        used_count[inst.candidates[k].coach] += 1
        used_minutes[inst.candidates[k].coach] += inst.candidates[k].minutes
    active_count = Counter(a.coach for a in problem.active)
    utilisation = tuple(
        CoachLoad(
            coach=coach.id,
            coachees=active_count[coach.id] + used_count[c],
            max_coachees=coach.max_coachees,
            hours_used=round((inst.active_minutes[c] + used_minutes[c]) / 60, 2),
            hours=coach.hours,
        )
        for c, coach in enumerate(problem.coaches)
    )
    previous = {x.request: x.coach for x in problem.previous if not x.confirmed}
    final = {a.request: a.coach for a in assignments}
    moved = tuple(sorted(r for r, c in previous.items() if final.get(r) != c))
    message = ""
    if outcome.status == "infeasible":
        message = pin_conflicts(inst, org, people)
    return MatchResult(
        status=outcome.status,
        objective=objective,
        bound=bound,
        gap=(bound - objective) / max(1.0, objective),
        solve_seconds=outcome.seconds,
        assignments=tuple(assignments),
        unmatched=tuple(unmatched),
        stages=tuple(
            StageReport(s.name, s.status, s.objective, s.bound, s.gap, s.seconds)
            for s in outcome.stages
        ),
        utilisation=utilisation,
        external_cost=sum(inst.candidates[k].cost for k in chosen),
        dropped=tuple(dropped),
        moved=moved,
        message=message,
    )
