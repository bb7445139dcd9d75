"""The planner plans around every participant (issue 11 item 6 follow-up): a mediation's
second party or a team member busy at the first free time moves the session to the next
free one, in the round and at confirmation, instead of a 409 at confirmation."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from api_support import START, fresh
from fastapi.testclient import TestClient
from rounds_support import SENTINEL, build_programme, fast, post_round
from sqlmodel import Session, col, select

from api.models import (
    Coach,
    CoachingRequest,
    CoachingSession,
    Engagement,
    PersonWindow,
    SessionAttendance,
)
from api.models.enums import RequestStatus
from api.settings import Settings

# Three hour-long sessions a fortnight apart, remote, in French.
SHAPE = dict(sessions=3, session_minutes=60, cadence_days=14, modality="remote", language="fr",
             themes=["leadership"], description=SENTINEL)  # fmt: skip


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _setup(client: TestClient, db: Session, settings: Settings) -> dict[str, Any]:
    """The programme with only Paul's coaching request open, confirmed: Paul's sessions
    are booked (with their attendance rows) before any team or mediation is planned."""
    w = build_programme(db, settings, client)
    for coach in (w["karl"], w["xavier"]):
        coach.coaching_types = ["coaching", "team_coaching", "mediation"]
        db.add(coach)
    for key in ("olga", "ines"):
        request = db.get(CoachingRequest, w["requests"][key].id)
        assert request is not None
        request.status = RequestStatus.cancelled
        db.add(request)
    db.commit()
    post_round(client, w["hr"], commit=True)
    paul_request = w["requests"]["paul"].id
    (proposal, *_) = _proposals(client, w, paul_request)
    confirmed = client.post(f"/proposals/{proposal['id']}/confirm", headers=w["hr"])
    assert confirmed.status_code == 200, confirmed.text
    w["paul_coach"] = proposal["coach_id"]
    w["paul_sessions"] = _sessions(db, confirmed.json()["id"])
    return w


def _proposals(client: TestClient, w: dict[str, Any], request_id: int) -> list[dict[str, Any]]:
    items = client.get(f"/requests/{request_id}/proposals", headers=w["hr"]).json()
    return [p for p in items if p["status"] == "proposed"]


def _sessions(db: Session, engagement_id: int) -> list[CoachingSession]:
    return list(
        fresh(db).exec(
            select(CoachingSession)
            .where(CoachingSession.engagement_id == engagement_id)
            .order_by(col(CoachingSession.number))
        )
    )


def _request(client: TestClient, w: dict[str, Any], kind: str, *others: str) -> int:
    p = w["people"]
    body = {
        **SHAPE,
        "coaching_type": kind,
        "coachee_id": p["olga"].id,
        "sponsor_id": p["sales"].id,
        "participant_ids": [p[x].id for x in others],
    }
    created = client.post("/requests", json=body, headers=w["hr"])
    assert created.status_code == 201, created.text
    request_id = int(created.json()["id"])
    # Another coach than Paul's: only Paul's own time stands in the way.
    ban = {"request_id": request_id, "coach_id": w["paul_coach"], "kind": "forbid"}
    assert client.post("/pair-adjustments", json=ban, headers=w["hr"]).status_code == 201
    return request_id


def _overlaps(a: CoachingSession, b: CoachingSession) -> bool:
    return a.start_at < b.end_at and b.start_at < a.end_at


def _confirm_and_check(
    client: TestClient, db: Session, w: dict[str, Any], request_id: int, people: list[str]
) -> list[CoachingSession]:
    (proposal, *_) = _proposals(client, w, request_id)
    assert proposal["coach_id"] != w["paul_coach"]
    assert proposal["first_session_free"] is True
    confirmed = client.post(f"/proposals/{proposal['id']}/confirm", headers=w["hr"])
    assert confirmed.status_code == 200, confirmed.text
    sessions = _sessions(db, confirmed.json()["id"])
    assert len(sessions) == 3
    assert sessions[0].start_at == _at(proposal["first_session_at"])  # as promised
    for s in sessions:
        assert not any(_overlaps(s, mine) for mine in w["paul_sessions"])
        attending = {
            a.attendee
            for a in db.exec(select(SessionAttendance).where(SessionAttendance.session_id == s.id))
        }
        assert {f"p{w['people'][x].id}" for x in people} <= attending
    return sessions


def test_a_mediation_whose_second_party_is_booked_gets_the_next_slot(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _setup(client, db, settings)
    paul_first = w["paul_sessions"][0]
    request_id = _request(client, w, "mediation", "paul")
    post_round(client, w["hr"], commit=True)
    sessions = _confirm_and_check(client, db, w, request_id, ["olga", "paul"])
    # Olga and the other coach were free at Paul's first session: the mediation starts
    # right after it, when Paul is free again.
    assert sessions[0].start_at == paul_first.end_at


def test_team_coaching_plans_in_every_members_windows_and_around_their_sessions(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _setup(client, db, settings)
    ines = w["people"]["ines"]
    for day in range(5):  # Ines works afternoons only (Paris)
        db.add(
            PersonWindow(
                person_id=ines.id,
                weekday=day,
                start_time=time(14),
                end_time=time(18),
                timezone="Europe/Paris",
                created_at=START,
            )
        )
    db.commit()
    # Karl coaches under Ines's manager: only Xavier is neutral to every member.
    request_id = _request(client, w, "team_coaching", "paul", "ines")
    post_round(client, w["hr"], commit=True)
    sessions = _confirm_and_check(client, db, w, request_id, ["olga", "paul", "ines"])
    engagement = db.get(Engagement, sessions[0].engagement_id)
    assert engagement is not None
    coach = db.get(Coach, engagement.coach_id)
    assert coach is not None and coach.id == w["xavier"].id
    paris = ZoneInfo("Europe/Paris")
    for s in sessions:
        start, end = s.start_at.astimezone(paris), s.end_at.astimezone(paris)
        assert time(14) <= start.time() and end.time() <= time(18), start
