"""Alternatives for 'chemistry' meetings: for each matched request, up to k-1 other
eligible coaches that still have room, ranked by score and spread across requests.

The guarantee: choosing an offered coach never breaks another request's match. Each
alternative has, with every match of the round in place, a seat, the hours, the external
budget and no coachee in this coachee's line; so the coachee may take it alone. Several
coachees may be offered one seat (OFFERS_PER_SEAT): the first to take it has it, and
the others keep their own match (the service checks room when a choice is confirmed).
No objective reserves room for them (README, "The coachee's choice", says why)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from matcher.instance import Instance
from matcher.orgchart import OrgChart

SPREAD_PENALTY = 10  # points off a coach's score per earlier offer in this round
# Offers of one coach per seat it has left: chemistry meetings lead most coachees back to
# their match, so a seat offered twice is still most often free when chosen.
OFFERS_PER_SEAT = 2


def alternatives(
    inst: Instance,
    chosen: Sequence[int],
    k: int,
    org: OrgChart | None,
    people: Sequence[Sequence[str]],
) -> dict[int, list[int]]:
    """Request index -> candidate indices of its alternatives, best first.

    Each alternative has room for the request beside the round's matches (see the module
    docstring); a coach is offered at most OFFERS_PER_SEAT times per seat left. Requests
    are served in order of priority, then waiting time, then id; each earlier offer of
    the same coach costs SPREAD_PENALTY points, so a popular coach is not offered to
    everyone.
    """
    if k <= 1:
        return {}
    count: Counter[int] = Counter()
    minutes: Counter[int] = Counter()  # chosen, per coach
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
            left = inst.capacity_count[c] - count[c]
            if left < 1 or offered[c] >= OFFERS_PER_SEAT * left:
                continue
            if minutes[c] + cand.minutes > inst.capacity_minutes[c]:
                continue
            if inst.budget is not None and spend - own.cost + cand.cost > inst.budget:
                continue
            if org is not None and any(
                org.lines_cross(people[o], people[r]) for o in taken.get(c, ())
            ):
                continue
            rank = cand.score - SPREAD_PENALTY * offered[c]
            options.append((-rank, inst.coach_ids[c], ck))
        options.sort()
        picks = [ck for _, _, ck in options[: k - 1]]
        for ck in picks:
            offered[inst.candidates[ck].coach] += 1
        out[r] = picks
    return out
