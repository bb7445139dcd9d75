"""`coachmatch demo`: the demo programme loaded into a real database through the service,
once; its sign-ins work through the app; HR never sees a confidential brief."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from api_support import START, fresh, row_counts
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.demo import ACCOUNTS, load_demo, matcher_document
from api.demo.content import SITE_NAMES, build
from api.demo.load import demo_start
from api.errors import Conflict
from api.models import (
    AvailabilityException,
    Coach,
    CoachingRequest,
    Person,
    SiteTravel,
    WeeklyWindow,
)
from api.settings import Settings

COACHMATCH = Path(sys.executable).parent / "coachmatch"
PASSWORD = {a.role: a.password for a in ACCOUNTS}
EMAIL = {a.role: a.email for a in ACCOUNTS}


def sign_in(client: TestClient, role: str) -> dict[str, str]:
    response = client.post("/auth/login", json={"email": EMAIL[role], "password": PASSWORD[role]})
    assert response.status_code == 200, response.text
    assert response.json()["user"]["role"] == role
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_the_demo_is_loaded_once_with_its_whole_programme(
    engine: Engine, settings: Settings, db: Session
) -> None:
    first = load_demo(engine=engine, settings=settings, now=START)
    assert first.loaded
    c = first.counts
    assert (c.people, c.internal_coaches, c.external_coaches, c.requests, c.users) == (
        400,
        20,
        5,
        60,
        4,
    )
    before = row_counts(db)

    again = load_demo(engine=engine, settings=settings, now=START)
    assert not again.loaded and again.counts == c
    assert row_counts(db) == before

    fresh(db)
    coaches = db.exec(select(Coach)).all()
    internal = [k for k in coaches if k.person_id is not None]
    assert all(k.certified_until is not None for k in internal)
    assert {k.timezone for k in internal} == {"Europe/Paris", "America/Montreal"}
    assert sum(k.timezone == "America/Montreal" for k in internal) == 3
    external = [k for k in coaches if k.person_id is None]
    for k in external:
        assert k.vendor and k.rate_per_session_cents and k.currency == "EUR"
        assert k.referenced_from and k.referenced_until and k.referenced_from < k.referenced_until
    windows = db.exec(select(WeeklyWindow)).all()
    assert {w.coach_id for w in windows} == {k.id for k in coaches}  # everyone publishes
    assert {w.timezone for w in windows} == {"Europe/Paris", "America/Montreal"}
    assert db.exec(select(AvailabilityException)).all(), "no coach on leave"
    # in id order: without ORDER BY, PostgreSQL returns rows in the order its pages hold them
    requests = db.exec(select(CoachingRequest).order_by(col(CoachingRequest.id))).all()
    assert all(r.description and r.objectives for r in requests)
    assert Counter(r.status.value for r in requests) == {"open": 60}
    # The same story as `coachmatch demo --match-only`: same coachees, same sponsors.
    ext = dict(db.exec(select(Person.id, Person.external_id)).all())
    doc = matcher_document(start=demo_start(START))
    assert [(ext[r.coachee_id], ext.get(r.sponsor_id)) for r in requests] == [
        (r["coachee"], r["sponsor"]) for r in doc["requests"]
    ]
    # HR's travel table: the document's minutes between the French sites, by their names.
    travel = {frozenset((t.site_a, t.site_b)): t.minutes for t in db.exec(select(SiteTravel))}
    assert travel == {
        frozenset((SITE_NAMES[t["from"]], SITE_NAMES[t["to"]])): t["minutes"]
        for t in doc["travel_minutes"]
    }
    assert travel[frozenset(("Paris", "Lyon"))] == 120


def test_the_demo_content_is_deterministic() -> None:
    start = demo_start(START)
    assert start.weekday() == 0 and start > START.date()
    a, b = build(start=start), build(start=start)
    assert a == b
    text = a.org_csv.decode()
    assert "America/Montreal" in text and "Montréal" in text
    assert all(a.email in text for a in ACCOUNTS if a.role != "hr")


def test_demo_sign_ins_work_and_hr_never_sees_a_brief(
    engine: Engine, settings: Settings, client: TestClient, db: Session
) -> None:
    load_demo(engine=engine, settings=settings, now=START)
    hr, coach, coachee, sponsor = (sign_in(client, role) for role in EMAIL)

    hr_list = client.get("/requests", headers=hr, params={"limit": 500})
    assert hr_list.status_code == 200 and hr_list.json()["total"] == 60
    briefs = [r.description for r in fresh(db).exec(select(CoachingRequest)).all()]
    assert all(b and b not in hr_list.text for b in briefs)
    for item in hr_list.json()["items"]:
        assert "description" not in item and "objectives" not in item
    one = client.get(f"/requests/{hr_list.json()['items'][0]['id']}", headers=hr)
    assert one.status_code == 200 and "description" not in one.json()

    mine = client.get("/me/requests", headers=coachee).json()
    assert mine["total"] >= 1
    assert all(item["description"] for item in mine["items"])
    assert client.get("/me/requests", headers=sponsor).json()["total"] >= 1
    availability = client.get("/me/availability", headers=coach)
    assert availability.status_code == 200 and availability.json()["weekly"]
    assert client.get("/me", headers=coach).json()["role"] == "coach"


def test_other_data_is_refused_and_reset_starts_over(
    engine: Engine, settings: Settings, client: TestClient, hr: dict[str, str], db: Session
) -> None:
    # A database with someone else's data: the demo does not mix into it.
    before = row_counts(db)
    with pytest.raises(Conflict, match="--reset"):
        load_demo(engine=engine, settings=settings, now=START)
    assert row_counts(db) == before
    fresh(db)  # end the snapshot: a reset drops the tables

    loaded = load_demo(engine=engine, settings=settings, now=START, reset=True)
    assert loaded.loaded and loaded.counts.users == 4
    # The earlier HR account is gone with the rest of the old data.
    response = client.post(
        "/auth/login", json={"email": "hr@example.org", "password": "correct horse battery staple"}
    )
    assert response.status_code == 401
    sign_in(client, "hr")


def test_a_load_cut_short_leaves_the_database_empty_and_can_be_run_again(
    engine: Engine, settings: Settings, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load is interrupted after the org chart, the coaches and some requests were
    written (as by Ctrl-C or a lost connection): nothing of it stays, and the next run
    loads the whole programme."""
    from api.demo import load

    empty = row_counts(db)
    fresh(db)
    create_request = load.create_request
    made = 0

    def interrupted(**kwargs: object) -> object:
        nonlocal made
        made += 1
        if made == 5:
            raise KeyboardInterrupt
        return create_request(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(load, "create_request", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_demo(engine=engine, settings=settings, now=START, requests=10)
    assert made == 5
    assert row_counts(db) == empty
    fresh(db)
    monkeypatch.setattr(load, "create_request", create_request)
    loaded = load_demo(engine=engine, settings=settings, now=START, requests=10)
    assert loaded.loaded and loaded.counts.requests == 10 and loaded.counts.users == 4


def test_the_demo_command_prints_the_url_and_sign_ins(database_url: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "COACHMATCH_DATABASE_URL": database_url,
        "COACHMATCH_BASE_URL": "http://127.0.0.1:8123",
        "COACHMATCH_ARGON2_TIME_COST": "1",
        "COACHMATCH_ARGON2_MEMORY_COST_KIB": "8",
        "COACHMATCH_ARGON2_PARALLELISM": "1",
    }

    def demo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(COACHMATCH), "demo"], capture_output=True, text=True, env=env, cwd=tmp_path
        )

    first = demo()
    assert first.returncode == 0, first.stderr
    assert "loaded the demo programme" in first.stdout
    assert "400 people, 20 internal and 5 external coaches, 60 requests" in first.stdout
    assert "http://127.0.0.1:8123" in first.stdout
    for account in ACCOUNTS:
        assert re.search(
            rf"{re.escape(account.email)} +password: {account.password}\n", first.stdout
        )
    second = demo()
    assert second.returncode == 0, second.stderr
    assert "already in" in second.stdout
