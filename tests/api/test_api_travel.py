"""Travel between sites over HTTP (issue 9 item 10): HR's table of one-way minutes, the
default from the sites' cities where HR set none, and rounds charging an on-site
session's coach the round trip."""

from __future__ import annotations

import math
from typing import Any

import pytest
from api_support import add_coach, add_person, add_request, add_user, login, row_counts
from fastapi.testclient import TestClient
from rounds_support import fast, post_round, weekdays
from sqlmodel import Session

from api.models import Coach, CoachingRequest, Site
from api.models.enums import Role
from api.settings import Settings
from api.travel.default import city_of, default_minutes, distance_km, place_of


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def _programme(db: Session, settings: Settings, client: TestClient) -> dict[str, Any]:
    """Karl, an internal coach at Paris who serves Lyon on site and declares 10 hours a
    month; Paul at Lyon asks for four one-hour sessions on site."""
    ceo = add_person(db, "E0", site="Paris", unit="DG")
    sales = add_person(db, "E1", manager=ceo, site="Paris", unit="Sales")
    it = add_person(db, "E2", manager=ceo, site="Paris", unit="IT")
    paul = add_person(db, "E3", manager=sales, site="Lyon", unit="Sales")
    add_person(db, "E4", manager=sales, site="Siège", unit="Sales")  # a city nobody knows
    karl_person = add_person(db, "E5", manager=it, site="Paris", unit="IT")
    karl = add_coach(
        db, person=karl_person, modalities=["onsite"], sites=["Lyon"], hours_per_month=10
    )
    weekdays(db, karl)
    request = add_request(db, paul, sponsor=sales, modality="onsite", sessions=4)
    hr = add_user(db, settings, Role.hr, email="hr@example.org")
    coach = add_user(db, settings, Role.coach, email="karl@example.org", coach=karl)
    return {
        "hr": login(client, hr.email),
        "coach": login(client, coach.email),
        "request": request.id,
        "karl": karl.id,
    }


def _pair(table: dict[str, Any], a: str, b: str) -> dict[str, Any]:
    return next(p for p in table["pairs"] if {p["a"], p["b"]} == {a, b})


