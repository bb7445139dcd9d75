"""Real-shaped rounds: problem documents built the way real coaching programmes are.

Unlike `bench/scale.py` (eligibility drawn pair by pair at random), eligibility here
comes from what real programmes are made of, so it falls into blocks:

- an org tree of about three people per request, about six levels deep, split into
  divisions with a main site, most people on their manager's site;
- requests of four types (coaching, team coaching for managers, mediation, tutoring),
  in French or English (the coachee's language), remote, on site or either, with the
  sessions and lengths each type usually has;
- coaches, three quarters internal (employees, drawn from the tree) and a quarter
  external (vendors with a rate), speaking French, English or both, offering some
  types and modalities, serving their home site and a neighbour or two on site;
- coachees drawn from the tree, more managers than their share, a few senior
  managers; sponsors mostly the coachee's manager, else an HR partner or the manager's
  manager; some coaches already busy with a running engagement, some coachees with a
  previous coach; an external budget that binds.

About 30 % of pairs end up eligible and the requested hours are about 1.5× the
coaches' (the coaches' hours are scaled to hit `demand`). Same arguments, same document.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from matcher.synthetic import THEMES, TRAVEL, UNITS, VENDORS

SITES = ("paris", "lyon", "lille", "nantes", "toulouse")
DIVISIONS = (*UNITS[1:], "Achats", "Logistique", "Qualité")  # UNITS[0] is the CEO's
MAX_DEPTH = 6
# Chance that someone at this depth manages a team (depth 0: the CEO).
MANAGES = (1.0, 1.0, 0.8, 0.45, 0.25, 0.12, 0.0)
TYPE_SHARE = {"coaching": 55, "team_coaching": 15, "mediation": 10, "tutoring": 20}
# Sessions and their length (minutes) by request type.
SHAPE = {
    "coaching": ((6, 8, 8, 10), (90, 90, 120)),
    "team_coaching": ((4, 5, 6), (120, 180)),
    "mediation": ((3, 4, 5), (120,)),
    "tutoring": ((6, 8, 10, 12), (60, 60, 90)),
}
START = dt.date(2027, 1, 4)
# Other sites, nearest first: where a coach on site also goes.
NEIGHBOURS = {
    site: sorted(
        (s for s in SITES if s != site),
        key=lambda s, a=site: TRAVEL.get((a, s), TRAVEL.get((s, a))),
    )
    for site in SITES
}


def real_round(
    requests: int,
    coaches: int,
    *,
    seed: int = 0,
    demand: float = 1.5,
    people_per_request: float = 3.0,
    time_limit_s: float = 10.0,
) -> dict[str, Any]:
    """A problem document of `requests` requests and `coaches` coaches."""
    rng = random.Random(seed)
    people = _org(rng, max(50, round(people_per_request * requests)))
    reports: dict[str, int] = {}
    for p in people:
        if p["manager"]:
            reports[p["manager"]] = reports.get(p["manager"], 0) + 1
    by_id = {p["id"]: p for p in people}
    depth = {p["id"]: p["depth"] for p in people}
    hr = [p["id"] for p in people if p["unit"] == "RH" and p["id"] not in reports]

    # Coachees: managers three times as likely as others, a few senior managers.
    eligible_people = [p for p in people if p["manager"]]
    weight = [3.0 if p["id"] in reports else 1.0 for p in eligible_people]
    coachees: list[str] = []
    seen: set[str] = set()
    seniors = [p["id"] for p in eligible_people if p["depth"] <= 2]
    for pid in rng.sample(seniors, min(len(seniors), max(1, requests // 100))):
        coachees.append(pid)
        seen.add(pid)
    while len(coachees) < requests:
        pid = rng.choices(eligible_people, weight)[0]["id"]
        if pid in seen and rng.random() < 0.97:  # now and then a second request
            continue
        seen.add(pid)
        coachees.append(pid)
    rng.shuffle(coachees)

    out_requests = [
        _request(rng, i, by_id[pid], by_id, reports, hr) for i, pid in enumerate(coachees)
    ]
    coach_docs = _coaches(rng, coaches, people, set(coachees), depth)
    _scale_hours(coach_docs, out_requests, demand)

    # Some coaches are already busy with an engagement that runs on; some coachees had
    # a coach before.
    others = [p["id"] for p in people if p["id"] not in seen and p["manager"]]
    active = []
    for coach in coach_docs:
        if rng.random() < 0.2 and coach["max_coachees"] > 1:
            hours = rng.choice((6, 9, 12))
            if hours < coach["hours"] / 2:
                active.append({"coach": coach["id"], "coachee": rng.choice(others), "hours": hours})
    history = [
        {"coach": rng.choice(coach_docs)["id"], "coachee": pid}
        for pid in coachees
        if rng.random() < 0.05
    ]
    external_cost = sum(
        c["cost_per_session"] * c["hours"] / 1.6 for c in coach_docs if c["kind"] == "external"
    )
    return {
        "horizon": {
            "start": START.isoformat(),
            "end": (START + dt.timedelta(weeks=20)).isoformat(),
        },
        "people": [{k: v for k, v in p.items() if k != "depth"} for p in people],
        "coaches": coach_docs,
        "requests": out_requests,
        "active": active,
        "history": history,
        "conflicts": [],
        "adjustments": [],
        "travel_minutes": [{"from": a, "to": b, "minutes": m} for (a, b), m in TRAVEL.items()],
        "policy": {
            # Externals could do about 60 % of what their hours allow.
            "external_budget": round(0.6 * external_cost, -2),
            "proposals": 3,
            "time_limit_s": time_limit_s,
            "seed": 0,
        },
    }


def _org(rng: random.Random, n: int) -> list[dict[str, Any]]:
    """A CEO, division heads under them, then teams of 3 to 9, at most MAX_DEPTH deep.

    Teams are formed in random order among the managers still without one, so some
    branches grow deeper than others; when no manager is left before `n` people, someone
    is promoted."""
    people: list[dict[str, Any]] = []

    def add(manager: dict[str, Any] | None, unit: str, site: str) -> dict[str, Any]:
        d = 0 if manager is None else manager["depth"] + 1
        english = rng.random() < (0.35 if unit in ("R&D", "IT") else 0.15)
        person = {
            "id": f"p{len(people) + 1}",
            "manager": None if manager is None else manager["id"],
            "unit": unit,
            "site": site,
            "language": "en" if english else "fr",
            "depth": d,
        }
        people.append(person)
        return person

    ceo = add(None, "DG", "paris")
    divisions = DIVISIONS[: max(3, min(len(DIVISIONS), n // 150))]
    heads = [add(ceo, unit, rng.choice(SITES)) for unit in divisions]
    waiting = list(heads)  # managers whose team is not formed yet
    leaves: list[dict[str, Any]] = []
    while len(people) < n:
        if not waiting:
            promotable = [p for p in leaves if p["depth"] < MAX_DEPTH]
            waiting.append(promotable.pop(rng.randrange(len(promotable))))
            leaves.remove(waiting[-1])
        boss = waiting.pop(rng.randrange(len(waiting)))
        for _ in range(rng.randint(3, 9)):
            if len(people) >= n:
                break
            site = boss["site"] if rng.random() < 0.85 else rng.choice(SITES)
            member = add(boss, boss["unit"], site)
            if rng.random() < MANAGES[member["depth"]]:
                waiting.append(member)
            else:
                leaves.append(member)
    return people


def _request(
    rng: random.Random,
    i: int,
    coachee: dict[str, Any],
    by_id: dict[str, dict[str, Any]],
    reports: dict[str, int],
    hr: list[str],
) -> dict[str, Any]:
    kind = rng.choices(list(TYPE_SHARE), list(TYPE_SHARE.values()))[0]
    if kind == "team_coaching" and coachee["id"] not in reports:
        kind = "coaching"
    manager = coachee["manager"]
    roll = rng.random()
    if hr and (kind == "mediation" or roll < 0.12):
        sponsor = rng.choice(hr)
    elif roll < 0.2 and by_id[manager]["manager"]:
        sponsor = by_id[manager]["manager"]
    else:
        sponsor = manager
    if sponsor == coachee["id"]:
        sponsor = manager
    language = coachee["language"] if rng.random() < 0.9 else rng.choice(("fr", "en"))
    sessions, lengths = SHAPE[kind]
    senior = coachee["depth"] <= 2
    priority = rng.choices(
        (1, 2, 3, 4, 5), (25, 35, 25, 10, 5) if senior else (10, 20, 40, 20, 10)
    )[0]
    return {
        "id": f"r{i + 1}",
        "coachee": coachee["id"],
        "sponsor": sponsor,
        "type": kind,
        "language": language,
        "modality": rng.choices(("remote", "onsite", "any"), (45, 35, 20))[0],
        "themes": rng.sample(THEMES, rng.choice((1, 2, 2, 3))),
        "sessions": rng.choice(sessions),
        "session_minutes": rng.choice(lengths),
        "priority": priority,
        "submitted": (START - dt.timedelta(days=rng.randint(1, 150))).isoformat(),
    }


def _coaches(
    rng: random.Random,
    n: int,
    people: list[dict[str, Any]],
    coachees: set[str],
    depth: dict[str, int],
) -> list[dict[str, Any]]:
    """Three quarters internal (employees two to five levels down, not coachees of this
    round), a quarter external."""
    pool = [p for p in people if 2 <= p["depth"] <= 5 and p["id"] not in coachees]
    internal = min(len(pool), round(0.75 * n))
    chosen = rng.sample(pool, internal)
    out: list[dict[str, Any]] = []
    for i in range(n):
        person = chosen[i] if i < internal else None
        home = person["site"] if person else rng.choice(SITES)
        roll = rng.random()
        languages = ["fr"] if roll < 0.5 else (["fr", "en"] if roll < 0.9 else ["en"])
        if person and person["language"] == "en" and languages == ["fr"]:
            languages = ["fr", "en"]
        types = [
            t
            for t, share in (
                ("coaching", 0.8),
                ("team_coaching", 0.3 if person else 0.5),
                ("mediation", 0.1 if person else 0.4),
                ("tutoring", 0.4 if person else 0.15),
            )
            if rng.random() < share
        ] or ["coaching"]
        roll = rng.random()
        modalities = (
            ["remote"] if roll < 0.3 else (["onsite"] if roll < 0.45 else ["remote", "onsite"])
        )
        near = NEIGHBOURS[home][: rng.choice((0, 1, 1, 2))]
        sites = [home, *near] if "onsite" in modalities else []
        coach: dict[str, Any] = {
            "id": f"c{i + 1}" if person else f"x{i + 1 - internal}",
            "kind": "internal" if person else "external",
            "max_coachees": 0,  # set with the hours
            "hours": rng.choice((30, 40, 50, 60, 80)) if person else rng.choice((60, 80, 100, 120)),
            "types": types,
            "languages": languages,
            "themes": rng.sample(THEMES, rng.choice((3, 4, 5))),
            "modalities": modalities,
            "sites": sites,
            # A few certifications or referencings lapse before the round starts.
            "valid_until": (
                START
                + dt.timedelta(days=-30 if rng.random() < 0.04 else rng.choice((200, 400, 700)))
            ).isoformat(),
        }
        if person:
            coach["person"] = person["id"]
        else:
            coach["vendor"] = VENDORS[i % len(VENDORS)]
            coach["cost_per_session"] = rng.choice((250, 300, 350, 400, 450, 500))
        out.append(coach)
    return out


def _scale_hours(
    coaches: list[dict[str, Any]], requests: list[dict[str, Any]], demand: float
) -> None:
    """Scale the coaches' hours so the requested hours are `demand` × theirs, and give each
    as many seats as their hours hold at the mean request (give or take one)."""
    asked = sum(r["sessions"] * r["session_minutes"] for r in requests) / 60
    factor = asked / demand / sum(c["hours"] for c in coaches)
    mean = asked / len(requests)
    rng = random.Random(len(coaches))
    for c in coaches:
        c["hours"] = max(8, round(c["hours"] * factor))
        c["max_coachees"] = max(1, round(c["hours"] / mean) + rng.choice((-1, 0, 0, 1)))
