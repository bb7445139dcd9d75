"""Real server processes on the test database, for logs and for races between processes.

`live_servers(url, count)` starts `count` uvicorn processes serving the app on free
localhost ports, on the same database, with the tests' fixed clock (so the world the
tests build is in their future), and yields their base URLs. `coachmatch_serve(url)`
runs the product's own `coachmatch serve` command instead, with the system clock.
Each process's output is kept in a file the caller can read after stopping them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
from api_support import START

LAUNCHER = Path(__file__).resolve().parent / "serve_at.py"
WORKER = Path(__file__).resolve().parent / "work_at.py"
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(database_url: str, tmp: Path, extra: dict[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACHMATCH_")}
    env.update(
        {
            "COACHMATCH_DATABASE_URL": database_url,
            "COACHMATCH_MIGRATE_ON_START": "false",
            "COACHMATCH_OUTBOX_INTERVAL_SECONDS": "0",
            "COACHMATCH_EMBEDDED_WORKER": "true",  # each server runs jobs, on both databases
            "COACHMATCH_OUTBOX_DIR": str(tmp / "outbox"),
            "COACHMATCH_BASE_URL": "http://testserver",
            "COACHMATCH_ARGON2_TIME_COST": "1",
            "COACHMATCH_ARGON2_MEMORY_COST_KIB": "8",
            "COACHMATCH_ARGON2_PARALLELISM": "1",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra or {})
    return env


def _wait_ready(server: Server, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited: {server.output()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{server.url}/health", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server not ready: {server.output()}")


def _start(command: list[str], port: int, env: dict[str, str], log: Path) -> Server:
    handle = log.open("wb")
    process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)
    handle.close()
    return Server(f"http://127.0.0.1:{port}", process, log)


def _stop(servers: list[Server]) -> None:
    for server in servers:
        server.process.terminate()
    for server in servers:
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@contextlib.contextmanager
def live_servers(
    database_url: str,
    tmp: Path,
    *,
    count: int = 2,
    now: datetime = START,
    env: dict[str, str] | None = None,
) -> Iterator[list[Server]]:
    """`count` processes of the app with a clock fixed at `now`."""
    servers: list[Server] = []
    base = _env(database_url, tmp, {"COACHMATCH_TEST_NOW": now.isoformat(), **(env or {})})
    try:
        for i in range(count):
            port = free_port()
            command = [sys.executable, str(LAUNCHER), str(port)]
            servers.append(_start(command, port, base, tmp / f"server-{i}.log"))
        for server in servers:
            _wait_ready(server)
        yield servers
    finally:
        _stop(servers)


def _wait_worker(worker: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            raise RuntimeError(f"worker exited: {worker.output()}")
        if "Starting worker" in worker.output():
            return
        time.sleep(0.1)
    raise RuntimeError(f"worker not started: {worker.output()}")


def start_worker(
    database_url: str,
    tmp: Path,
    name: str,
    *,
    now: datetime = START,
    env: dict[str, str] | None = None,
) -> Server:
    """One job worker process (the product's `run_worker`, the tests' clock), started."""
    base = _env(database_url, tmp, {"COACHMATCH_TEST_NOW": now.isoformat(), **(env or {})})
    base["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(Path(__file__).resolve().parent)])
    worker = _start([sys.executable, str(WORKER)], 0, base, tmp / f"{name}.log")
    worker.url = ""
    try:
        _wait_worker(worker)
    except RuntimeError:
        _stop([worker])
        raise
    return worker


def stop(processes: list[Server]) -> None:
    """Stop processes started here (politely, then not)."""
    _stop(processes)


@contextlib.contextmanager
def live_workers(
    database_url: str,
    tmp: Path,
    *,
    count: int = 2,
    now: datetime = START,
    env: dict[str, str] | None = None,
) -> Iterator[list[Server]]:
    """`count` job worker processes with a clock fixed at `now` (PostgreSQL)."""
    workers: list[Server] = []
    try:
        for i in range(count):
            workers.append(start_worker(database_url, tmp, f"worker-{i}", now=now, env=env))
        yield workers
    finally:
        _stop(workers)


@contextlib.contextmanager
def coachmatch_serve(
    database_url: str, tmp: Path, *, env: dict[str, str] | None = None, workers: int = 1
) -> Iterator[Server]:
    """The product's `coachmatch serve`, as an operator runs it."""
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    server = _start(command, port, _env(database_url, tmp, env), tmp / "serve.log")
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop([server])