def _round(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    view = post_round(client, headers, commit=False, horizon_weeks=4)
    assert view["status"] == "done", view
    return view


def test_every_pair_with_its_default_and_hrs_values(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _programme(db, settings, client)
    table = client.get("/travel", headers=w["hr"])
    assert table.status_code == 200, table.text
    body = table.json()
    assert [s["name"] for s in body["sites"]] == ["Lyon", "Paris", "Siège"]
    assert {s["name"]: s["located_by"] for s in body["sites"]} == {
        "Lyon": "city",
        "Paris": "city",
        "Siège": None,
    }
    assert len(body["pairs"]) == 3  # every unordered pair once
    paris_lyon = _pair(body, "Paris", "Lyon")
    expected = default_minutes(place_of("Paris"), place_of("Lyon"))
    assert expected is not None and 240 <= expected <= 360  # ~390 km by road
    assert paris_lyon == {
        "a": "Lyon",
        "b": "Paris",
        "minutes": expected,
        "source": "default",
        "default_minutes": expected,
        "distance_km": pytest.approx(391, abs=2),
        "updated_at": None,
    }
    unknown = _pair(body, "Paris", "Siège")
    assert unknown["source"] == "unknown" and unknown["minutes"] is None

    # Either order names the same pair; HR's value wins over the default.
    put = client.put("/travel/Paris/Lyon", json={"minutes": 150}, headers=w["hr"])
    assert put.status_code == 200, put.text
    assert put.json()["minutes"] == 150 and put.json()["source"] == "set"
    assert put.json()["default_minutes"] == expected
    again = _pair(client.get("/travel", headers=w["hr"]).json(), "Lyon", "Paris")
    assert again["minutes"] == 150 and again["updated_at"] is not None
    client.put("/travel/Lyon/Paris", json={"minutes": 140}, headers=w["hr"])
    assert _pair(client.get("/travel", headers=w["hr"]).json(), "Lyon", "Paris")["minutes"] == 140

    # HR's coordinates place an unknown site; a set value can also be 0 (next door).
    site = client.put(
        "/sites/Siège",
        json={"address": "1 place Carpeaux, Puteaux", "latitude": 48.89, "longitude": 2.24},
        headers=w["hr"],
    )
    assert site.status_code == 200, site.text
    placed = _pair(client.get("/travel", headers=w["hr"]).json(), "Paris", "Siège")
    assert placed["source"] == "default" and placed["minutes"] == 30  # same city: 8 km
    assert (
        client.put("/travel/Siège/Paris", json={"minutes": 0}, headers=w["hr"]).json()["minutes"]
        == 0
    )

    # DELETE goes back to the default.
    reset = client.delete("/travel/Lyon/Paris", headers=w["hr"])
    assert reset.status_code == 200, reset.text
    assert reset.json()["source"] == "default" and reset.json()["minutes"] == expected
    assert client.delete("/travel/Lyon/Paris", headers=w["hr"]).status_code == 200

    # Each change is an audit entry, like HR's other changes (no value in it).
    audit = client.get("/audit", params={"target": "site_travel"}, headers=w["hr"]).json()
    actions = sorted(i["action"] for i in audit["items"])
    assert actions == ["delete", "insert", "insert", "update"]
    assert all(i["via"].startswith(("PUT /travel", "DELETE /travel")) for i in audit["items"])


def test_only_hr_reads_or_edits_the_table(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _programme(db, settings, client)
    assert client.get("/travel", headers=w["coach"]).status_code == 403
    refused = client.put("/travel/Paris/Lyon", json={"minutes": 60}, headers=w["coach"])
    assert refused.status_code == 403
    assert client.delete("/travel/Paris/Lyon", headers=w["coach"]).status_code == 403
    assert client.get("/travel").status_code == 401


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        ("/travel/Paris/Lyon", {"minutes": -1}, 422, "minutes"),
        ("/travel/Paris/Lyon", {"minutes": 1441}, 422, "minutes"),
        ("/travel/Paris/Lyon", {"minutes": 90.5}, 422, "minutes"),
        ("/travel/Paris/Lyon", {"minutes": "soon"}, 422, "minutes"),
        ("/travel/Paris/Lyon", {}, 422, "minutes"),
        ("/travel/Paris/Lyon", {"minutes": 60, "km": 400}, 422, "km"),
        ("/travel/Paris/Paris", {"minutes": 60}, 422, "b"),
        ("/travel/Atlantis/Lyon", {"minutes": 60}, 404, "a"),
        ("/travel/Paris/Atlantis", {"minutes": 60}, 404, "b"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    client: TestClient,
    db: Session,
    settings: Settings,
    path: str,
    body: dict[str, Any],
    status: int,
    field: str,
) -> None:
    w = _programme(db, settings, client)
    before = row_counts(db)
    response = client.put(path, json=body, headers=w["hr"])
    assert response.status_code == status, response.text
    assert response.json()["field"] == field
    assert row_counts(db) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"address": "x", "latitude": 91, "longitude": 2}, "latitude"),
        ({"address": "x", "latitude": 48, "longitude": -181}, "longitude"),
        ({"address": "x", "latitude": 48}, "longitude"),
        ({"address": "x", "longitude": 2}, "longitude"),
    ],
)
def test_a_sites_coordinates_are_checked(
    client: TestClient, db: Session, settings: Settings, body: dict[str, Any], field: str
) -> None:
    w = _programme(db, settings, client)
    response = client.put("/sites/Lyon", json=body, headers=w["hr"])
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert db.get(Site, 1) is None


