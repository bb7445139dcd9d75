"""Issue 10: the production shape. Rounds as jobs that can be stopped and survive a
killed worker, several web processes that behave as one, metrics and readiness."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import START, add_user, build_world, fresh
from fastapi.testclient import TestClient
from live_servers import coachmatch_serve
from rounds_support import WAIT, build_programme, fast
from sqlmodel import Session, select

from api.models import CoachingRequest, MatchingRound, Proposal
from api.models.enums import RequestStatus, Role, RoundStatus
from api.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def _wait(client: TestClient, headers: dict[str, str], round_id: int, *states: str) -> Any:
    for _ in range(1200):
        view = client.get(f"/rounds/{round_id}", headers=headers).json()
        if view["status"] in states:
            return view
        time.sleep(0.05)
    raise AssertionError(f"round {round_id} never became {states}: {view}")


def test_a_round_stopped_mid_way_stores_nothing(
    client: TestClient, db: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The solver is held (as a long round would be) until HR has asked to stop."""
    import api.rounds.engine as engine

    w = build_programme(db, settings, client)
    solving, release = threading.Event(), threading.Event()
    real = engine.match

    def slow(problem: Any) -> Any:
        solving.set()
        assert release.wait(30)
        return real(problem)

    monkeypatch.setattr(engine, "match", slow)
    started = client.post("/rounds", json={}, headers=w["hr"])
    assert started.status_code == 202
    round_id = started.json()["id"]
    assert solving.wait(30)
    running = client.get(f"/rounds/{round_id}", headers=w["hr"]).json()
    assert running["status"] == "running" and running["progress"]["stage"] == "matching"
    # The API answers while the round runs.
    assert client.get("/health").status_code == 200
    stop = client.post(f"/rounds/{round_id}/cancel", headers=w["hr"])
    assert stop.status_code == 200
    release.set()
    done = _wait(client, w["hr"], round_id, "cancelled", "done", "failed")
    assert done["status"] == "cancelled"
    assert fresh(db).exec(select(Proposal)).all() == []
    assert {r.status for r in db.exec(select(CoachingRequest))} == {RequestStatus.open}
    again = client.post(f"/rounds/{round_id}/cancel", headers=w["hr"])
    assert again.status_code == 409


def test_a_round_whose_worker_died_is_failed_and_half_of_nothing_stored(
    client: TestClient, db: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed mid-round stops writing its heartbeat: the sweep fails the round,
    and since a round stores only at its end, in one transaction, nothing else is there."""
    from api.rounds.runner import fail_stalled_rounds

    STALLED_AFTER = timedelta(seconds=settings.round_stalled_seconds)

    build_programme(db, settings, client)
    row = MatchingRound(
        status=RoundStatus.running,
        created_at=START,
        started_at=START,
        heartbeat_at=START,
        parameters={},
        progress={"stage": "planning"},
    )
    db.add(row)
    db.commit()
    assert fail_stalled_rounds(session=db, now=START + STALLED_AFTER / 2, after=STALLED_AFTER) == 0
    later = START + STALLED_AFTER + timedelta(seconds=1)
    assert fail_stalled_rounds(session=db, now=later, after=STALLED_AFTER) == 1
    failed = fresh(db).get_one(MatchingRound, row.id)
    assert failed.status == RoundStatus.failed and "stopped" in (failed.error or "")
    assert db.exec(select(Proposal)).all() == []


def test_two_clicks_on_commit_store_one_round(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    headers = {**w["hr"], **WAIT, "Idempotency-Key": "commit-42"}
    first = client.post("/rounds", json={}, headers=headers)
    second = client.post("/rounds", json={}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert len(fresh(db).exec(select(MatchingRound)).all()) == 1


def test_the_job_worker_outlives_a_database_error(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """The queue's tables are out of reach for a few polls (a failover, a reset, a
    restore): the worker's queries fail, it starts again by itself, and the next round
    still runs."""
    if settings.is_sqlite:
        pytest.skip("the SQLite queue lives in the process, not in the database")
    from sqlalchemy import text

    w = build_programme(db, settings, client)
    db.execute(text("ALTER TABLE procrastinate_jobs RENAME TO procrastinate_jobs_away"))
    db.commit()
    time.sleep(2.5)  # the worker polls every second: its fetches fail meanwhile
    db.execute(text("ALTER TABLE procrastinate_jobs_away RENAME TO procrastinate_jobs"))
    db.commit()
    started = client.post("/rounds/preview", json={}, headers=w["hr"])
    assert started.status_code == 202
    view = _wait(client, w["hr"], started.json()["id"], "done", "failed")
    assert view["status"] == "done", view


def _metric(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name):
            continue
        match = re.match(r"^([a-z_]+)(\{.*\})? (\S+)$", line)
        if not match or match.group(1) != name:
            continue
        got = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if all(got.get(k) == v for k, v in labels.items()):
            total += float(match.group(3))
    return total


def test_metrics_count_requests_rounds_mail_and_feeds(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    before = client.get("/metrics").text
    feed = f"/feeds/{world['feed_tokens']['coachee']}.ics"
    first = client.get(feed)
    again = client.get(feed, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    client.get("/feeds/not-a-feed.ics")
    client.post("/rounds/preview", json={}, headers={**world["headers"]["hr"], **WAIT})
    after = client.get("/metrics").text
    route = "/feeds/{token}.ics"

    def grew(name: str, **labels: str) -> float:
        return _metric(after, name, **labels) - _metric(before, name, **labels)

    assert grew("coachmatch_feed_requests_total", status="304") == 1
    assert grew("coachmatch_feed_requests_total", status="404") == 1
    assert grew("coachmatch_http_request_duration_seconds_count", route=route) == 3
    assert grew("coachmatch_rounds_total", kind="preview", status="done") == 1
    assert world["feed_tokens"]["coachee"] not in after  # labels are route templates
    assert "coachmatch_outbox_backlog" in after and "coachmatch_rounds_waiting" in after
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.json()["queue"] == "ok"


def test_a_metrics_token_guards_the_metrics(client: TestClient, settings: Settings) -> None:
    from api.app import create_app

    guarded = settings.model_copy(update={"metrics_token": "scrape-me"})
    with TestClient(create_app(guarded)) as other:
        assert other.get("/metrics").status_code == 401
        ok = other.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
        assert ok.status_code == 200 and "coachmatch_http_request_duration_seconds" in ok.text


def test_several_web_processes_behave_as_one(
    client: TestClient, db: Session, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    """`coachmatch serve --workers 2`: sign-in throttling, feed limits and metrics are
    the same whichever process answers."""
    user = add_user(db, settings, Role.hr, email="hr@example.org")
    with (
        coachmatch_serve(database_url, tmp_path, workers=2) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        # New connections are spread over the processes; the throttle is shared.
        codes = []
        for _ in range(settings.login_max_failures + 2):
            with httpx.Client(base_url=server.url, timeout=30) as one:
                codes.append(
                    one.post(
                        "/auth/login", json={"email": user.email, "password": "wrong"}
                    ).status_code
                )
        assert codes.count(401) == settings.login_max_failures
        assert codes[-1] == 429
        for _ in range(20):
            with httpx.Client(base_url=server.url, timeout=30) as one:
                assert one.get("/health").status_code == 200
        metrics = http.get("/metrics").text
    pids = set(re.findall(r"\[(\d+)\]", server.output()))
    assert len(pids) >= 2, server.output()[-2000:]  # two processes served
    assert _metric(metrics, "coachmatch_http_request_duration_seconds_count", route="/health") >= 20
