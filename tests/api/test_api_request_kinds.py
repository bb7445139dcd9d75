"""Team coaching and mediation through the API: HR gives the participants, the round keeps
the coach neutral to each, and every session invites them all; the participants see the
sessions and the request, never the coachee's brief."""

from __future__ import annotations

from email import message_from_bytes, policy
from typing import Any

import pytest
from api_support import fresh
from fastapi.testclient import TestClient
from rounds_support import SENTINEL, build_programme, fast, post_round
from sqlmodel import Session, col, func, select

from api.models import Coach, CoachingRequest, CoachingSession, OutboxMessage, RequestParticipant
from api.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def _offer_every_kind(db: Session, *coaches: Coach) -> None:
    for coach in coaches:
        coach.coaching_types = ["coaching", "team_coaching", "mediation"]
        db.add(coach)
    db.commit()


def _body(w: dict[str, Any], kind: str, coachee: str, *others: str, **extra: Any) -> dict:
    p = w["people"]
    return {
        "coachee_id": p[coachee].id,
        "sponsor_id": p["sales"].id,
        "coaching_type": kind,
        "themes": ["leadership"],
        "language": "fr",
        "modality": "remote",
        "sessions": 3,
        "session_minutes": 60,
        "cadence_days": 14,
        "participant_ids": [p[x].id for x in others],
        "description": SENTINEL,
        **extra,
    }


def _calendar(raw: bytes) -> str:
    message = message_from_bytes(raw, policy=policy.default)
    part = next(x for x in message.walk() if x.get_content_type() == "text/calendar")
    return str(part.get_content())


def _proposals(client: TestClient, w: dict[str, Any], request_id: int) -> list[dict[str, Any]]:
    items = client.get(f"/requests/{request_id}/proposals", headers=w["hr"]).json()
    return [p for p in items if p["status"] == "proposed"]


