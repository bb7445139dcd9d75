"""Why a request stayed unmatched: what each rule excluded, and what finally blocked
the coaches that were eligible."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from matcher.instance import Instance
from matcher.objectives import OBJECTIVES
from matcher.orgchart import OrgChart

# English labels of reason codes; the service translates the codes themselves.
LABELS: Mapping[str, str] = {
    "neutrality": "neutrality",
    "participant_neutrality": "neutrality towards a participant",
    "peer": "coachee's peer",
    "same_unit": "same unit",
    "conflict_of_interest": "conflict of interest",
    "participant_conflict_of_interest": "conflict of interest with a participant",
    "reporting_line_overlap": "already coaches someone in this reporting line",
    "participant_reporting_line_overlap": "already coaches someone in a participant's line",
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
    "round_infeasible": "pinned assignments cannot all be kept",
}


# What each optimiser stage decides, in words, keyed by stage name (in stage order).
STAGE_LABELS: Mapping[str, str] = {o.name: o.label for o in OBJECTIVES}


def ordered(reasons: Mapping[str, int]) -> dict[str, int]:
    """Reasons in rule order, then the blockers, as in LABELS."""
    rank = {code: i for i, code in enumerate(LABELS)}
    return dict(sorted(reasons.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


def summary(reasons: Mapping[str, int]) -> str:
    """'neutrality: 4, language: 31, capacity full: 6' in rule order."""
    if not reasons:
        return "no eligible coach"
    return ", ".join(f"{LABELS.get(code, code)}: {n}" for code, n in ordered(reasons).items())


class Blockers:
    """The coaches' load in a solution, to say what stops one more pair being added."""

    def __init__(
        self,
        inst: Instance,
        chosen: Sequence[int],
        org: OrgChart | None,
        people: Sequence[Sequence[str]],
    ) -> None:
        self.inst, self.org, self.people = inst, org, people
        self.count: Counter[int] = Counter()
        self.minutes: Counter[int] = Counter()
        self.taken: dict[int, list[int]] = {}
        self.spend = 0
        for k in chosen:
            cand = inst.candidates[k]
            self.count[cand.coach] += 1
            self.minutes[cand.coach] += cand.minutes
            self.taken.setdefault(cand.coach, []).append(cand.request)
            self.spend += cand.cost

    def of(self, k: int) -> str:
        """The reason code that keeps candidate k out of the solution."""
        inst, cand = self.inst, self.inst.candidates[k]
        c, request = cand.coach, cand.request
        others = [r for r in self.taken.get(c, ()) if r != request]
        if (
            self.count[c] + 1 > inst.capacity_count[c]
            or self.minutes[c] + cand.minutes > inst.capacity_minutes[c]
        ):
            higher = inst.priority and any(
                inst.priority[r] < inst.priority[request] for r in others
            )
            return "lost_to_higher_priority" if higher else "capacity_full"
        if inst.budget is not None and cand.cost and self.spend + cand.cost > inst.budget:
            return "external_budget"
        who = self.people
        if self.org is not None and any(self.org.lines_cross(who[r], who[request]) for r in others):
            return "reporting_line_conflict"
        return "not_selected"

    def of_request(self, request: int) -> Counter[str]:
        """For each coach eligible for an unmatched request, what stops adding it now."""
        return Counter(self.of(k) for k in self.inst.by_request[request])


def pin_conflicts(inst: Instance, org: OrgChart | None, people_of: Sequence[Sequence[str]]) -> str:
    """Why HR's pins cannot all hold, naming the coaches (for an infeasible round)."""
    pins = [inst.candidates[k] for k in inst.pinned.values()]
    problems = []
    for c, coach in enumerate(inst.coach_ids):
        mine = [p for p in pins if p.coach == c]
        if len(mine) > inst.capacity_count[c]:
            problems.append(
                f"coach {coach} has {inst.capacity_count[c]} seat(s) left for {len(mine)} pins"
            )
        minutes = sum(p.minutes for p in mine)
        if minutes > inst.capacity_minutes[c]:
            left = inst.capacity_minutes[c] / 60
            problems.append(f"coach {coach} has {left:g} h left for {minutes / 60:g} h of pins")
        if org is not None:
            crossing = sorted(
                {
                    (min(a, b), max(a, b))
                    for i, pa in enumerate(mine)
                    for pb in mine[i + 1 :]
                    for a in people_of[pa.request]
                    for b in people_of[pb.request]
                    if a != b and org.in_reporting_line(a, b)
                }
            )
            for a, b in crossing:
                problems.append(f"coach {coach} is pinned to {a} and {b}, one in the other's line")
    spend = sum(p.cost for p in pins)
    if inst.budget is not None and spend > inst.budget:
        problems.append(f"pins cost {spend}, over the external budget of {inst.budget}")
    return "pinned assignments cannot all be kept: " + ("; ".join(problems) or "they conflict")
