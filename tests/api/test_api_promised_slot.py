"""The first session is the one promised (issue 9 item 8): confirming a proposal books the
first session the round promised while it is still free; when it is gone, the proposal
views say so before anyone confirms, and what confirming books instead, which it then
books."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from api_support import fresh
from fastapi.testclient import TestClient
from rounds_support import build_programme, fast, post_round
from sqlmodel import Session, col, select

from api.models import CoachingSession
from api.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _live(client: TestClient, w: dict[str, Any], request_id: int) -> list[dict[str, Any]]:
    items = client.get(f"/requests/{request_id}/proposals", headers=w["hr"]).json()
    return [p for p in items if p["status"] == "proposed"]


def _away(client: TestClient, headers: dict[str, str], start: datetime, end: datetime) -> int:
    body = {"start_at": start.isoformat(), "end_at": end.isoformat(), "reason": "ailleurs"}
    response = client.post("/me/windows/exceptions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _first_booked(db: Session, engagement_id: int) -> CoachingSession:
    return (
        fresh(db)
        .exec(
            select(CoachingSession)
            .where(CoachingSession.engagement_id == engagement_id)
            .order_by(col(CoachingSession.number))
        )
        .first()
    )  # type: ignore[return-value]


def test_the_promised_first_session_is_booked_exactly(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    paul = w["requests"]["paul"].id
    # Paul is away the first days when the round runs: it promises a later first session.
    away = _away(client, w["paul_h"], datetime.fromisoformat("2026-03-02T00:00:00+01:00"),
                 datetime.fromisoformat("2026-03-06T00:00:00+01:00"))  # fmt: skip
    post_round(client, w["hr"], commit=True)
    (proposal, *_) = _live(client, w, paul)
    promised = _at(proposal["first_session_at"])
    assert promised >= datetime.fromisoformat("2026-03-06T00:00:00+01:00")
    # Back early: earlier slots free up, and planning afresh would start sooner.
    assert client.delete(f"/me/windows/exceptions/{away}", headers=w["paul_h"]).status_code == 204
    (proposal, *_) = _live(client, w, paul)
    assert proposal["first_session_free"] is True
    assert proposal["first_session_instead"] is None
    confirmed = client.post(f"/proposals/{proposal['id']}/confirm", headers=w["hr"])
    assert confirmed.status_code == 200, confirmed.text
    first = _first_booked(db, confirmed.json()["id"])
    assert first.start_at == promised
    # ... where a plan from scratch would have taken an earlier day: the promise mattered.
    sessions = client.get("/me/sessions", headers=w["paul_h"]).json()["items"]
    assert _at(sessions[0]["start_at"]) == promised
    olga = w["requests"]["olga"].id
    other = _live(client, w, olga)
    assert other and all(p["first_session_free"] is not None for p in other)


def test_a_promised_slot_taken_meanwhile_is_said_and_the_next_one_booked(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    paul = w["requests"]["paul"].id
    post_round(client, w["hr"], commit=True, proposals=2)
    live = _live(client, w, paul)
    proposal = live[0]
    promised = _at(proposal["first_session_at"])
    assert proposal["first_session_free"] is True
    # Paul takes the promised hour off after the round.
    _away(client, w["paul_h"], promised - timedelta(minutes=30), promised + timedelta(hours=1))
    (proposal, *_) = _live(client, w, paul)
    assert proposal["first_session_free"] is False
    instead = _at(proposal["first_session_instead"])
    assert instead != promised
    assert not (promised - timedelta(hours=1) < instead < promised + timedelta(hours=1))
    # The coachee reads the same before choosing.
    mine = client.get("/me/proposals", headers=w["paul_h"]).json()
    offer = next(o for o in mine if o["id"] == proposal["id"])
    assert offer["first_session_at"] == proposal["first_session_at"]
    assert offer["first_session_free"] is False
    assert _at(offer["first_session_instead"]) == instead
    confirmed = client.post(f"/proposals/{proposal['id']}/confirm", headers=w["hr"])
    assert confirmed.status_code == 200, confirmed.text
    assert _first_booked(db, confirmed.json()["id"]).start_at == instead
    # Once decided, the proposals no longer announce anything.
    decided = client.get(f"/requests/{paul}/proposals", headers=w["hr"]).json()
    assert all(p["first_session_free"] is None for p in decided if p["status"] != "proposed")
