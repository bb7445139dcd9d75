"""Secret calendar feeds: content, ETag/Last-Modified/304, rotation, revocation, rate limit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from api_support import START, build_world, fresh
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlmodel import Session, select

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
    # the sponsor of both requests attends both first (tripartite) sessions
    theirs = f"session-{w['engagement2']}-1@coachmatch.test"
    assert _uids(client.get(urls["sponsor"]).content) == {own, theirs}
    assert _uids(client.get(urls["hr"]).content) == set()
    event = Calendar.from_ical(coach_feed.content).walk("VEVENT")[0]
    assert event["DTSTART"].dt == START + timedelta(days=2, hours=1)
    assert "Paul Coachee" not in coach_feed.text  # a neutral title only, by default
    chosen = client.patch("/me/feed", json={"detail": "names"}, headers=w["headers"]["coach"])
    assert chosen.status_code == 200 and chosen.json()["detail"] == "names"
    event = Calendar.from_ical(client.get(urls["coach"]).content).walk("VEVENT")[0]
    assert "Paul Coachee" in str(event["DESCRIPTION"])  # the coach chose to see who they meet


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
    # A calendar service polls everyone's feeds from one address and keeps polling
    # revoked ones: its misses never refuse a valid feed (issue 8 item 13).
    assert client.get(good).status_code == 200
    assert client.get("/feeds/guess-y.ics").status_code == 429
    clock.advance(timedelta(seconds=settings.feed_miss_window_seconds))
    assert client.get("/feeds/guess-z.ics").status_code == 404


def test_a_poll_is_answered_from_the_feeds_version_without_rendering(
    client: TestClient, db: Session, settings: Settings, monkeypatch: Any
) -> None:
    """Calendar apps poll every few minutes: a 304 costs one aggregate read, no render and
    no write in the request."""
    from api.feeds import service
    from api.models import FeedToken

    w = build_world(db, settings, client)
    path = f"/feeds/{w['feed_tokens']['coach']}.ics"
    first = client.get(path)
    assert first.status_code == 200
    used = fresh(db).exec(select(FeedToken)).all()
    stamp = {t.id: t.last_used_at for t in used}

    def refuse(**_: Any) -> bytes:
        raise AssertionError("a 304 must not render the feed")

    monkeypatch.setattr(service, "render", refuse)
    again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.headers["etag"] == first.headers["etag"]
    since = client.get(path, headers={"If-Modified-Since": first.headers["last-modified"]})
    assert since.status_code == 304
    # "Last fetched" is written at most every ten minutes, outside the request.
    assert {t.id: t.last_used_at for t in fresh(db).exec(select(FeedToken))} == stamp


def test_the_feeds_version_moves_with_everything_its_events_show(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    from api.models import Coach, Person, User

    w = build_world(db, settings, client)
    path = f"/feeds/{w['feed_tokens']['coach']}.ics"

    def etag() -> str:
        response = client.get(path)
        assert response.status_code == 200
        return response.headers["etag"]

    seen = [etag()]
    assert etag() == seen[0]  # same data, same version

    def changed(what: str) -> None:
        now = etag()
        assert now not in seen, what
        seen.append(now)

    row = fresh(db).get_one(CoachingSession, w["session"])
    row.start_at, row.end_at = row.start_at + timedelta(hours=1), row.end_at + timedelta(hours=1)
    row.last_change_at = START + timedelta(minutes=1)
    db.add(row)
    db.commit()
    changed("a session moved")
    coach = fresh(db).get_one(Coach, w["coach"])
    coach.room_url = "https://meet.example.org/karl"
    coach.updated_at = START + timedelta(minutes=2)
    db.add(coach)
    db.commit()
    changed("the coach's room")
    user = fresh(db).get_one(User, w["users"]["coach"].id)
    user.feed_detail = "names"
    db.add(user)
    db.commit()
    changed("the detail chosen")
    coachee = fresh(db).get_one(Person, w["people"]["coachee"])
    coachee.name, coachee.updated_at = "Paul Renamed", START + timedelta(minutes=3)
    db.add(coachee)
    db.commit()
    changed("the coachee's name")
    assert "Paul Renamed" in client.get(path).text


def test_each_attendees_feed_answers_from_its_own_version(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """The coach's, the coachee's and the sponsor's feeds (each its own query) and HR's
    (no session): a poll with the version gets 304; the session moving makes a new one
    for all who attend it; the owner's zone is part of their feed's version only."""
    from api.models import Person

    w = build_world(db, settings, client)
    paths = {role: f"/feeds/{w['feed_tokens'][role]}.ics" for role in w["feed_tokens"]}
    uid = fresh(db).get_one(CoachingSession, w["session"]).uid

    def versions() -> dict[str, str]:
        out = {}
        for role, path in paths.items():
            body = client.get(path)
            assert body.status_code == 200, role
            assert (f"UID:{uid}" in body.text) == (role != "hr"), role
            out[role] = body.headers["etag"]
            assert client.get(path, headers={"If-None-Match": out[role]}).status_code == 304
        return out

    first = versions()
    row = fresh(db).get_one(CoachingSession, w["session"])
    row.start_at, row.end_at = row.start_at + timedelta(hours=2), row.end_at + timedelta(hours=2)
    row.last_change_at = START + timedelta(minutes=1)
    db.add(row)
    db.commit()
    moved = versions()
    assert {role for role in paths if moved[role] != first[role]} == {
        "coach",
        "coachee",
        "sponsor",
    }
    coachee = fresh(db).get_one(Person, w["people"]["coachee"])
    coachee.timezone = "America/New_York"  # alone: no other column of the row changes
    db.add(coachee)
    db.commit()
    zoned = versions()
    assert {role for role in paths if zoned[role] != moved[role]} == {"coachee"}


def test_a_feed_is_rendered_once_per_version(
    client: TestClient, db: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client without a validator gets the body kept for the feed's version; a change
    renders it again."""
    from api.feeds import service

    w = build_world(db, settings, client)
    path = f"/feeds/{w['feed_tokens']['coach']}.ics"
    rendered = []
    original = service.render

    def counted(**kwargs: Any) -> bytes:
        rendered.append(kwargs["user"].id)
        return original(**kwargs)

    monkeypatch.setattr(service, "render", counted)
    first, second = client.get(path), client.get(path)
    assert second.status_code == 200 and second.content == first.content
    assert len(rendered) == 1
    row = fresh(db).get_one(CoachingSession, w["session"])
    row.start_at, row.end_at = row.start_at + timedelta(hours=2), row.end_at + timedelta(hours=2)
    row.last_change_at = START + timedelta(minutes=1)
    db.add(row)
    db.commit()
    moved = client.get(path)
    assert moved.content != first.content and moved.headers["etag"] != first.headers["etag"]
    assert len(rendered) == 2
    head = client.head(path)
    assert head.headers["content-length"] == str(len(moved.content)) and len(rendered) == 2
    # Another owner's feed is its own body, never one kept for someone else.
    other = client.get(f"/feeds/{w['feed_tokens']['coachee']}.ics")
    assert other.content != moved.content and len(rendered) == 3


def test_a_burst_of_polls_writes_last_fetched_once(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """A hundred polls at once all read the old "last fetched": one of them queues the
    write, the others do not (each write would wait on the database's write lock)."""
    from api.feeds import service
    from api.models import FeedToken

    build_world(db, settings, client)
    now = START + timedelta(days=1)
    rows = fresh(db).exec(select(FeedToken)).all()
    assert len(rows) >= 2
    first, other = rows[0], rows[1]
    first.last_used_at = other.last_used_at = None
    assert [service.needs_touch(first, now) for _ in range(100)].count(True) == 1
    assert service.needs_touch(other, now)  # another feed is its own
    later = now + service.TOUCH_EVERY
    assert service.needs_touch(first, later)  # ten minutes on, written again
    first.last_used_at = later
    assert not service.needs_touch(first, later + timedelta(minutes=1))
