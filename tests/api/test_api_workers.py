"""The production shape with real processes: a job worker killed with `kill -9` in the
middle of a round, and the README's walkthrough on two API processes with their workers.

On PostgreSQL the API processes run no jobs and separate worker processes (the product's
`run_worker`, as `coachmatch worker`) run them; on SQLite each API process runs its own
embedded worker, so the process killed is the web process itself.
"""

from __future__ import annotations

import itertools
import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import START, fresh
from live_servers import Server, live_servers, live_workers, start_worker, stop
from rounds_support import build_programme
from sqlalchemy import Engine
from sqlmodel import Session, select
from test_api_readme_walkthrough import replay_walkthrough

from api.demo import load_demo
from api.models import CoachingRequest, MatchingRound, Proposal
from api.models.enums import RequestStatus, RoundStatus
from api.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The tests' own app (TestClient, for logins) runs no worker: on PostgreSQL it would
    take the processes' jobs from the shared queue."""
    return settings.model_copy(update={"embedded_worker": False})


STALLED = 4  # seconds without a heartbeat before the sweep takes a round's worker for dead


def _round(url: str, headers: dict[str, str], round_id: int) -> dict[str, Any]:
    response = httpx.get(f"{url}/rounds/{round_id}", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    view: dict[str, Any] = response.json()
    return view


def _wait_status(
    url: str, headers: dict[str, str], round_id: int, wanted: set[str], timeout: float
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        view = _round(url, headers, round_id)
        if view["status"] in wanted or time.monotonic() > deadline:
            return view
        time.sleep(0.2)


def test_a_worker_killed_mid_round_leaves_the_round_failed_and_nothing_stored(
    client: Any, db: Session, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    w = build_programme(db, settings, client)
    hr = w["hr"]
    # Every process's clock starts at the tests' instant now and runs: a heartbeat can
    # go stale. The first worker stops in the middle of the round (after it is marked
    # running, before the solver), waiting for a partner that never comes.
    clock = {
        "COACHMATCH_TEST_CLOCK_EPOCH": datetime.now(UTC).isoformat(),
        "COACHMATCH_ROUND_STALLED_SECONDS": str(STALLED),
    }
    (tmp_path / "meet").mkdir()
    pause = {
        "COACHMATCH_TEST_RENDEZVOUS": "api.rounds.runner:_run_engine",
        "COACHMATCH_TEST_RENDEZVOUS_DIR": str(tmp_path / "meet"),
        "COACHMATCH_TEST_RENDEZVOUS_COUNT": "2",
        "COACHMATCH_TEST_RENDEZVOUS_SECONDS": "60",
    }
    separate = not settings.is_sqlite
    killed: Server
    others: list[Server] = []
    api_env = {**clock, "COACHMATCH_EMBEDDED_WORKER": "false"} if separate else {**clock, **pause}
    with live_servers(database_url, tmp_path, count=1, env=api_env) as (server,):
        try:
            if separate:
                killed = start_worker(database_url, tmp_path, "doomed", env={**clock, **pause})
            else:
                killed = server
            started = httpx.post(f"{server.url}/rounds", json={}, headers=hr, timeout=10)
            assert started.status_code == 202, started.text
            round_id = started.json()["id"]
            running = _wait_status(server.url, hr, round_id, {"running"}, timeout=60)
            assert running["status"] == "running", running
            deadline = time.monotonic() + 30
            while not list((tmp_path / "meet").iterdir()) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert list((tmp_path / "meet").iterdir()), "the round never reached the solver"
            os.kill(killed.process.pid, signal.SIGKILL)
            killed.process.wait(timeout=10)
            if separate:
                others.append(start_worker(database_url, tmp_path, "survivor", env=clock))
                url = server.url
            else:
                # The web process itself is gone: start another on the same database.
                stop([server])
                others_ctx = live_servers(database_url, tmp_path / "again", count=1, env=clock)
                (tmp_path / "again").mkdir()
                (again,) = others_ctx.__enter__()
                url = again.url
            try:
                # The next minute's sweep (a periodic job of the live worker) fails it.
                failed = _wait_status(url, hr, round_id, {"failed", "done"}, timeout=100)
                assert failed["status"] == "failed", failed
                stored = fresh(db).get_one(MatchingRound, round_id)
                assert stored.status == RoundStatus.failed
                assert db.exec(select(Proposal)).all() == []
                statuses = {r.status for r in db.exec(select(CoachingRequest))}
                assert statuses == {RequestStatus.open}
                # The queue goes on: a new round runs to its end on the live worker.
                again_round = httpx.post(f"{url}/rounds/preview", json={}, headers=hr, timeout=10)
                assert again_round.status_code == 202, again_round.text
                done = _wait_status(url, hr, again_round.json()["id"], {"done", "failed"}, 90)
                assert done["status"] == "done", done
            finally:
                if not separate:
                    others_ctx.__exit__(None, None, None)
        finally:
            stop(others)
            if separate and killed.process.poll() is None:
                stop([killed])


class _TwoServers:
    """An HTTP client that sends each request to the next of several API processes, as a
    load balancer would (the walkthrough's calls alternate between them)."""

    def __init__(self, urls: list[str]) -> None:
        self.clients = [httpx.Client(base_url=u, timeout=90) for u in urls]
        self.turn = itertools.cycle(self.clients)
        self.cookies = httpx.Cookies()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        client = next(self.turn)
        client.cookies.clear()  # as curl: only the token authenticates
        return client.request(method, path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def close(self) -> None:
        for client in self.clients:
            client.close()


def test_the_readme_walkthrough_on_two_api_processes_and_two_workers(
    engine: Engine, settings: Settings, db: Session, database_url: str, tmp_path: Path
) -> None:
    """PostgreSQL: two API processes that run no jobs and two worker processes; SQLite:
    two API processes, each with its embedded worker. The walkthrough's calls alternate
    between the two API processes."""
    load_demo(engine=engine, settings=settings, now=START, requests=12)
    separate = not settings.is_sqlite
    env = {"COACHMATCH_EMBEDDED_WORKER": "false"} if separate else {}
    with (
        live_servers(database_url, tmp_path, count=2, env=env) as servers,
        live_workers(database_url, tmp_path, count=2 if separate else 0) as workers,
    ):
        both = _TwoServers([s.url for s in servers])
        try:
            replay_walkthrough(both, db)
        finally:
            both.close()
        if separate:
            # The rounds ran in the worker processes, none in the API processes.
            ran = "".join(worker.output() for worker in workers)
            assert "Starting job coachmatch:run_round" in ran, ran[-2000:]
            assert all("Starting job" not in s.output() for s in servers)
