"""The demo programme's content, built from `matcher.synthetic.programme` (the same org,
coaches and requests as `coachmatch demo --match-only`) plus what the service needs:
display sites, external coaches' names, weekly windows, leave, French confidential briefs
and the demo sign-ins. Pure and deterministic: same seed and start date, same content."""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from matcher.synthetic import FIRST, LAST, programme

SEED = 7
PEOPLE = 400
INTERNAL = 20
EXTERNAL = 5
REQUESTS = 60
ABROAD = 3  # internal coaches working from Montréal

SITE_NAMES = {
    "paris": "Paris",
    "lyon": "Lyon",
    "lille": "Lille",
    "nantes": "Nantes",
    "toulouse": "Toulouse",
    "montreal": "Montréal",
}


@dataclass(frozen=True)
class DemoAccount:
    role: str  # hr, coach, coachee, sponsor
    label: str
    email: str
    password: str


# The demo's sign-ins (README, `make run`). The coach, coachee and sponsor are people of
# the org chart whose work emails are replaced by these.
ACCOUNTS = (
    DemoAccount("hr", "HR (programme admin)", "rh.demo@example.com", "coachmatch-rh"),
    DemoAccount("coach", "coach", "coach.demo@example.com", "coachmatch-coach"),
    DemoAccount("coachee", "coachee", "coachee.demo@example.com", "coachmatch-coachee"),
    DemoAccount("sponsor", "sponsor", "sponsor.demo@example.com", "coachmatch-sponsor"),
)


@dataclass
class DemoCoach:
    key: str  # the synthetic id: c1..., x1...
    person: str | None  # internal: the org chart id
    fields: dict[str, Any]  # CoachCreate fields, person_id left out
    weekly: list[tuple[int, time, time]] = field(default_factory=list)
    leave: list[tuple[datetime, datetime, str]] = field(default_factory=list)


@dataclass
class DemoRequest:
    key: str
    coachee: str  # org chart ids
    sponsor: str | None
    fields: dict[str, Any]  # RequestCreate fields, coachee_id/sponsor_id left out


@dataclass
class DemoProgramme:
    start: date
    org_csv: bytes
    people: int
    coaches: list[DemoCoach]
    requests: list[DemoRequest]
    account_people: dict[str, str]  # role -> org chart id (coachee, sponsor)
    account_coach: str  # the demo coach's key
    # HR's travel minutes (one way) between the French sites: the matcher document's own
    # (train times, as `--match-only` charges them); Montréal's pairs keep the default.
    travel: list[tuple[str, str, int]] = field(default_factory=list)


def matcher_document(
    *, start: date | None = None, time_limit_s: float = 10.0, requests: int = REQUESTS
) -> dict[str, Any]:
    """The demo programme as a matcher problem (the CLI's `--match-only`); fewer `requests`
    keep the same org, coaches and first requests."""
    kwargs: dict[str, Any] = {} if start is None else {"start": start}
    return programme(
        people=PEOPLE,
        internal=INTERNAL,
        external=EXTERNAL,
        requests=requests,
        seed=SEED,
        time_limit_s=time_limit_s,
        abroad=ABROAD,
        **kwargs,
    )


def build(*, start: date, requests: int = REQUESTS) -> DemoProgramme:
    """The demo programme for a horizon starting on `start` (a Monday)."""
    doc = matcher_document(start=start, requests=requests)
    rng = random.Random(SEED * 1000 + 1)  # the service-only details: own stream
    people = {p["id"]: p for p in doc["people"]}
    internal = [c for c in doc["coaches"] if c["kind"] == "internal"]
    certified = [c for c in internal if date.fromisoformat(c["valid_until"]) > start]
    demo_coach = next(c for c in certified if people[c["person"]]["timezone"] == "Europe/Paris")
    coach_key, coach_person = demo_coach["id"], demo_coach["person"]
    # The demo coachee and sponsor: the first request sponsored by the coachee's manager,
    # neither of them the demo coach.
    first = next(
        r
        for r in doc["requests"]
        if r["sponsor"] == people[r["coachee"]]["manager"]
        and coach_person not in (r["coachee"], r["sponsor"])
        and r["language"] == "fr"
    )
    account_people = {"coachee": first["coachee"], "sponsor": first["sponsor"]}
    emails = {a.role: a.email for a in ACCOUNTS}
    email_of = {coach_person: emails["coach"]} | {
        pid: emails[role] for role, pid in account_people.items()
    }

    coaches = [_coach(rng, c, people, start) for c in doc["coaches"]]
    demo_requests = [_request(rng, r) for r in doc["requests"]]
    return DemoProgramme(
        start=start,
        org_csv=_org_csv(doc["people"], email_of),
        people=len(doc["people"]),
        coaches=coaches,
        requests=demo_requests,
        account_people=account_people,
        account_coach=coach_key,
        travel=[
            (SITE_NAMES[t["from"]], SITE_NAMES[t["to"]], t["minutes"])
            for t in doc["travel_minutes"]
        ],
    )


