"""Concise builders for matcher problem documents, and helpers to solve and check them.

The module name is distinctive on purpose: test directories have no __init__.py, so a
generic name such as `builders` could clash with another suite's helper module.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from matcher.check import check_solution
from matcher.eligibility import RULES, Context, exclusion
from matcher.orgchart import OrgChart
from matcher.problem import Problem
from matcher.result import MatchResult
from matcher.schema import parse_problem
from matcher.solve import match

START = dt.date(2027, 1, 4)
HORIZON = {"start": START.isoformat(), "end": "2027-04-30"}
SUBMITTED = "2026-12-01"
TIME_LIMIT = 5.0

Doc = dict[str, Any]


def day(offset: int) -> str:
    """The horizon start plus `offset` days, as an ISO date."""
    return (START + dt.timedelta(days=offset)).isoformat()


def person(pid: str, manager: str | None = None, **fields: Any) -> Doc:
    return {"id": pid, "manager": manager, **fields}


def chain(*ids: str) -> dict[str, str | None]:
    """A management chain, top first: chain("a", "b", "c") -> c reports to b, b to a."""
    return {pid: (ids[i - 1] if i else None) for i, pid in enumerate(ids)}


def internal(cid: str, person_id: str, **fields: Any) -> Doc:
    """An internal coach with roomy defaults: 5 coachees, 100 h, fr, remote and on-site."""
    return {
        "id": cid,
        "kind": "internal",
        "person": person_id,
        "max_coachees": 5,
        "hours": 100,
        "types": ["coaching"],
        "languages": ["fr"],
        "modalities": ["remote", "onsite"],
        "sites": ["paris"],
        **fields,
    }


def external(cid: str, **fields: Any) -> Doc:
    """An external coach with roomy defaults and no cost unless given."""
    return {
        "id": cid,
        "kind": "external",
        "vendor": "Cabinet A",
        "max_coachees": 5,
        "hours": 100,
        "cost_per_session": 0,
        "types": ["coaching"],
        "languages": ["fr"],
        "modalities": ["remote", "onsite"],
        "sites": ["paris"],
        **fields,
    }


def request(rid: str, coachee: str, sponsor: str | None = None, **fields: Any) -> Doc:
    """A remote French coaching request of 4 x 60 min, priority 3."""
    return {
        "id": rid,
        "coachee": coachee,
        "sponsor": sponsor,
        "type": "coaching",
        "language": "fr",
        "modality": "remote",
        "sessions": 4,
        "session_minutes": 60,
        "priority": 3,
        "submitted": SUBMITTED,
        **fields,
    }


def problem_doc(
    *,
    people: Mapping[str, str | None] | Iterable[Doc] = (),
    coaches: Iterable[Doc] = (),
    requests: Iterable[Doc] = (),
    policy: Mapping[str, Any] | None = None,
    **sections: Any,
) -> Doc:
    """A full, valid problem document.

    `people` is either {id: manager} or a list of person dicts; every person referenced
    by a coach, request, active engagement, conflict or history row but not listed is
    added as a root on the "paris" site, so each scenario only spells out the org chart
    it is about.
    """
    if isinstance(people, Mapping):
        rows = [person(pid, mgr) for pid, mgr in people.items()]
    else:
        rows = [dict(x) for x in people]
    for row in rows:
        row.setdefault("site", "paris")
    coaches = [dict(c) for c in coaches]
    requests = [dict(r) for r in requests]
    known = {row["id"] for row in rows}
    referenced: list[str] = []
    for row in rows:
        if row.get("manager"):
            referenced.append(row["manager"])
    referenced += [c["person"] for c in coaches if c.get("person")]
    for r in requests:
        referenced += [r["coachee"]] + ([r["sponsor"]] if r.get("sponsor") else [])
    referenced += [a["coachee"] for a in sections.get("active", [])]
    referenced += [h["coachee"] for h in sections.get("history", [])]
    referenced += [c["person"] for c in sections.get("conflicts", [])]
    for pid in referenced:
        if pid not in known:
            known.add(pid)
            rows.append(person(pid, None, site="paris"))
    doc: Doc = {
        "horizon": dict(HORIZON),
        "people": rows,
        "coaches": coaches,
        "requests": requests,
        "policy": {"time_limit_s": TIME_LIMIT, **(policy or {})},
    }
    doc.update(copy.deepcopy(sections))
    return doc


def solve_checked(doc: Doc) -> MatchResult:
    """Parse, match, validate the solution with the solver-free checker; return it."""
    problem = parse_problem(doc)
    result = match(problem)
    check_solution(problem, result)
    return result


def solve_checked_with_problem(doc: Doc) -> tuple[Problem, MatchResult]:
    problem = parse_problem(doc)
    result = match(problem)
    check_solution(problem, result)
    return problem, result


def coach_of(result: MatchResult, request_id: str) -> str | None:
    a = result.assignment_of(request_id)
    return None if a is None else a.coach


def assigned(result: MatchResult) -> dict[str, str]:
    return {a.request: a.coach for a in result.assignments}


def reasons_of(result: MatchResult, request_id: str) -> dict[str, int]:
    u = next((u for u in result.unmatched if u.request == request_id), None)
    assert u is not None, f"{request_id} is matched"
    return dict(u.reasons)


def _context(doc: Doc) -> tuple[Problem, Context]:
    problem = parse_problem(doc)
    org = OrgChart.build((p.id, p.manager) for p in problem.people)
    return problem, Context.build(problem, org)


def exclusion_of(doc: Doc, request_id: str, coach_id: str) -> str | None:
    """The code of the first eligibility rule excluding the pair, or None."""
    problem, ctx = _context(doc)
    req = next(r for r in problem.requests if r.id == request_id)
    coach = next(c for c in problem.coaches if c.id == coach_id)
    return exclusion(ctx, req, coach)


def rules_firing(doc: Doc, request_id: str, coach_id: str) -> list[str]:
    """Every eligibility rule excluding the pair (not just the first)."""
    problem, ctx = _context(doc)
    req = next(r for r in problem.requests if r.id == request_id)
    coach = next(c for c in problem.coaches if c.id == coach_id)
    return [code for code, rule in RULES if rule(ctx, req, coach)]


def without_timing(result: dict[str, Any]) -> dict[str, Any]:
    """A result document without its wall-clock fields."""
    out = copy.deepcopy(result)
    out.pop("solve_seconds", None)
    for stage in out.get("stages", []):
        stage.pop("seconds", None)
    return out
