"""HR manages coaches and neutrality inputs; a coach manages their own availability."""

from __future__ import annotations

from api_support import ICS, add_coach, add_person, add_user, build_world, login
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models.enums import Role
from api.settings import Settings


def test_coach_crud(client: TestClient, hr: dict, db: Session) -> None:
    person = add_person(db, "K1", name="Karl Coach")
    internal = client.post(
        "/coaches",
        headers=hr,
        json={
            "kind": "internal",
            "person_id": person.id,
            "certified_until": "2027-06-30",
            "languages": ["fr", "en", "fr"],
            "modalities": ["onsite"],
            "sites": ["Lyon"],
            "max_coachees": 2,
            "time_share": 0.1,
            "timezone": "Europe/Paris",
        },
    )
    assert internal.status_code == 201, internal.text
    body = internal.json()
    assert body["name"] == "Karl Coach" and body["languages"] == ["fr", "en"]
    external = client.post(
        "/coaches",
        headers=hr,
        json={
            "kind": "external",
            "name": "Jane Doe",
            "email": "Jane@Vendor.example",
            "vendor": "Acme",
            "rate_per_session_cents": 25000,
            "currency": "eur",
            "referenced_from": "2026-01-01",
            "referenced_until": "2027-12-31",
            "languages": ["en"],
            "modalities": ["remote"],
        },
    ).json()
    assert external["email"] == "jane@vendor.example" and external["currency"] == "EUR"
    listed = client.get("/coaches", headers=hr, params={"kind": "external"}).json()
    assert [c["id"] for c in listed["items"]] == [external["id"]]
    patched = client.patch(
        f"/coaches/{external['id']}", headers=hr, json={"referenced_until": "2028-01-01"}
    )
    assert patched.json()["referenced_until"] == "2028-01-01"
    early = client.patch(
        f"/coaches/{external['id']}", headers=hr, json={"referenced_until": "2025-01-01"}
    )
    assert early.status_code == 422 and early.json()["field"] == "referenced_until"
    assert client.delete(f"/coaches/{external['id']}", headers=hr).status_code == 204
    assert client.get(f"/coaches/{external['id']}", headers=hr).status_code == 404


def test_conflicts_and_adjustments(client: TestClient, hr: dict, db: Session) -> None:
    coach = add_coach(db)
    person = add_person(db, "P1")
    conflict = client.post(
        "/conflicts",
        headers=hr,
        json={"coach_id": coach.id, "person_id": person.id, "reason": "former colleague"},
    )
    assert conflict.status_code == 201
    listed = client.get("/conflicts", headers=hr, params={"coach_id": coach.id}).json()
    assert listed["total"] == 1
    request = client.post(
        "/requests",
        headers=hr,
        json={"coachee_id": person.id, "coaching_type": "coaching", "language": "en"},
    ).json()
    bonus = client.post(
        "/pair-adjustments",
        headers=hr,
        json={"coach_id": coach.id, "request_id": request["id"], "kind": "bonus", "weight": 10},
    )
    assert bonus.status_code == 201 and bonus.json()["weight"] == 10
    assert client.delete(f"/conflicts/{conflict.json()['id']}", headers=hr).status_code == 204
    assert client.get("/conflicts", headers=hr).json()["total"] == 0


