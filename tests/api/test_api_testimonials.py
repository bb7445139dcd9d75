"""Testimonials (issue 12 item 3): quotable texts kept without their author, engagement,
coach or date; names, units, sites and dates taken out; reviewed by a coach (redact or
reject) among at least k at a time; shown to HR only in batches of at least k."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from api_support import (
    START,
    add_coach,
    add_engagement,
    add_person,
    add_request,
    add_user,
    fresh,
    login,
)
from fastapi.testclient import TestClient
from sqlalchemy import DateTime
from sqlmodel import Session, SQLModel, select

from api.clock import FixedClock
from api.models import AuditEntry, PendingEvaluation
from api.models import testimonials as stored
from api.models.enums import EngagementStatus, RequestStatus, Role
from api.settings import Settings

K = 4


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"report_k": K})


@pytest.fixture
def w(client: TestClient, db: Session, settings: Settings) -> dict[str, Any]:
    """Coach Karl Kovacs (internal) coached 2k people of Finance in Lyon; each engagement
    is completed; an account for each coachee, for Karl and another coach, HR, a sponsor."""
    boss = add_person(db, "B1", name="Beatrice Boss", unit="Finance", site="Lyon")
    karl_person = add_person(db, "K1", name="Karl Kovacs", unit="Coaching")
    karl = add_coach(db, person=karl_person)
    other = add_coach(db, person=add_person(db, "K2", name="Olivia Otter", unit="Coaching"))
    team = []
    for n in range(2 * K):
        person = add_person(
            db, f"T{n}", manager=boss, name=f"Zoe{n} Zimmer", unit="Finance", site="Lyon"
        )
        request = add_request(db, person, sponsor=boss, status=RequestStatus.closed)
        engagement = add_engagement(db, request, karl, status=EngagementStatus.completed)
        headers = login(client, add_user(db, settings, Role.coachee, person=person).email)
        team.append(
            {"headers": headers, "engagement": engagement.id, "name": person.name,
             "email": person.email}
        )  # fmt: skip
    running = add_engagement(db, add_request(db, person, status=RequestStatus.matched), karl)
    return {
        "team": team,
        "running": running.id,
        "hr": login(client, add_user(db, settings, Role.hr).email),
        "karl": login(client, add_user(db, settings, Role.coach, coach=karl).email),
        "olivia": login(client, add_user(db, settings, Role.coach, coach=other).email),
        "sponsor": login(client, add_user(db, settings, Role.sponsor, person=boss).email),
    }


def give(client: TestClient, member: dict[str, Any], text: str) -> Any:
    body = {"engagement_id": member["engagement"], "text": text, "quotable": True}
    return client.post("/me/testimonials", json=body, headers=member["headers"])


def queue(client: TestClient, headers: dict[str, str]) -> list[dict[str, str]]:
    response = client.get("/testimonials/review", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["k"] == K
    items: list[dict[str, str]] = response.json()["testimonials"]
    return items


def batches(client: TestClient, hr: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get("/testimonials", headers=hr)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["batches"]
    return found


def approve(client: TestClient, headers: dict[str, str], item: dict[str, str], **body: Any) -> Any:
    return client.post(f"/testimonials/{item['id']}/approve", json=body, headers=headers)


def test_hr_never_reads_fewer_than_k(client: TestClient, db: Session, w: dict[str, Any]) -> None:
    team = w["team"]
    for n in range(K - 1):
        assert give(client, team[n], f"Text number {n}: very useful.").status_code == 201
        # fewer than k pooled: the reviewers see nothing yet (no text to time)
        assert queue(client, w["karl"]) == [] and queue(client, w["olivia"]) == []
    assert give(client, team[K - 1], "Text number last: very useful.").status_code == 201
    items = queue(client, w["olivia"])
    assert len(items) == K
    assert [i["text"] for i in items] == sorted(i["text"] for i in items)  # content order
    for item in items[:-1]:
        assert approve(client, w["olivia"], item).status_code == 200
        assert batches(client, w["hr"]) == []  # fewer than k approved: nothing
    assert approve(client, w["karl"], items[-1]).status_code == 200
    (batch,) = batches(client, w["hr"])
    assert batch["batch"] == 1 and len(batch["testimonials"]) == K
    assert set(batch["testimonials"]) == {i["text"] for i in items}
    assert queue(client, w["karl"]) == []
    # the next texts wait for k again; a rejection keeps the batch below k
    for n in range(K, 2 * K):
        assert give(client, team[n], f"Another text {n}.").status_code == 201
    items = queue(client, w["karl"])
    assert len(items) == K
    rejected = client.post(f"/testimonials/{items[0]['id']}/reject", headers=w["karl"])
    assert rejected.status_code == 200, rejected.text
    for item in items[1:]:
        assert approve(client, w["karl"], item).status_code == 200
    assert len(batches(client, w["hr"])) == 1  # K-1 approved: the second batch waits
    counts = {
        stage: len(
            fresh(db)
            .exec(select(stored.Testimonial).where(stored.Testimonial.stage == stage))
            .all()
        )
        for stage in ("pooled", "review", "approved", "released")
    }
    assert counts == {"pooled": 0, "review": 0, "approved": K - 1, "released": K}


def test_the_reviewer_redacts_or_rejects(
    client: TestClient, db: Session, w: dict[str, Any]
) -> None:
    team = w["team"]
    texts = [
        "My manager Gaston made me cry; coaching helped.",
        "Rotten: my colleague Hubert from accounting is a liar.",
        *(f"Helpful sessions, number {n}." for n in range(K - 2)),
    ]
    for member, text in zip(team, texts, strict=False):
        assert give(client, member, text).status_code == 201
    items = {i["text"]: i for i in queue(client, w["karl"])}
    assert set(items) == set(texts)  # names outside the org chart: for the reviewer
    redacted = approve(
        client, w["karl"], items[texts[0]], text="My manager […] made me cry; coaching helped."
    )
    assert redacted.status_code == 200, redacted.text
    assert client.post(
        f"/testimonials/{items[texts[1]]['id']}/reject", headers=w["karl"]
    ).json() == {"decision": "rejected"}
    for text in texts[2:]:
        assert approve(client, w["karl"], items[text]).status_code == 200
    # a rejected text is gone; a redacted one replaces its original everywhere
    texts_kept = [t.text for t in fresh(db).exec(select(stored.Testimonial))]
    assert not any("Hubert" in t or "Gaston" in t for t in texts_kept)
    assert give(client, team[K], "Last one, fine.").status_code == 201
    assert batches(client, w["hr"]) == []  # k-1 approved, 1 pooled
    # a decided text cannot be decided again; an unknown one is a 404
    assert approve(client, w["karl"], items[texts[2]]).status_code == 404
    assert (
        client.post("/testimonials/" + "0" * 32 + "/reject", headers=w["karl"]).status_code == 404
    )
    for n in range(K + 1, 2 * K):
        assert give(client, team[n], f"More {n}.").status_code == 201
    for item in queue(client, w["karl"]):
        assert approve(client, w["karl"], item).status_code == 200
    first = batches(client, w["hr"])[0]["testimonials"]
    assert "My manager […] made me cry; coaching helped." in first
    assert not any(
        "Gaston" in t or "Hubert" in t for b in batches(client, w["hr"]) for t in b["testimonials"]
    )


def test_nothing_hr_or_a_reviewer_reads_names_the_author_coach_unit_or_date(
    client: TestClient, db: Session, w: dict[str, Any], clock: FixedClock
) -> None:
    team = w["team"]
    for n, member in enumerate(team[:K]):
        clock.set(START + timedelta(minutes=7 * n + 13, seconds=n))
        text = (
            f"I am {member['name']} from Finance in Lyon; Karl Kovacs helped me a lot "
            f"between 3 March 2025 and 2025-06-30 (number {n}); write to {member['email']}"
            " or to karl.kovacs+coach@mail.example.org."
        )
        assert give(client, member, text).status_code == 201
    seen = queue(client, w["karl"])
    for item in seen:
        assert approve(client, w["karl"], item).status_code == 200
    response = client.get("/testimonials", headers=w["hr"])
    body = response.json()
    assert set(body) == {"k", "batches"}
    assert all(set(b) == {"batch", "testimonials"} for b in body["batches"])
    shown = response.text + str(seen)
    words = ("Zoe", "Zimmer", "Karl", "Kovacs", "Finance", "Lyon", "March", "2025", "06-30")
    for word in (*words, "@", "example.org", "karl.kovacs"):
        assert word not in shown, word
    assert "helped me a lot" in response.text
    assert {i["id"] for i in seen}.isdisjoint(response.text.split('"'))  # no key either
    # in the database: no link, no time; the audit log has no entry of the texts
    table = SQLModel.metadata.tables["testimonial"]
    assert not table.foreign_keys
    assert not [c for c in table.columns if isinstance(c.type, DateTime)]
    audited = {e.target for e in fresh(db).exec(select(AuditEntry))}
    assert "testimonial" not in audited and "testimonial_given" not in audited
    given = {g.engagement_id for g in fresh(db).exec(select(stored.TestimonialGiven))}
    assert given == {m["engagement"] for m in team[:K]}


def test_a_quotable_testimonial_in_the_evaluation_is_pooled_apart(
    client: TestClient, db: Session, settings: Settings, w: dict[str, Any]
) -> None:
    from api.models import EvaluationInvitation

    member = w["team"][0]
    invitation = EvaluationInvitation(
        engagement_id=member["engagement"],
        person_id=_coachee_of(db, member["engagement"]),
        role="coachee",
        objectives=0,
        created_at=START,
        expires_at=START + timedelta(days=30),
    )
    db.add(invitation)
    db.commit()
    body = {
        "satisfaction": 5,
        "recommend": True,
        "testimonial": "QUOTE-ME kindly",
        "quotable": True,
    }
    answered = client.post(f"/me/evaluations/{invitation.id}", json=body, headers=member["headers"])
    assert answered.status_code == 201, answered.text
    (pooled,) = fresh(db).exec(select(stored.Testimonial)).all()
    assert pooled.text == "QUOTE-ME kindly" and pooled.stage == "pooled"
    (answer,) = fresh(db).exec(select(PendingEvaluation)).all()
    assert answer.testimonial is None and answer.quotable
    # the engagement gave its one: not again afterwards
    again = give(client, member, "Second text")
    assert again.status_code == 409 and again.json()["field"] == "engagement_id"
    assert client.get("/me/testimonials", headers=member["headers"]).json() == []
    second = w["team"][1]
    assert client.get("/me/testimonials", headers=second["headers"]).json() == [
        {"engagement_id": second["engagement"], "coach_name": "Karl Kovacs"}
    ]


def _coachee_of(db: Session, engagement_id: int) -> int:
    from api.models import CoachingRequest, Engagement

    engagement = fresh(db).get_one(Engagement, engagement_id)
    return fresh(db).get_one(CoachingRequest, engagement.request_id).coachee_id


def test_refusals(client: TestClient, db: Session, w: dict[str, Any]) -> None:
    member = w["team"][0]
    for text in ("", "   ", "x" * 1001):
        response = give(client, member, text)
        assert response.status_code == 422 and response.json()["field"] == "text", text
    body = {"engagement_id": member["engagement"], "text": "ok", "quotable": False}
    refused = client.post("/me/testimonials", json=body, headers=member["headers"])
    assert refused.status_code == 422 and refused.json()["field"] == "quotable"
    # someone else's engagement, or one still running: not found
    assert give(client, w["team"][1] | {"engagement": member["engagement"]}, "x").status_code == 404
    assert give(client, member | {"engagement": w["running"]}, "x").status_code == 404
    assert fresh(db).exec(select(stored.Testimonial)).all() == []
    assert give(client, member, "Fine.").status_code == 201
    # roles: only a coachee gives, only a coach reviews, only HR reads batches
    for role in ("hr", "karl", "sponsor"):
        assert give(client, member | {"headers": w[role]}, "x").status_code == 403, role
    for role in ("hr", "sponsor"):
        assert client.get("/testimonials/review", headers=w[role]).status_code == 403, role
        path = "/testimonials/" + "a" * 32
        assert client.post(path + "/approve", json={}, headers=w[role]).status_code == 403
        assert client.post(path + "/reject", headers=w[role]).status_code == 403
    assert client.get("/testimonials/review", headers=member["headers"]).status_code == 403
    for role in ("karl", "sponsor"):
        assert client.get("/testimonials", headers=w[role]).status_code == 403, role
    assert client.get("/testimonials", headers=member["headers"]).status_code == 403
    assert client.get("/testimonials").status_code == 401
    bad = client.post("/testimonials/not-hex/approve", json={}, headers=w["karl"])
    assert bad.status_code == 422 and bad.json()["field"] == "testimonial_id"