def test_a_mediation_invites_both_parties_to_every_session(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    _offer_every_kind(db, w["karl"], w["xavier"])
    p = w["people"]
    created = client.post("/requests", json=_body(w, "mediation", "olga", "paul"), headers=w["hr"])
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    assert created.json()["participant_ids"] == [p["paul"].id]
    assert SENTINEL not in created.text

    post_round(client, w["hr"], commit=True, proposals=2)
    proposals = _proposals(client, w, request_id)
    assert proposals
    confirmed = client.post(f"/proposals/{proposals[0]['id']}/confirm", headers=w["hr"])
    assert confirmed.status_code == 200, confirmed.text
    engagement_id = confirmed.json()["id"]

    sessions = (
        fresh(db)
        .exec(
            select(CoachingSession)
            .where(CoachingSession.engagement_id == engagement_id)
            .order_by(col(CoachingSession.number))
        )
        .all()
    )
    assert len(sessions) == 3
    keys = {
        m.dedupe_key
        for m in db.exec(select(OutboxMessage))
        if m.kind.startswith("invite") and m.dedupe_key.startswith("session:")
    }
    for s in sessions:
        for who in ("olga", "paul"):  # both parties, at every session
            assert f"session:{s.id}:seq:0:p{p[who].id}" in keys, (s.number, who)
    invites = [m for m in db.exec(select(OutboxMessage)) if m.kind.startswith("invite")]
    assert all(SENTINEL.encode() not in m.raw_mime for m in invites)
    ics = [_calendar(m.raw_mime) for m in invites if m.dedupe_key.endswith(f":p{p['paul'].id}")]
    assert len(ics) == 3
    for text in ics:  # each invite names both parties and the coach as attendees
        attendees = [line for line in text.replace("\r\n ", "").splitlines()
                     if line.startswith("ATTENDEE")]  # fmt: skip
        for who in ("olga", "paul"):
            assert any(p[who].email in line.lower() for line in attendees), (who, attendees)

    # The other party sees the request (without the brief) and the sessions, and may not
    # withdraw the coachee's request.
    mine = client.get(f"/me/requests/{request_id}", headers=w["paul_h"])
    assert mine.status_code == 200, mine.text
    assert mine.json()["party"] == "participant" and "description" not in mine.json()
    assert SENTINEL not in mine.text
    seen = client.get("/me/sessions", headers=w["paul_h"]).json()["items"]
    assert {s.id for s in sessions} <= {s["id"] for s in seen}
    cancel = client.post(f"/me/requests/{request_id}/cancel", headers=w["paul_h"])
    assert cancel.status_code == 403 and cancel.json()["field"] == "request_id"
    # The coachee still reads their brief.
    own = client.get(f"/me/requests/{request_id}", headers=w["olga_h"]).json()
    assert own["party"] == "coachee" and own["description"] == SENTINEL


def test_a_team_never_gets_a_coach_in_a_members_line(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    _offer_every_kind(db, w["karl"], w["xavier"])
    # The IT head is in the team: Karl reports to them, so only Xavier may coach it.
    body = _body(w, "team_coaching", "paul", "it", sponsor_id=w["people"]["ceo"].id)
    created = client.post("/requests", json=body, headers=w["hr"])
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    view = post_round(client, w["hr"], commit=True, proposals=3)
    proposals = _proposals(client, w, request_id)
    assert [x["coach_id"] for x in proposals] == [w["xavier"].id]
    assert all(m.get("coach_id") != w["karl"].id or m["request_id"] != request_id
               for m in view.get("matches", []))  # fmt: skip


def test_hr_edits_the_participants_and_the_kind_is_rechecked(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    p = w["people"]
    created = client.post(
        "/requests", json=_body(w, "team_coaching", "olga", "paul"), headers=w["hr"]
    )
    request_id = created.json()["id"]
    edited = client.patch(
        f"/requests/{request_id}", json={"participant_ids": [p["ines"].id, p["paul"].id]},
        headers=w["hr"],
    )  # fmt: skip
    assert edited.status_code == 200, edited.text
    assert edited.json()["participant_ids"] == [p["ines"].id, p["paul"].id]
    # Coaching has no participants: changing the kind under them is refused.
    bad = client.patch(
        f"/requests/{request_id}", json={"coaching_type": "coaching"}, headers=w["hr"]
    )
    assert bad.status_code == 422 and bad.json()["field"] == "participant_ids"
    listed = client.get("/requests", headers=w["hr"]).json()["items"]
    assert next(r for r in listed if r["id"] == request_id)["participant_ids"] == [
        p["ines"].id,
        p["paul"].id,
    ]


BAD = [
    ("mediation", [], {}, "participant_ids"),
    ("mediation", ["paul", "ines"], {}, "participant_ids"),
    ("coaching", ["paul"], {}, "participant_ids"),
    ("tutoring", ["paul"], {}, "participant_ids"),
    ("team_coaching", [], {}, "participant_ids"),
    ("team_coaching", ["olga"], {}, "participant_ids.0"),  # the coachee
    ("team_coaching", ["paul", "sales"], {}, "participant_ids.1"),  # the sponsor
    ("team_coaching", ["unknown"], {}, "participant_ids.0"),
    ("team_coaching", ["paul"], {"participant_ids": [0]}, "participant_ids.0"),
    ("team_coaching", ["paul"], {"participant_ids": list(range(1, 40))}, "participant_ids"),
]


@pytest.mark.parametrize(("kind", "others", "override", "field"), BAD)
def test_bad_participants_are_refused_naming_the_field_and_nothing_is_written(
    client: TestClient, db: Session, settings: Settings, kind, others, override, field
) -> None:
    w = build_programme(db, settings, client)
    w["people"]["unknown"] = type("Nobody", (), {"id": 99_999})()
    before = fresh(db).exec(select(func.count()).select_from(CoachingRequest)).one()
    response = client.post("/requests", json=_body(w, kind, "olga", *others, **override),
                           headers=w["hr"])  # fmt: skip
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field, response.json()
    fresh(db)
    assert db.exec(select(func.count()).select_from(CoachingRequest)).one() == before
    assert db.exec(select(func.count()).select_from(RequestParticipant)).one() == 0
