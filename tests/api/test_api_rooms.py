"""The room of an on-site engagement (issue 13 item 1): the coach sets it once, every
planned session to come is invited again with it (a new SEQUENCE, LOCATION with the room),
and setting the same room again sends nothing."""

from __future__ import annotations

from typing import Any

from api_support import fresh
from engaged_support import outbox, sessions_of
from fastapi.testclient import TestClient
from life_support import calendar_of, invites, life, settings
from sqlmodel import Session

from api.models.enums import SessionStatus
from matcher.problem import Modality

__all__ = ["settings"]  # the fixture


def test_a_room_set_by_the_coach_reaches_every_attendee_of_the_sessions_to_come(
    client: TestClient, db: Session, settings: Any
) -> None:
    w = life(client, db, settings, modality=Modality.ONSITE)
    e = w["engagement"]
    before = {s.id: s.sequence for s in sessions_of(db, e)}
    planned = [s for s in sessions_of(db, e) if s.status == SessionStatus.planned]
    assert planned
    count = len(outbox(db))
    answer = client.put(
        f"/me/engagements/{e}/room", json={"room": "Salle Jaurès 3"}, headers=w["karl_h"]
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "engagement_id": e,
        "room": "Salle Jaurès 3",
        "sessions_updated": len(planned),
    }
    for row in sessions_of(fresh(db), e):
        assert row.sequence == before[row.id] + 1
        sent = invites(db, row)
        assert sent, f"no invite for session {row.number}"
        for message in sent:
            calendar = calendar_of(message)
            assert "METHOD:REQUEST" in calendar
            assert f"SEQUENCE:{row.sequence}" in calendar
            assert "Salle Jaurès 3" in calendar.replace("\r\n ", "")
    # The same room again: nothing to tell anyone.
    sent_so_far = len(outbox(db))
    assert sent_so_far > count
    again = client.put(
        f"/me/engagements/{e}/room", json={"room": "Salle Jaurès 3"}, headers=w["karl_h"]
    )
    assert again.status_code == 200 and again.json()["sessions_updated"] == 0
    assert len(outbox(db)) == sent_so_far
    # Another coach's engagement is not theirs to change.
    other = client.put(f"/me/engagements/{e}/room", json={"room": "X"}, headers=w["xavier_h"])
    assert other.status_code == 404
