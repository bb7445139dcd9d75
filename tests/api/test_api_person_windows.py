"""A coachee's or sponsor's own availability: weekly windows in their zone and time away,
used by the planner instead of working hours."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from api_support import add_user, fresh, login
from fastapi.testclient import TestClient
from rounds_support import build_programme, fast, post_round
from sqlmodel import Session, col, select

from api.models import CoachingSession, Person
from api.models.enums import Role
from api.settings import Settings

LONDON = ZoneInfo("Europe/London")
# Paul's windows in his zone (London, one hour behind the coach's Paris): weekday, from, to
WINDOWS = [(1, time(13), time(15)), (3, time(8), time(9, 30))]
PAUL_AWAY = (datetime(2026, 3, 3, tzinfo=LONDON), datetime(2026, 3, 11, tzinfo=LONDON))
SPONSOR_AWAY = (datetime(2026, 3, 12, tzinfo=LONDON), datetime(2026, 3, 13, tzinfo=LONDON))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def _inside_windows(start: datetime, end: datetime) -> bool:
    local_start, local_end = start.astimezone(LONDON), end.astimezone(LONDON)
    return local_start.date() == local_end.date() and any(
        local_start.weekday() == day and lo <= local_start.time() and local_end.time() <= hi
        for day, lo, hi in WINDOWS
    )


def _overlaps(start: datetime, end: datetime, period: tuple[datetime, datetime]) -> bool:
    return start < period[1] and period[0] < end


def test_sessions_are_planned_in_the_coachees_windows_and_never_in_time_away(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    paul: Person = w["people"]["paul"]
    paul.timezone = "Europe/London"
    db.add(paul)
    db.commit()
    sponsor_h = login(
        client, add_user(db, settings, Role.sponsor, person=w["people"]["sales"]).email
    )
    mine = client.get("/me/windows", headers=w["paul_h"]).json()
    assert mine["working_hours"] is True and mine["timezone"] == "Europe/London"
    for day, lo, hi in WINDOWS:
        body = {"weekday": day, "start_time": lo.isoformat(), "end_time": hi.isoformat()}
        response = client.post("/me/windows/weekly", json=body, headers=w["paul_h"])
        assert response.status_code == 201, response.text
    for headers, (start, end) in ((w["paul_h"], PAUL_AWAY), (sponsor_h, SPONSOR_AWAY)):
        body = {"start_at": start.isoformat(), "end_at": end.isoformat(), "reason": "leave"}
        response = client.post("/me/windows/exceptions", json=body, headers=headers)
        assert response.status_code == 201, response.text
    mine = client.get("/me/windows", headers=w["paul_h"]).json()
    assert mine["working_hours"] is False
    assert [(x["weekday"], x["start_time"], x["end_time"]) for x in mine["weekly"]] == [
        (1, "13:00:00", "15:00:00"),
        (3, "08:00:00", "09:30:00"),
    ]
    assert len(mine["exceptions"]) == 1  # the sponsor's time away is theirs

    post_round(client, w["hr"], commit=True, proposals=1)
    request_id = w["requests"]["paul"].id
    proposal = client.get(f"/requests/{request_id}/proposals", headers=w["hr"]).json()[0]
    confirmed = client.post(f"/proposals/{proposal['id']}/confirm", headers=w["hr"])
    assert confirmed.status_code == 200, confirmed.text
    sessions = list(
        fresh(db).exec(
            select(CoachingSession)
            .where(CoachingSession.engagement_id == confirmed.json()["id"])
            .order_by(col(CoachingSession.number))
        )
    )
    assert len(sessions) == w["requests"]["paul"].sessions
    for row in sessions:
        assert _inside_windows(row.start_at, row.end_at), row.start_at.astimezone(LONDON)
        assert not _overlaps(row.start_at, row.end_at, PAUL_AWAY), row.start_at
    # the sponsor attends the first session: not during their time away
    assert not _overlaps(sessions[0].start_at, sessions[0].end_at, SPONSOR_AWAY)


def test_without_windows_the_working_hours_of_their_zone_apply(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """Olga gives no window: Monday to Friday 09:00-18:00 in her zone (Montréal here,
    where the coach's Paris afternoons are her mornings)."""
    w = build_programme(db, settings, client)
    olga: Person = w["people"]["olga"]
    olga.timezone = "America/Montreal"
    db.add(olga)
    db.commit()
    post_round(client, w["hr"], commit=True, proposals=1)
    request_id = w["requests"]["olga"].id
    proposal = client.get(f"/requests/{request_id}/proposals", headers=w["hr"]).json()[0]
    confirmed = client.post(f"/proposals/{proposal['id']}/confirm", headers=w["hr"])
    assert confirmed.status_code == 200, confirmed.text
    montreal = ZoneInfo("America/Montreal")
    rows = fresh(db).exec(
        select(CoachingSession).where(CoachingSession.engagement_id == confirmed.json()["id"])
    )
    for row in rows:
        start, end = row.start_at.astimezone(montreal), row.end_at.astimezone(montreal)
        assert start.weekday() < 5 and time(9) <= start.time() and end.time() <= time(18)
        assert row.start_at.tzinfo == UTC


def test_windows_are_added_and_deleted_by_their_owner_only(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    body = {"weekday": 0, "start_time": "10:00", "end_time": "11:00"}
    window = client.post("/me/windows/weekly", json=body, headers=w["paul_h"]).json()
    away = client.post(
        "/me/windows/exceptions",
        json={"start_at": "2026-04-06T00:00:00Z", "end_at": "2026-04-08T00:00:00Z"},
        headers=w["paul_h"],
    ).json()
    assert away["reason"] == ""
    for url in (f"/me/windows/weekly/{window['id']}", f"/me/windows/exceptions/{away['id']}"):
        assert client.delete(url, headers=w["olga_h"]).status_code == 404
        assert client.delete(url, headers=w["paul_h"]).status_code == 204
        assert client.delete(url, headers=w["paul_h"]).status_code == 404
    mine: dict[str, Any] = client.get("/me/windows", headers=w["paul_h"]).json()
    assert mine["weekly"] == [] and mine["exceptions"] == [] and mine["working_hours"]
    assert client.get("/me/windows", headers=w["karl_h"]).status_code == 403
