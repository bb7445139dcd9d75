"""Alternatives for 'chemistry' meetings: for each matched request, up to k-1 other
eligible coaches that still have room, ranked by score and spread across requests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from matcher.instance import Instance
from matcher.orgchart import OrgChart

SPREAD_PENALTY = 10  # points off a coach's score per earlier offer in this round


def alternatives(
    inst: Instance,
    chosen: Sequence[int],
    k: int,
    org: OrgChart | None,
    coachees: Sequence[str],
) -> dict[int, list[int]]:
    """Request index -> candidate indices of its alternatives, best first.

    A coach offered as an alternative holds a seat and the hours for it: it is offered only
    while it has room for every offer, so every alternative could really be taken. Requests are
    served in order of priority, then waiting time, then id; each earlier offer of the
    same coach costs SPREAD_PENALTY points, so a popular coach is not offered to everyone.
    """
    if k <= 1:
        return {}
    count: Counter[int] = Counter()
    minutes: Counter[int] = Counter()  # chosen and offered, per coach
    spend = 0
    taken: dict[int, list[int]] = {}
    for ck in chosen:
        cand = inst.candidates[ck]
        count[cand.coach] += 1
        minutes[cand.coach] += cand.minutes
        spend += cand.cost
        taken.setdefault(cand.coach, []).append(cand.request)
    offered: Counter[int] = Counter()
    chosen_of = {inst.candidates[ck].request: ck for ck in chosen}
    order = sorted(
        chosen_of,
        key=lambda r: (
            inst.priority[r] if inst.priority else 0,
            -inst.waiting_days[r],
            inst.request_ids[r],
        ),
    )
    out: dict[int, list[int]] = {}
    for r in order:
        if chosen_of[r] in (inst.pinned.get(r), inst.confirmed.get(r)):  # already decided
            out[r] = []
            continue
        own = inst.candidates[chosen_of[r]]
        options = []
        for ck in inst.by_request[r]:
            cand = inst.candidates[ck]
            c = cand.coach
            if c == own.coach:
                continue
            if count[c] + offered[c] + 1 > inst.capacity_count[c]:
                continue
            if minutes[c] + cand.minutes > inst.capacity_minutes[c]:
                continue
            if inst.budget is not None and spend - own.cost + cand.cost > inst.budget:
                continue
            if org is not None and any(
                coachees[o] != coachees[r] and org.in_reporting_line(coachees[o], coachees[r])
                for o in taken.get(c, ())
            ):
                continue
            rank = cand.score - SPREAD_PENALTY * offered[c]
            options.append((-rank, inst.coach_ids[c], ck))
        options.sort()
        picks = [ck for _, _, ck in options[: k - 1]]
        for ck in picks:
            offered[inst.candidates[ck].coach] += 1
            minutes[inst.candidates[ck].coach] += inst.candidates[ck].minutes
        out[r] = picks
    return out
