"""Why a request stayed unmatched: what each rule excluded, and what finally blocked
the coaches that were eligible."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from matcher.instance import Instance
from matcher.orgchart import OrgChart

# English labels of reason codes; the service translates the codes themselves.
LABELS: Mapping[str, str] = {
    "neutrality": "neutrality",
    "peer": "coachee's peer",
    "same_unit": "same unit",
    "conflict_of_interest": "conflict of interest",
    "reporting_line_overlap": "already coaches someone in this reporting line",
    "forbidden": "forbidden by HR",
    "qualification": "certification or referencing not valid",
    "type": "does not offer this type",
    "language": "language",
    "modality": "modality",
    "site": "does not serve the site",
    "preference": "coachee's preference",
    "history": "previous coach",
    "capacity": "no room left",
    "capacity_full": "capacity full",
    "lost_to_higher_priority": "lost to higher-priority requests",
    "external_budget": "external budget spent",
    "reporting_line_conflict": "would coach two people in one reporting line",
    "not_selected": "not selected within the time limit",
    "no_coaches": "no coaches",
    "coach_unknown": "coach no longer in the programme",
}


def summary(reasons: Mapping[str, int]) -> str:
    """'neutrality: 4, language: 31, capacity full: 6' in rule order."""
    if not reasons:
        return "no eligible coach"
    return ", ".join(f"{LABELS.get(code, code)}: {n}" for code, n in reasons.items())


def blockers(
    inst: Instance,
    chosen: Sequence[int],
    request: int,
    org: OrgChart | None,
    coachees: Sequence[str],
) -> Counter[str]:
    """For each coach eligible for an unmatched request, what stops adding it now."""
    count: Counter[int] = Counter()
    minutes: Counter[int] = Counter()
    taken: dict[int, list[int]] = {}
    spend = 0
    for k in chosen:
        cand = inst.candidates[k]
        count[cand.coach] += 1
        minutes[cand.coach] += cand.minutes
        taken.setdefault(cand.coach, []).append(cand.request)
        spend += cand.cost
    out: Counter[str] = Counter()
    for k in inst.by_request[request]:
        cand = inst.candidates[k]
        c = cand.coach
        if (
            count[c] + 1 > inst.capacity_count[c]
            or minutes[c] + cand.minutes > inst.capacity_minutes[c]
        ):
            higher = any(inst.priority[r] < inst.priority[request] for r in taken.get(c, ()))
            out["lost_to_higher_priority" if higher else "capacity_full"] += 1
        elif inst.budget is not None and cand.cost and spend + cand.cost > inst.budget:
            out["external_budget"] += 1
        elif org is not None and any(
            coachees[r] != coachees[request]
            and org.in_reporting_line(coachees[r], coachees[request])
            for r in taken.get(c, ())
        ):
            out["reporting_line_conflict"] += 1
        else:
            out["not_selected"] += 1
    return out
