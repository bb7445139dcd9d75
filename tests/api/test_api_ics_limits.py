"""Issue 8 item 10 through the API: a hostile calendar upload is a 422 naming the event,
the previous busy times stay as they were, and overlapping busy spans are stored merged."""

from __future__ import annotations

from api_support import ICS, add_coach, add_user, login
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.i18n.errors import translate_message
from api.models import BusyInterval
from api.models.enums import Role
from api.settings import Settings

MINUTELY = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\nUID:a@x\r\n"
    "DTSTAMP:20260101T000000Z\r\nDTSTART:20260301T000000Z\r\nDTEND:20260301T000100Z\r\n"
    "RRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
NEVER = MINUTELY.replace("FREQ=MINUTELY", "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30").replace(
    "UID:a@x", "UID:never@x\r\nSUMMARY:Leap standup"
)


def coach_headers(client: TestClient, db: Session, settings: Settings) -> dict[str, str]:
    coach = add_coach(db)
    user = add_user(db, settings, Role.coach, email="busy.coach@example.org", coach=coach)
    return login(client, user.email)


def upload(client: TestClient, headers: dict[str, str], text: str):
    files = {"file": ("busy.ics", text.encode(), "text/calendar")}
    return client.put("/me/availability/ics", headers=headers, files=files)


def test_hostile_calendars_are_refused_and_change_nothing(
    client: TestClient, db: Session, settings: Settings
) -> None:
    coach = coach_headers(client, db, settings)
    assert upload(client, coach, ICS).status_code == 200
    before = client.get("/me/availability", headers=coach).json()
    assert len(MINUTELY) < 200

    flood = upload(client, coach, MINUTELY)
    assert flood.status_code == 422, flood.text
    body = flood.json()
    assert body["field"] == "file"
    assert body["detail"] == (
        "the calendar has more than 5000 events in the next 365 days (most from event #1 (UID a@x))"
    )
    assert translate_message(body["detail"], "fr") == (
        "L’agenda compte plus de 5000 événements dans les 365 prochains jours "
        "(surtout l’événement #1 (UID a@x))."
    )

    never = upload(client, coach, NEVER)
    assert never.status_code == 422, never.text
    assert never.json() == {
        "detail": 'the repeat rule of event #1 "Leap standup" (UID never@x) takes too long to '
        "read: simplify or remove it",
        "field": "file",
        "code": "ICS_TOO_COMPLEX",
        "params": {"event": '#1 "Leap standup" (UID never@x)'},
    }
    assert translate_message(never.json()["detail"], "fr").startswith(
        'La règle de répétition de l’événement #1 "Leap standup" (UID never@x)'
    )
    assert client.get("/me/availability", headers=coach).json() == before


def test_the_occurrence_limit_is_a_setting(
    client: TestClient, db: Session, settings: Settings
) -> None:
    settings.ics_max_occurrences = 3  # ICS holds 4 busy events in the horizon
    coach = coach_headers(client, db, settings)
    refused = upload(client, coach, ICS)
    assert refused.status_code == 422
    assert "more than 3 events" in refused.json()["detail"]
    assert "Weekly" in refused.json()["detail"]


def test_overlapping_busy_spans_are_stored_merged(
    client: TestClient, db: Session, settings: Settings
) -> None:
    coach = coach_headers(client, db, settings)
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:o{i}@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start}\r\n"
        f"DTEND:{end}\r\nEND:VEVENT\r\n"
        for i, (start, end) in enumerate(
            [
                ("20260303T090000Z", "20260303T110000Z"),
                ("20260303T100000Z", "20260303T120000Z"),
                ("20260303T093000Z", "20260303T094500Z"),
                ("20260304T090000Z", "20260304T100000Z"),
            ]
        )
    )
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n{events}END:VCALENDAR\r\n"
    response = upload(client, coach, text)
    assert response.status_code == 200, response.text
    assert response.json()["busy_intervals"] == 2
    rows = db.exec(select(BusyInterval).order_by(BusyInterval.start_at)).all()
    assert [(r.start_at.hour, r.end_at.hour) for r in rows] == [(9, 12), (9, 10)]