def test_availability_of_a_coach(client: TestClient, db: Session, settings: Settings) -> None:
    w = build_world(db, settings, client)
    coach = w["headers"]["coach"]
    weekly = client.post(
        "/me/availability/weekly",
        headers=coach,
        json={
            "weekday": 1,
            "start_time": "09:30",
            "end_time": "12:00",
            "timezone": "America/New_York",
        },
    )
    assert weekly.status_code == 201, weekly.text
    exception = client.post(
        "/me/availability/exceptions",
        headers=coach,
        json={
            "start_at": "2026-04-06T00:00:00+02:00",
            "end_at": "2026-04-11T00:00:00+02:00",
            "reason": "holiday",
        },
    )
    assert exception.json()["start_at"] == "2026-04-05T22:00:00Z"  # stored and shown in UTC
    upload = client.put(
        "/me/availability/ics",
        headers=coach,
        files={"file": ("busy.ics", ICS.encode(), "text/calendar")},
    )
    assert upload.status_code == 200, upload.text
    assert upload.json()["busy_intervals"] == 4  # one event + three weekly occurrences
    mine = client.get("/me/availability", headers=coach).json()
    assert {(x["weekday"], x["timezone"]) for x in mine["weekly"]} >= {(1, "America/New_York")}
    assert mine["busy"][0] == {"start_at": "2026-03-03T09:00:00Z", "end_at": "2026-03-03T11:00:00Z"}
    assert "holiday" in [x["reason"] for x in mine["exceptions"]]
    # HR sees it too, time away without its reason (the coach's own); the other coach's
    # availability is unchanged and separate.
    as_hr = client.get(f"/coaches/{w['coach']}/availability", headers=w["headers"]["hr"]).json()
    assert {x["reason"] for x in as_hr["exceptions"]} == {""}
    for x in mine["exceptions"]:
        x["reason"] = ""
    assert as_hr == mine
    other = client.get("/me/availability", headers=w["other_coach_headers"]).json()
    assert other["busy"] == [] and len(other["weekly"]) == 1
    # A new upload replaces the busy times.
    empty = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nEND:VCALENDAR\r\n"
    client.put("/me/availability/ics", headers=coach, files={"file": ("e.ics", empty.encode())})
    assert client.get("/me/availability", headers=coach).json()["busy"] == []
    assert client.delete("/me/availability/ics", headers=coach).status_code == 204
    assert client.get("/me/availability", headers=coach).json()["calendar"] is None


def test_coach_sees_own_engagements_and_sessions(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_world(db, settings, client)
    engagements = client.get("/me/engagements", headers=w["headers"]["coach"]).json()["items"]
    assert [e["id"] for e in engagements] == [w["engagement"]]
    assert "flag_reason" not in engagements[0]
    sessions = client.get("/me/sessions", headers=w["headers"]["coach"]).json()
    assert [s["id"] for s in sessions["items"]] == [w["session"]]
    coachee_sessions = client.get("/me/sessions", headers=w["headers"]["coachee"]).json()
    assert [s["id"] for s in coachee_sessions["items"]] == [w["session"]]
    sponsor = client.get("/me/engagements", headers=w["headers"]["sponsor"]).json()
    assert sponsor["total"] == 2
    assert {e["id"] for e in sponsor["items"]} == {w["engagement"], w["engagement2"]}
    first = client.get("/me/engagements", headers=w["headers"]["sponsor"], params={"limit": 1})
    second = client.get(
        "/me/engagements", headers=w["headers"]["sponsor"], params={"limit": 1, "offset": 1}
    )
    assert first.json()["total"] == second.json()["total"] == 2
    paged = first.json()["items"] + second.json()["items"]
    assert [e["id"] for e in paged] == sorted({w["engagement"], w["engagement2"]})
    flagged = client.get("/engagements", headers=w["headers"]["hr"], params={"status": "flagged"})
    assert [e["id"] for e in flagged.json()["items"]] == [w["engagement_flagged"]]
    cleared = client.post(
        f"/engagements/{w['engagement_flagged']}/clear-flag", headers=w["headers"]["hr"]
    )
    assert cleared.json()["state"] == "in_progress" and cleared.json()["flag_reason"] is None


def test_coach_account_links_to_its_coach(
    client: TestClient, db: Session, settings: Settings
) -> None:
    coach = add_coach(db, person=add_person(db, "K9", name="Kim"))
    headers = login(client, add_user(db, settings, Role.coach, coach=coach).email)
    record = client.get("/me/coach", headers=headers).json()
    assert record["id"] == coach.id and record["name"] == "Kim"