def _org_csv(org: list[dict[str, Any]], email_of: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "email", "manager_id", "unit", "site", "timezone", "language"])
    for p in org:
        writer.writerow(
            [
                p["id"],
                p["name"],
                email_of.get(p["id"], p["email"]),
                p["manager"] or "",
                p["unit"],
                SITE_NAMES[p["site"]],
                p["timezone"],
                p["language"],
            ]
        )
    return out.getvalue().encode("utf-8")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _coach(
    rng: random.Random, c: dict[str, Any], people: dict[str, dict[str, Any]], start: date
) -> DemoCoach:
    hours_per_month = round(c["hours"] / 4)
    common: dict[str, Any] = {
        "kind": c["kind"],
        "languages": c["languages"],
        "themes": c["themes"],
        "coaching_types": c["types"],
        "modalities": c["modalities"],
        "sites": [SITE_NAMES[s] for s in c["sites"]],
        "max_coachees": c["max_coachees"],
        "hours_per_month": hours_per_month,
    }
    if c["kind"] == "internal":
        zone = people[c["person"]]["timezone"]
        fields = common | {
            "certified_until": c["valid_until"],
            "time_share": rng.choice((0.1, 0.1, 0.2)),
            "timezone": zone,
        }
        person: str | None = c["person"]
        weekly = _weekly(rng, count=rng.choice((2, 3, 3)), abroad=zone != "Europe/Paris")
    else:
        zone = "Europe/Paris"
        first, last = rng.choice(FIRST), rng.choice(LAST)
        vendor = c["vendor"]
        domain = "".join(ch for ch in _ascii(vendor) if ch.isalnum())
        referenced_from = start - timedelta(days=rng.choice((90, 200, 400)))
        fields = common | {
            "name": f"{first} {last}",
            "email": f"{_ascii(first)}.{_ascii(last)}@{domain}.example",
            "vendor": vendor,
            "rate_per_session_cents": c["cost_per_session"] * 100,
            "currency": "EUR",
            "referenced_from": referenced_from.isoformat(),
            "referenced_until": c["valid_until"],
            "timezone": zone,
        }
        person = None
        weekly = _weekly(rng, count=4, abroad=False)
    leave = _leave(rng, zone, start) if rng.random() < 0.3 else []
    return DemoCoach(key=c["id"], person=person, fields=fields, weekly=weekly, leave=leave)


HALF_DAYS = ((time(9), time(12)), (time(9, 30), time(12, 30)), (time(14), time(17, 30)))
# Montréal mornings overlap French afternoons.
ABROAD_HALF_DAYS = ((time(8), time(11)), (time(8, 30), time(11, 30)))


def _weekly(rng: random.Random, *, count: int, abroad: bool) -> list[tuple[int, time, time]]:
    days = sorted(rng.sample(range(5), count))
    options = ABROAD_HALF_DAYS if abroad else HALF_DAYS
    return [(day, *rng.choice(options)) for day in days]


def _leave(rng: random.Random, zone: str, start: date) -> list[tuple[datetime, datetime, str]]:
    """A week of holiday, or two days of training, somewhere in the first ten weeks."""
    tz = ZoneInfo(zone)
    first = start + timedelta(weeks=rng.randint(2, 9))
    days, reason = rng.choice(((7, "congés"), (2, "formation")))

    def midnight(d: date) -> datetime:
        return datetime.combine(d, time(0), tzinfo=tz).astimezone(UTC)

    return [(midnight(first), midnight(first + timedelta(days=days)), reason)]


SITUATIONS = (
    "Vient de prendre la tête d'une équipe de {n} personnes après un départ non préparé.",
    "Nommé(e) responsable il y a trois mois, ancien(ne) pair de son équipe actuelle.",
    "Traverse une réorganisation du service qui a fusionné deux équipes aux cultures différentes.",
    "Évoque une fatigue importante et des soirées de travail devenues la règle.",
    "Des tensions répétées avec un collègue du même niveau freinent un projet clé.",
    "Envisage une mobilité vers un autre métier et hésite à en parler à sa hiérarchie.",
    "Doit présenter régulièrement au comité de direction et redoute ces échéances.",
    "Revient d'un congé long et souhaite retrouver sa place dans l'équipe.",
    "Gère un projet transverse sans autorité hiérarchique sur les contributeurs.",
    "Son dernier entretien annuel a mis en avant un manque de délégation.",
)
NEEDS = {
    "leadership": "affirmer son leadership sans perdre la confiance de l'équipe",
    "prise de poste": "réussir ses cent premiers jours et clarifier ses priorités",
    "management": "poser un cadre clair et mener des entretiens difficiles",
    "communication": "mieux faire passer ses messages, à l'écrit comme à l'oral",
    "gestion du stress": "retrouver un rythme soutenable et poser des limites",
    "conflits": "sortir d'un conflit qui s'enlise et rétablir un dialogue",
    "transition de carrière": "construire un projet professionnel réaliste",
    "prise de parole": "gagner en aisance devant un public exigeant",
    "organisation": "reprendre la main sur son agenda et ses priorités",
    "confiance en soi": "oser prendre position et défendre ses idées",
}


def _request(rng: random.Random, r: dict[str, Any]) -> DemoRequest:
    situation = rng.choice(SITUATIONS).format(n=rng.randint(4, 12))
    needs = [NEEDS[t] for t in r["themes"]]
    description = f"{situation} Souhaite {needs[0]}."
    objectives = "; ".join(needs).capitalize() + "."
    fields = {
        "coaching_type": r["type"],
        "themes": r["themes"],
        "language": r["language"],
        "modality": r["modality"],
        "sessions": r["sessions"],
        "session_minutes": r["session_minutes"],
        "cadence_days": rng.choice((14, 14, 21, 28)),
        "priority": r["priority"],
        "description": description,
        "objectives": objectives,
    }
    return DemoRequest(key=r["id"], coachee=r["coachee"], sponsor=r["sponsor"], fields=fields)
