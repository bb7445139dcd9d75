"""The coachee's and sponsor's availability page through the real app (TestClient): the
windows and time away it writes, in the person's zone, and its refusals by field."""

from __future__ import annotations

from datetime import UTC, datetime, time

from api_support import build_world, fresh, row_counts
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select
from test_web_forms import _error
from web_support import as_user, bearer_token

from api.models import Person, PersonException, PersonWindow
from api.settings import Settings
from api.web.viewer import LANG_COOKIE


def _rows(db: Session, model: type[PersonWindow] | type[PersonException], person_id: int) -> list:
    return list(
        fresh(db).exec(select(model).where(model.person_id == person_id).order_by(col(model.id)))
    )


def test_a_coachee_sets_windows_and_time_away_in_their_zone(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    person_id = world["people"]["coachee"]
    for row in _rows(db, PersonWindow, person_id):  # back to no window at all
        db.delete(row)
    person = db.get(Person, person_id)
    assert person is not None
    person.timezone = "America/Montreal"
    db.add(person)
    db.commit()
    csrf = as_user(client, bearer_token(world["headers"]["coachee"]))
    client.cookies.set(LANG_COOKIE, "fr")
    page = client.get("/my/windows")
    assert page.status_code == 200 and "<h1>Mes disponibilités</h1>" in page.text
    assert 'id="working-hours"' in page.text and "America/Montreal" in page.text

    before = row_counts(db)
    refused = client.post(
        "/my/windows/weekly",
        data={"csrf": csrf, "weekday": "2", "start_time": "15:00", "end_time": "10:00"},
    )
    assert refused.status_code == 422
    assert _error(refused.text, "end_time") == "La fin doit être postérieure au début."
    assert 'value="15:00"' in refused.text  # the input is kept
    assert row_counts(db) == before
    done = client.post(
        "/my/windows/weekly",
        data={"csrf": csrf, "weekday": "2", "start_time": "08:30", "end_time": "10:00"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/my/windows"
    [window] = _rows(db, PersonWindow, person_id)
    assert (window.weekday, window.start_time, window.end_time) == (2, time(8, 30), time(10))

    away = client.post(
        "/my/windows/exceptions",
        data={
            "csrf": csrf,
            "start_at": "2026-04-06T00:00",
            "end_at": "2026-04-10T12:00",
            "reason": "congés",
        },
        follow_redirects=False,
    )
    assert away.status_code == 303
    stored = [x for x in _rows(db, PersonException, person_id) if x.reason == "congés"]
    # typed in Montréal's time (UTC-4 in April), stored in UTC
    assert [(x.start_at, x.end_at) for x in stored] == [
        (datetime(2026, 4, 6, 4, tzinfo=UTC), datetime(2026, 4, 10, 16, tzinfo=UTC))
    ]
    backwards = client.post(
        "/my/windows/exceptions",
        data={"csrf": csrf, "start_at": "2026-04-10T00:00", "end_at": "2026-04-06T00:00"},
    )
    assert backwards.status_code == 422
    assert _error(backwards.text, "end_at") == "La fin doit être postérieure au début."

    page = client.get("/my/windows")
    assert 'id="working-hours"' not in page.text
    assert "mercredi 8\u202fh\u202f30–10\u202fh\u202f00" in page.text
    deleted = client.post(
        f"/my/windows/weekly/{window.id}/delete",
        data={"csrf": csrf, "confirm": "yes"},  # the inline confirmation's field
        follow_redirects=False,
    )
    assert deleted.status_code == 303 and _rows(db, PersonWindow, person_id) == []
    # someone else's row: not found, and kept
    other = world["person_window_other"]
    foreign = client.post(f"/my/windows/weekly/{other}/delete", data={"csrf": csrf})
    assert foreign.status_code == 404 and fresh(db).get(PersonWindow, other) is not None
