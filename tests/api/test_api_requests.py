"""Coaching requests: submission, edits, cancellation, and confidentiality of the brief."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from api_support import (
    START,
    add_coach,
    add_engagement,
    add_person,
    add_session,
    add_user,
    fresh,
    login,
    row_counts,
)
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import CoachingRequest, OutboxMessage
from api.models.enums import Role
from api.settings import Settings

SENTINEL = "SENTINEL-7f3a confidential burnout story"


@pytest.fixture
def org(db: Session) -> dict:
    boss = add_person(db, "B1")
    return {
        "boss": boss,
        "coachee": add_person(db, "P1", manager=boss),
        "other": add_person(db, "P2", manager=boss),
        "coach_person": add_person(db, "K1"),
    }


def _body(org: dict, **extra: object) -> dict:
    return {
        "coachee_id": org["coachee"].id,
        "sponsor_id": org["boss"].id,
        "coaching_type": "coaching",
        "themes": ["leadership", "Leadership ", "leadership"],
        "language": "fr",
        "modality": "remote",
        "sessions": 6,
        "session_minutes": 90,
        "cadence_days": 14,
        "priority": 4,
        **extra,
    }


def test_hr_submits_and_lists(client: TestClient, hr: dict, org: dict) -> None:
    response = client.post("/requests", headers=hr, json=_body(org))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "open" and created["submitted_at"] == "2026-03-02T08:00:00Z"
    assert created["themes"] == ["leadership", "Leadership"]
    listed = client.get("/requests", headers=hr, params={"status": "open"}).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == created["id"]
    assert client.get("/requests", headers=hr, params={"status": "matched"}).json()["total"] == 0
    patched = client.patch(f"/requests/{created['id']}", headers=hr, json={"sessions": 8})
    assert patched.json()["sessions"] == 8 and patched.json()["language"] == "fr"


def test_description_limit_names_the_field(
    client: TestClient, hr: dict, org: dict, db: Session
) -> None:
    before = row_counts(db)
    response = client.post("/requests", headers=hr, json=_body(org, description="é" * 1001))
    assert response.status_code == 422
    assert response.json()["field"] == "description"
    assert response.json()["detail"] == ("description: is 1001 characters long; the limit is 1000")
    assert row_counts(db) == before
    exactly = client.post("/requests", headers=hr, json=_body(org, description="é" * 1000))
    assert exactly.status_code == 201


def test_cancel_and_state_conflicts(client: TestClient, hr: dict, org: dict) -> None:
    request_id = client.post("/requests", headers=hr, json=_body(org)).json()["id"]
    response = client.post(f"/requests/{request_id}/cancel", headers=hr)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = client.post(f"/requests/{request_id}/cancel", headers=hr)
    assert again.status_code == 409
    assert (
        again.json()["detail"] == "the request is cancelled; this needs it to be open or proposed"
    )
    edit = client.patch(f"/requests/{request_id}", headers=hr, json={"priority": 1})
    assert edit.status_code == 409


def test_inactive_people_cannot_be_coachees(
    client: TestClient, hr: dict, org: dict, db: Session
) -> None:
    org["other"].active = False
    db.add(org["other"])
    db.commit()
    response = client.post("/requests", headers=hr, json=_body(org, coachee_id=org["other"].id))
    assert response.status_code == 422 and response.json()["field"] == "coachee_id"


def test_description_never_reaches_hr_views_feeds_mail_or_logs(
    client: TestClient,
    hr: dict,
    org: dict,
    db: Session,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    created = client.post(
        "/requests", headers=hr, json=_body(org, description=SENTINEL, objectives=SENTINEL)
    )
    assert created.status_code == 201
    request_id = created.json()["id"]
    stored = fresh(db).get(CoachingRequest, request_id)
    assert stored.description == SENTINEL  # kept for the people it concerns
    coach = add_coach(db, person=org["coach_person"])
    engagement = add_engagement(db, stored, coach)
    add_session(db, engagement, number=1, start=START + timedelta(days=3))
    people = {
        "coachee": add_user(db, settings, Role.coachee, person=org["coachee"]),
        "sponsor": add_user(db, settings, Role.sponsor, person=org["boss"]),
        "coach": add_user(db, settings, Role.coach, coach=coach),
    }
    outsider = add_user(db, settings, Role.coachee, person=org["other"])

    # Every HR read of requests, engagements and sessions, and the HR write responses.
    hr_texts = [
        created.text,
        client.get("/requests", headers=hr).text,
        client.get(f"/requests/{request_id}", headers=hr).text,
        client.patch(f"/requests/{request_id}", headers=hr, json={"priority": 2}).text,
        client.get("/engagements", headers=hr).text,
        client.get(f"/engagements/{engagement.id}", headers=hr).text,
        client.get("/sessions", headers=hr).text,
        client.get("/outbox", headers=hr).text,
    ]
    for text in hr_texts:
        assert SENTINEL not in text
    assert "description" not in client.get(f"/requests/{request_id}", headers=hr).json()

    # The coachee and the coach read it; the sponsor reads the request without it;
    # someone else does not see the request at all.
    for role, user in people.items():
        headers = login(client, user.email)
        mine = client.get(f"/me/requests/{request_id}", headers=headers)
        assert mine.status_code == 200, role
        assert mine.json()["party"] == role
        if role == "sponsor":
            assert SENTINEL not in mine.text and "description" not in mine.json()
            assert SENTINEL not in client.get("/me/requests", headers=headers).text
        else:
            assert mine.json()["description"] == SENTINEL
        feed_url = client.post("/me/feed", headers=headers).json()["url"]
        feed = client.get(feed_url.removeprefix("http://testserver"))
        assert feed.status_code == 200 and SENTINEL not in feed.text
    other = login(client, outsider.email)
    assert client.get(f"/me/requests/{request_id}", headers=other).status_code == 404
    assert SENTINEL not in client.get("/me/requests", headers=other).text

    # Invitations and any other mail, and every log record.
    client.post(
        "/users/invitations",
        headers=hr,
        json={"role": "sponsor", "person_id": org["other"].id},
    )
    for message in fresh(db).exec(select(OutboxMessage)):
        assert SENTINEL.encode() not in message.raw_mime
    assert all(SENTINEL not in r.getMessage() for r in caplog.records)
    assert caplog.records  # the logs were captured at all


def test_hr_schema_has_no_confidential_field(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert "description" not in schemas["RequestHRView"]["properties"]
    assert "objectives" not in schemas["RequestHRView"]["properties"]
    assert "description" in schemas["RequestPrivateView"]["properties"]


def test_coachee_submits_own_request_and_edits_the_brief(
    client: TestClient, org: dict, db: Session, settings: Settings
) -> None:
    coachee = login(client, add_user(db, settings, Role.coachee, person=org["coachee"]).email)
    sponsor = login(client, add_user(db, settings, Role.sponsor, person=org["boss"]).email)
    response = client.post(
        "/me/requests",
        headers=coachee,
        json={
            "coaching_type": "coaching",
            "language": "en",
            "sponsor_id": org["boss"].id,
            "description": "first draft",
        },
    )
    assert response.status_code == 201
    request_id = response.json()["id"]
    assert response.json()["coachee_id"] == org["coachee"].id
    edited = client.patch(
        f"/me/requests/{request_id}", headers=coachee, json={"objectives": "lead the team"}
    )
    assert edited.json()["objectives"] == "lead the team"
    assert edited.json()["description"] == "first draft"
    # The sponsor follows the request but neither reads nor edits the coachee's brief.
    refused = client.patch(
        f"/me/requests/{request_id}", headers=sponsor, json={"objectives": "sponsor's words"}
    )
    assert refused.status_code == 403 and refused.json()["field"] == "description"
    listed = client.get("/me/requests", headers=sponsor).json()
    assert listed["total"] == 1 and listed["items"][0]["party"] == "sponsor"
    assert "description" not in listed["items"][0] and "objectives" not in listed["items"][0]
    assert fresh(db).get(CoachingRequest, request_id).objectives == "lead the team"
    cancelled = client.post(f"/me/requests/{request_id}/cancel", headers=coachee)
    assert cancelled.json()["status"] == "cancelled"
