"""The coach's professional record (issue 11 item 4): certifications, supervision with
its short alert, and an external coach's referencing workflow, which rounds follow."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from api_support import START, fresh, row_counts
from fastapi.testclient import TestClient
from rounds_support import build_programme, fast, post_round
from sqlmodel import Session

from api.jobs.chores import lapses
from api.models import Coach, CoachRecord
from api.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


@pytest.fixture
def w(client: TestClient, db: Session, settings: Settings) -> dict[str, Any]:
    return build_programme(db, settings, client)


def test_certifications_set_when_an_internal_coach_lapses(
    client: TestClient, db: Session, w: dict[str, Any]
) -> None:
    karl = w["karl"].id
    path = f"/coaches/{karl}/certifications"
    body = {"body": "ICF", "level": "PCC", "obtained": "2024-01-10", "valid_until": "2027-01-09"}
    for bad, field in (
        ({**body, "valid_until": "2023-01-01"}, "valid_until"),
        ({**body, "obtained": "yesterday"}, "obtained"),
        ({k: v for k, v in body.items() if k != "level"}, "level"),
        ({**body, "body": ""}, "body"),
    ):
        refused = client.post(path, json=bad, headers=w["hr"])
        assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
    assert client.post(path, json=body, headers=w["karl_h"]).status_code == 403
    made = client.post(path, json=body, headers=w["hr"])
    assert made.status_code == 201, made.text
    assert made.json()["certified_until"] == "2027-01-09" and not made.json()["lapsed"]
    later = client.post(
        path, json={**body, "level": "MCC", "valid_until": "2028-06-30"}, headers=w["hr"]
    )
    assert later.json()["valid_until"] == "2028-06-30"
    first = later.json()["certifications"][0]["id"]
    assert client.delete(f"{path}/{first}", headers=w["hr"]).status_code == 204
    mine = client.get("/me/coach/record", headers=w["karl_h"]).json()
    assert [c["level"] for c in mine["certifications"]] == ["MCC"]
    assert client.get(f"/coaches/{w['xavier'].id}/record", headers=w["karl_h"]).status_code == 403


def test_supervision_hours_and_the_short_alert(
    client: TestClient, db: Session, w: dict[str, Any]
) -> None:
    record = client.get(f"/coaches/{w['karl'].id}/record", headers=w["hr"]).json()
    supervision = record["supervision"]
    # 2 March: 61 days of the year gone, 10 h a year expected pro rata
    assert supervision == {
        "year": 2026,
        "hours": 0.0,
        "minimum": 10.0,
        "expected_by_now": 1.7,
        "short": True,
    }
    for bad, field in (
        ({"day": "2026-03-03", "hours": 1}, "day"),  # tomorrow
        ({"day": "2026-02-01", "hours": 0}, "hours"),
        ({"day": "2026-02-01", "hours": 101}, "hours"),
        ({"day": "2026-02-01"}, "hours"),
    ):
        before = row_counts(db)
        refused = client.post("/me/coach/supervision", json=bad, headers=w["karl_h"])
        assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
        assert row_counts(db) == before
    last_year = {"day": "2025-12-15", "hours": 5}
    logged = client.post("/me/coach/supervision", json=last_year, headers=w["karl_h"]).json()
    assert logged["supervision"]["hours"] == 0.0 and logged["supervision"]["short"]
    body = {"day": "2026-02-10", "hours": 1.5}
    logged = client.post("/me/coach/supervision", json=body, headers=w["karl_h"]).json()
    assert logged["supervision"]["short"] is True  # 1.5 h of 1.7
    body = {"day": "2026-03-01", "hours": 0.5}
    logged = client.post("/me/coach/supervision", json=body, headers=w["karl_h"]).json()
    assert logged["supervision"] == {**supervision, "hours": 2.0, "short": False}
    assert client.post("/me/coach/supervision", json=body, headers=w["hr"]).status_code == 403


def _offered(client: TestClient, w: dict[str, Any]) -> set[int]:
    """Every coach a round proposes to Paul or Olga (chosen or alternative)."""
    view = post_round(client, w["hr"], commit=False, proposals=3)
    return {
        coach
        for m in view["matches"]
        for coach in (m["coach_id"], *(a["coach_id"] for a in m["alternatives"]))
    }


def test_the_referencing_workflow_and_the_rounds_follow_it(
    client: TestClient, db: Session, settings: Settings, w: dict[str, Any]
) -> None:
    xavier = w["xavier"].id
    path = f"/coaches/{xavier}/referencing"

    def move(body: dict[str, Any]) -> Any:
        return client.post(path, json=body, headers=w["hr"])

    assert w["xavier"].id in _offered(client, w)  # no record yet: referenced by its dates
    assert move({"action": "propose"}).json()["referencing_state"] == "proposed"
    assert xavier not in _offered(client, w)
    early = move({"action": "reference", "until": "2027-01-01"})
    assert early.status_code == 409 and early.json()["field"] == "action"
    assert "proposed" in early.json()["detail"]
    assert move({"action": "review"}).json()["referencing_state"] == "under_review"
    assert xavier not in _offered(client, w)
    for bad, field in (
        ({"action": "reference"}, "until"),
        ({"action": "reference", "until": "2026-01-01"}, "until"),
        ({"action": "approve"}, "action"),
    ):
        refused = move(bad)
        assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
    referenced = move({"action": "reference", "until": "2026-04-30"}).json()
    assert (referenced["referencing_state"], referenced["referenced_until"]) == (
        "referenced",
        "2026-04-30",
    )
    assert xavier in _offered(client, w)
    assert move({"action": "lapse"}).json()["referencing_state"] == "lapsed"
    assert xavier not in _offered(client, w)
    assert move({"action": "lapse"}).status_code == 409
    internal = client.post(
        f"/coaches/{w['karl'].id}/referencing", json={"action": "propose"}, headers=w["hr"]
    )
    assert internal.status_code == 409 and internal.json()["field"] == "coach_id"
    # renewed, then the date passes: the daily chore lapses it, and rounds leave it out
    move({"action": "review"})
    move({"action": "reference", "until": "2026-03-10"})
    assert xavier in _offered(client, w)
    lapses(session=fresh(db), settings=settings, now=START + timedelta(days=8))
    record = fresh(db).get_one(CoachRecord, xavier)
    assert record.referencing_state == "referenced"
    lapses(session=fresh(db), settings=settings, now=START + timedelta(days=9))
    assert fresh(db).get_one(CoachRecord, xavier).referencing_state == "lapsed"
    assert fresh(db).get_one(Coach, xavier).referenced_until is not None