def test_a_rounds_coach_pays_the_round_trip_hr_sets_or_the_default(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """Karl's 10 hours a month give him ~9 h in the round's four weeks; Paul's four
    sessions take 4 h, plus twice the one-way travel each."""
    w = _programme(db, settings, client)
    by_default = _round(client, w["hr"])
    # Paris-Lyon by default (~5 h each way): 4 x (1 h + ~10 h) is more than Karl has.
    assert by_default["matched_count"] == 0
    (unmatched,) = by_default["unmatched"]
    assert {r["code"] for r in unmatched["reasons"]} == {"capacity"}

    # Half an hour each way (HR's value): 4 x (1 h + 1 h) = 8 h, within his hours.
    client.put("/travel/Lyon/Paris", json={"minutes": 30}, headers=w["hr"])
    near = _round(client, w["hr"])
    (match,) = near["matches"]
    assert match["request_id"] == w["request"] and match["coach_id"] == w["karl"]
    assert match["hours"] == 8.0
    assert match["breakdown"]["travel"] == -5  # 5 points per hour of travel per session

    # An hour each way: 4 x 3 h = 12 h, too many again.
    client.put("/travel/Lyon/Paris", json={"minutes": 60}, headers=w["hr"])
    assert _round(client, w["hr"])["matched_count"] == 0

    # Back to the default: the same as before HR set anything.
    client.delete("/travel/Lyon/Paris", headers=w["hr"])
    again = _round(client, w["hr"])
    assert again["matched_count"] == 0 and again["unmatched"] == by_default["unmatched"]


def test_a_preview_is_not_committed_once_a_travel_time_changed(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _programme(db, settings, client)
    client.put("/travel/Lyon/Paris", json={"minutes": 30}, headers=w["hr"])
    preview = _round(client, w["hr"])
    client.put("/travel/Lyon/Paris", json={"minutes": 45}, headers=w["hr"])
    refused = client.post(f"/rounds/{preview['id']}/commit", headers=w["hr"])
    assert refused.status_code == 409, refused.text
    assert refused.json()["changed"] == ["travel"]


def test_a_remote_request_is_charged_no_travel(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _programme(db, settings, client)
    coach = db.get_one(Coach, w["karl"])
    coach.modalities = ["remote", "onsite"]
    request = db.get_one(CoachingRequest, w["request"])
    request.modality = "any"  # held remotely when the coach can
    db.add_all([coach, request])
    db.commit()
    (match,) = _round(client, w["hr"])["matches"]
    assert match["hours"] == 4.0 and "travel" not in match["breakdown"]


def test_a_sites_city_comes_from_its_name_or_its_address() -> None:
    assert city_of("Lyon") == city_of("LYON") == city_of("Lyon Part-Dieu") == "lyon"
    assert city_of("Saint-Étienne") == "saint etienne"
    assert city_of("Brussels office") == "bruxelles"
    assert city_of("Siège", "1 place Carpeaux, 92800 PUTEAUX") == "la defense"
    assert city_of("HQ", "12 rue Garibaldi, 69003 Lyon CEDEX 03") == "lyon"
    assert city_of("Porte de Lyon", "3 rue Nationale, 59000 Lille") == "lille"  # leading words
    assert city_of("Siège") is None and city_of("Siège", "Zone industrielle") is None


def test_the_default_grows_with_distance_and_stops_at_a_day() -> None:
    paris, lyon, lille = place_of("Paris"), place_of("Lyon"), place_of("Lille")
    assert paris is not None and lyon is not None and lille is not None
    km = distance_km(paris, lyon)
    assert 390 < km < 393
    assert default_minutes(paris, lyon) == 305 == 5 * math.ceil((20 + km * 1.2 / 100 * 60) / 5)
    assert default_minutes(paris, lille) == 170  # 204 km
    assert default_minutes(paris, place_of("Paris Bercy")) == 30  # the same city
    assert default_minutes(paris, place_of("x", latitude=48.90, longitude=2.30)) == 30  # 6 km
    assert default_minutes(paris, place_of("Montréal")) == 24 * 60
    assert default_minutes(paris, place_of("Siège")) is None
