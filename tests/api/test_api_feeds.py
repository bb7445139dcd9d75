"""Secret calendar feeds: content, ETag/Last-Modified/304, rotation, revocation, rate limit."""

from __future__ import annotations

from datetime import timedelta

from api_support import START, build_world, fresh
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlmodel import Session

from api.clock import FixedClock
from api.models import CoachingSession
from api.settings import Settings


def _path(url: str) -> str:
    assert url.startswith("http://testserver/feeds/") and url.endswith(".ics")
    return url.removeprefix("http://testserver")


def _uids(body: bytes) -> set[str]:
    return {str(e["UID"]) for e in Calendar.from_ical(body).walk("VEVENT")}


def test_feed_shows_only_the_owners_sessions(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_world(db, settings, client)
    urls = {
        role: _path(client.post("/me/feed", headers=w["headers"][role]).json()["url"])
        for role in ("coach", "coachee", "sponsor", "hr")
    }
    coach_feed = client.get(urls["coach"])
    assert coach_feed.status_code == 200
    assert coach_feed.headers["content-type"].startswith("text/calendar")
    own = f"session-{w['engagement']}-1@coachmatch.test"
    assert _uids(coach_feed.content) == {own}
    assert _uids(client.get(urls["coachee"]).content) == {own}
    assert _uids(client.get(urls["sponsor"]).content) == set()
    assert _uids(client.get(urls["hr"]).content) == set()
    event = Calendar.from_ical(coach_feed.content).walk("VEVENT")[0]
    assert event["DTSTART"].dt == START + timedelta(days=2, hours=1)
    assert "Paul Coachee" in str(event["DESCRIPTION"])  # the coach sees who they meet


def test_etag_last_modified_and_304(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    w = build_world(db, settings, client)
    url = _path(client.post("/me/feed", headers=w["headers"]["coach"]).json()["url"])
    first = client.get(url)
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["last-modified"] == "Mon, 02 Mar 2026 08:00:00 GMT"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    # The session moves: new content, new ETag, later Last-Modified.
    clock.advance(timedelta(hours=1))
    row = fresh(db).get(CoachingSession, w["session"])
    row.start_at += timedelta(days=1)
    row.end_at += timedelta(days=1)
    row.sequence += 1
    row.last_change_at = clock.now()
    db.add(row)
    db.commit()
    moved = client.get(url, headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["etag"] != etag
    assert moved.headers["last-modified"] == "Mon, 02 Mar 2026 09:00:00 GMT"
    assert "SEQUENCE:1" in moved.text


def test_rotate_and_revoke(client: TestClient, db: Session, settings: Settings) -> None:
    w = build_world(db, settings, client)
    headers = w["headers"]["coachee"]
    old = _path(client.post("/me/feed", headers=headers).json()["url"])
    new = _path(client.post("/me/feed", headers=headers).json()["url"])
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get("/me/feed", headers=headers).json()["active"] is True
    assert client.delete("/me/feed", headers=headers).status_code == 204
    assert client.get(new).status_code == 404
    assert client.get("/me/feed", headers=headers).json()["active"] is False
    assert client.delete("/me/feed", headers=headers).status_code == 404


def test_unknown_tokens_are_rate_limited_per_ip(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    w = build_world(db, settings, client)
    good = _path(client.post("/me/feed", headers=w["headers"]["coach"]).json()["url"])
    for i in range(settings.feed_miss_limit):
        assert client.get(f"/feeds/guess-{i}.ics").status_code == 404
    limited = client.get("/feeds/guess-x.ics")
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) == int(settings.feed_miss_window_seconds)
    assert client.get(good).status_code == 429  # the guessing address is blocked outright
    clock.advance(timedelta(seconds=settings.feed_miss_window_seconds))
    assert client.get(good).status_code == 200
