"""Seeded synthetic programmes (a French company's org, coaches and requests) for the
demo, the tests and the benchmarks. Same arguments, same document."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

UNITS = ("DG", "Finance", "RH", "IT", "Ventes", "Marketing", "Production", "R&D", "Juridique")
SITES = ("paris", "lyon", "lille", "nantes", "toulouse")
THEMES = (
    "leadership",
    "prise de poste",
    "management",
    "communication",
    "gestion du stress",
    "conflits",
    "transition de carrière",
    "prise de parole",
    "organisation",
    "confiance en soi",
)
FIRST = (
    "Camille",
    "Léa",
    "Hugo",
    "Louis",
    "Chloé",
    "Emma",
    "Jules",
    "Inès",
    "Lucas",
    "Manon",
    "Nathan",
    "Sarah",
    "Théo",
    "Zoé",
    "Adam",
    "Jade",
    "Paul",
    "Alice",
    "Noah",
    "Lina",
)
LAST = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
)
ABROAD_SITE = "montreal"
VENDORS = ("Cabinet Alizé", "Orée Coaching", "Partenaires RH", "Boussole & Co")
TRAVEL = {("paris", "lyon"): 120, ("paris", "lille"): 60, ("paris", "nantes"): 130,
          ("paris", "toulouse"): 270, ("lyon", "lille"): 190, ("lyon", "nantes"): 260,
          ("lyon", "toulouse"): 270, ("lille", "nantes"): 240, ("lille", "toulouse"): 330,
          ("nantes", "toulouse"): 330}  # fmt: skip


def programme(
    *,
    people: int = 400,
    internal: int = 20,
    external: int = 5,
    requests: int = 60,
    seed: int = 7,
    start: dt.date = dt.date(2027, 1, 4),
    time_limit_s: float = 10.0,
    abroad: int = 0,
) -> dict[str, Any]:
    """A problem document for a realistic programme of the given size. The last `abroad`
    internal coaches work from the Montréal office (site `montreal`, zone
    America/Montreal) and coach remotely only; every other value is the same as with
    `abroad=0`."""
    rng = random.Random(seed)
    org = _org(rng, people)
    ids = [p["id"] for p in org]
    managers = {p["manager"] for p in org if p["manager"]}
    hr_partners = [p["id"] for p in org if p["unit"] == "RH" and p["id"] not in managers]

    site_of = {p["id"]: p["site"] for p in org}
    coach_people = rng.sample(ids[1:], min(internal, len(ids) - 1))
    coaches: list[dict[str, Any]] = []
    for i, pid in enumerate(coach_people):
        site = site_of[pid]
        coaches.append(
            {
                "id": f"c{i + 1}",
                "person": pid,
                "kind": "internal",
                "max_coachees": rng.choice((2, 3, 3, 4)),
                "hours": rng.choice((30, 40, 50, 60)),
                "types": ["coaching"] + (["tutoring"] if rng.random() < 0.4 else []),
                "languages": ["fr"] + (["en"] if rng.random() < 0.5 else []),
                "themes": rng.sample(THEMES, 3),
                "modalities": ["remote", "onsite"] if rng.random() < 0.6 else ["remote"],
                "sites": [site],
                "valid_until": (
                    start + dt.timedelta(days=rng.choice((-20, 200, 400, 700)))
                ).isoformat(),
            }
        )
    for i in range(external):
        coaches.append(
            {
                "id": f"x{i + 1}",
                "kind": "external",
                "vendor": VENDORS[i % len(VENDORS)],
                "max_coachees": rng.choice((4, 5, 6)),
                "hours": rng.choice((60, 80, 100)),
                "cost_per_session": rng.choice((300, 350, 400, 450)),
                "types": ["coaching", "team_coaching"] + (["mediation"] if i % 2 == 0 else []),
                "languages": ["fr", "en"] if rng.random() < 0.6 else ["fr"],
                "themes": rng.sample(THEMES, 4),
                "modalities": ["remote", "onsite"],
                "sites": rng.sample(SITES, 2),
                "valid_until": (start + dt.timedelta(days=365)).isoformat(),
            }
        )

    _move_abroad(org, coaches[max(0, len(coach_people) - abroad) : len(coach_people)])

    out_requests: list[dict[str, Any]] = []
    coaching = set(coach_people)
    candidates = [p for p in org if p["id"] not in coaching and p["manager"]]
    for i in range(requests):
        coachee = rng.choice(candidates)
        kind = rng.choices(("coaching", "team_coaching", "mediation", "tutoring"), (70, 10, 8, 12))[
            0
        ]
        if kind == "team_coaching" and coachee["id"] not in managers:
            kind = "coaching"
        # The sponsor is the manager, or now and then an HR partner.
        sponsor = coachee["manager"]
        if hr_partners and rng.random() < 0.2:
            sponsor = rng.choice([h for h in hr_partners if h != coachee["id"]] or [sponsor])
        out_requests.append(
            {
                "id": f"r{i + 1}",
                "coachee": coachee["id"],
                "sponsor": sponsor,
                "type": kind,
                "language": "en" if rng.random() < 0.15 else "fr",
                "modality": "onsite" if rng.random() < 0.3 else "remote",
                "themes": rng.sample(THEMES, rng.choice((1, 2, 2, 3))),
                "sessions": rng.choice((4, 6, 6, 8)),
                "session_minutes": rng.choice((60, 90, 90, 120)),
                "priority": rng.choices((1, 2, 3, 4, 5), (10, 20, 45, 15, 10))[0],
                "submitted": (start - dt.timedelta(days=rng.randint(1, 120))).isoformat(),
            }
        )
    horizon_end = start + dt.timedelta(weeks=16)
    return {
        "horizon": {"start": start.isoformat(), "end": horizon_end.isoformat()},
        "people": org,
        "coaches": coaches,
        "requests": out_requests,
        "active": [],
        "history": [],
        "conflicts": [],
        "adjustments": [],
        "travel_minutes": [{"from": a, "to": b, "minutes": m} for (a, b), m in TRAVEL.items()],
        "policy": {"external_budget": 25_000, "proposals": 3, "time_limit_s": time_limit_s},
    }


def _move_abroad(org: list[dict[str, Any]], coaches: list[dict[str, Any]]) -> None:
    """These internal coaches (and the people they are) move to Montréal: remote only."""
    person_of = {p["id"]: p for p in org}
    for coach in coaches:
        person = person_of[coach["person"]]
        person.update(site=ABROAD_SITE, timezone="America/Montreal")
        coach.update(modalities=["remote"], sites=[])


def _org(rng: random.Random, n: int) -> list[dict[str, Any]]:
    """A CEO, unit heads under them, then managers and teams of 4 to 9 per unit."""
    people: list[dict[str, Any]] = []
    site_of: dict[str, str] = {}

    def add(manager: str | None, unit: str, site: str) -> str:
        pid = f"p{len(people) + 1}"
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first}.{last}.{len(people) + 1}@example.com".lower()
        people.append(
            {
                "id": pid,
                "manager": manager,
                "unit": unit,
                "site": site,
                "name": f"{first} {last}",
                "email": email.replace("é", "e").replace("è", "e").replace("ï", "i"),
                "timezone": "Europe/Paris",
                "language": "fr",
            }
        )
        site_of[pid] = site
        return pid

    ceo = add(None, "DG", "paris")
    units = [(u, add(ceo, u, rng.choice(SITES))) for u in UNITS[: max(1, min(len(UNITS), n // 20))]]
    open_managers = [(head, unit) for unit, head in units]
    while len(people) < n:
        manager, unit = open_managers[rng.randrange(len(open_managers))]
        site = site_of[manager]
        if rng.random() < 0.2:
            site = rng.choice(SITES)
        pid = add(manager, unit, site)
        if rng.random() < 0.18:
            open_managers.append((pid, unit))
    return people
