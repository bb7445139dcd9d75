"""Load on loopback with `wrk`: feeds with and without `If-None-Match`, request
submission, availability reads and a round's page while it runs, at 1, 2 and 4 web
processes (`coachmatch serve --workers N`) on SQLite and PostgreSQL, beside a bare
FastAPI endpoint as the ceiling. 100 connections, a few seconds each: bounded.

The programme is the demo's, plus one coach with 14 planned sessions (the feed).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

CONNECTIONS = 100
SECONDS = 5
PROCESSES = (1, 2, 4)
PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
ROOT = Path(__file__).resolve().parents[1]

CEILING_APP = """
from fastapi import FastAPI
app = FastAPI()

@app.get("/ping")
def ping() -> dict[str, str]:
    return {"status": "ok"}
"""


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    failed: str = ""  # why the row could not be measured
    cpu_ms: float = float("nan")  # the server's CPU (every process) per request


def _row(measure: Any, *args: Any, **kwargs: Any) -> Result:
    """One row; a failure (the server stopped answering) is reported, not raised."""
    try:
        result: Result = measure(*args, **kwargs)
        return result
    except (
        httpx.HTTPError,
        subprocess.CalledProcessError,
        KeyError,
        ValueError,
        AttributeError,
    ) as exc:
        return Result(0.0, 0.0, 0.0, 0, failed=f"{type(exc).__name__}: {exc}"[:120])


def _wrk_binary() -> str | None:
    found = shutil.which("wrk")
    if found is None and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True, check=False)
        found = shutil.which("wrk")
    return found


def _ms(value: str) -> float:
    found = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    if found is None:  # no request completed: wrk prints no latency
        return float("nan")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by `pid` and every process below it
    (uvicorn's workers); NaN where /proc is not there."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}  # pid -> (parent, seconds)
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    if pid not in stats:
        return float("nan")
    tree, more = {pid}, True
    while more:
        below = {p for p, (parent, _) in stats.items() if parent in tree} - tree
        more = bool(below)
        tree |= below
    return sum(stats[p][1] for p in tree)


def wrk(
    url: str,
    *,
    headers: dict[str, str] | None = None,
    script: str | None = None,
    pid: int | None = None,
) -> Result:
    command = [
        _wrk_binary() or "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{SECONDS}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    before = _tree_cpu(pid) if pid else float("nan")
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    used = _tree_cpu(pid) - before if pid else float("nan")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    errors = 0
    for pattern in (r"Non-2xx or 3xx responses:\s+(\d+)", r"Socket errors:.*?timeout (\d+)"):
        found = re.search(pattern, out)
        if found:
            errors += int(found.group(1))
    done = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return Result(rps, p50, p99, errors, cpu_ms=1000 * used / done if done else float("nan"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not start")


class Server:
    def __init__(self, command: list[str], env: dict[str, str], health: str) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (read when it fails to start)
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=self.log
        )
        try:
            _wait(health, self.process)
        except RuntimeError:
            self.log.seek(0)
            tail = self.log.read().decode(errors="replace")[-3000:]
            raise RuntimeError(f"{' '.join(command)}: did not start\n{tail}") from None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _env(database_url: str, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACHMATCH_")}
    env.update(
        {
            "COACHMATCH_DATABASE_URL": database_url,
            "COACHMATCH_OUTBOX_DIR": str(tmp / "outbox"),
            "COACHMATCH_OUTBOX_INTERVAL_SECONDS": "0",
            "COACHMATCH_LOG_FORMAT": "text",
            "COACHMATCH_ARGON2_TIME_COST": "1",
            "COACHMATCH_ARGON2_MEMORY_COST_KIB": "8",
            "COACHMATCH_ARGON2_PARALLELISM": "1",
            # wrk hammers from one address: keep the sign-in and feed brakes out of it
            "COACHMATCH_LOGIN_MAX_FAILURES_PER_CLIENT": "1000000",
            "PYTHONPATH": str(ROOT),
        }
    )
    if not database_url.startswith("sqlite"):
        env["COACHMATCH_EMBEDDED_WORKER"] = "true"  # the round below needs a worker
    return env


def _seed(database_url: str) -> dict[str, Any]:
    """The demo programme and a coach with 14 planned sessions; returns tokens and ids."""
    from sqlmodel import Session, select

    from api.accounts.service import create_user
    from api.clock import SystemClock
    from api.db import make_engine, upgrade_database
    from api.demo.load import load_demo
    from api.feeds.service import rotate
    from api.models import Coach, CoachingRequest, CoachingSession, Engagement, User
    from api.models.enums import EngagementStatus, RequestStatus, Role, SessionStatus
    from api.security import Passwords
    from api.settings import Settings

    upgrade_database(database_url)
    settings = Settings(
        database_url=database_url,
        argon2_time_cost=1,
        argon2_memory_cost_kib=8,
        argon2_parallelism=1,
    )
    engine = make_engine(database_url)
    try:
        now = SystemClock().now()
        load_demo(engine=engine, settings=settings, now=now)
        with Session(engine, expire_on_commit=False) as session:
            coach_user = session.exec(select(User).where(User.role == Role.coach)).first()
            assert coach_user is not None and coach_user.coach_id is not None
            coach = session.get_one(Coach, coach_user.coach_id)
            requests = session.exec(select(CoachingRequest).limit(4)).all()
            start = (now + timedelta(days=2)).replace(hour=8, minute=0, second=0, microsecond=0)
            week = 0
            for request, count in zip(requests, (4, 4, 3, 3), strict=True):  # 14 sessions
                request.status = RequestStatus.matched
                engagement = Engagement(
                    request_id=request.id or 0,
                    coach_id=coach.id or 0,
                    status=next(iter(EngagementStatus)),
                    confirmed_at=now,
                    created_at=now,
                    updated_at=now,
                )
                session.add_all([request, engagement])
                session.flush()
                for index in range(1, count + 1):
                    begin = start + timedelta(days=7 * week)
                    week += 1
                    session.add(
                        CoachingSession(
                            engagement_id=engagement.id or 0,
                            number=index,
                            start_at=begin,
                            end_at=begin + timedelta(hours=1),
                            status=SessionStatus.planned,
                            uid=f"bench-{engagement.id}-{index}@coachmatch.bench",
                            last_change_at=now,
                            created_at=now,
                        )
                    )
            session.commit()
            token, _ = rotate(session=session, user=coach_user, now=now)
            hr = create_user(
                session=session,
                passwords=Passwords(settings),
                settings=settings,
                email=f"bench.hr.{int(time.time())}@example.org",
                password="bench password 123",
                name="Bench HR",
                role=Role.hr,
                now=now,
            )
            coachee = session.exec(select(CoachingRequest.coachee_id)).first()
            return {
                "feed": token,
                "hr_email": hr.email,
                "coach_email": coach_user.email,
                "coachee_id": coachee,
            }
    finally:
        engine.dispose()  # or dropdb finds the database in use and leaves it


def _sign_in(base: str, email: str, password: str) -> str:
    response = httpx.post(
        f"{base}/auth/login", json={"email": email, "password": password}, timeout=60
    )
    response.raise_for_status()
    token: str = response.json()["token"]
    return token


def _post_script(tmp: Path, coachee_id: int, token: str) -> str:
    script = tmp / "submit.lua"
    body = (
        f'{{"coachee_id": {coachee_id}, "coaching_type": "coaching", "language": "fr", '
        '"themes": ["leadership"], "description": "bench"}'
    )
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = '{body}'\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
    )
    return str(script)


def _database(kind: str, tmp: Path) -> str:
    if kind == "SQLite":
        return f"sqlite:///{tmp / 'load.db'}"
    name = f"coachmatch_load_{os.getpid()}"
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    return f"{PG}/{name}"


def _drop(kind: str, url: str) -> None:
    if kind != "SQLite":
        name = url.rsplit("/", 1)[1]
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name])


def _round_page(base: str, auth: dict[str, str], pid: int) -> Result:
    """The round's page read while a 30-second preview runs (stopped afterwards)."""
    started = httpx.post(
        f"{base}/rounds/preview", json={"time_limit_seconds": 30}, headers=auth, timeout=60
    )
    page = f"{base}/rounds/{started.json()['id']}"
    try:
        return wrk(page, headers=auth, pid=pid)
    finally:
        httpx.post(f"{page}/cancel", headers=auth, timeout=60)


def measure(kind: str) -> list[tuple[int, str, Result]]:
    tmp = Path(tempfile.mkdtemp(prefix="coachmatch-load-"))
    url = _database(kind, tmp)
    try:
        seeded = _seed(url)
        out: list[tuple[int, str, Result]] = []
        for workers in PROCESSES:
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            command = [
                sys.executable, "-m", "api.cli", "serve", "--port", str(port),
                "--workers", str(workers),
            ]  # fmt: skip
            server = Server(command, _env(url, tmp), f"{base}/health")
            try:
                hr = _sign_in(base, seeded["hr_email"], "bench password 123")
                coach = _sign_in(base, seeded["coach_email"], "coachmatch-coach")
                feed = f"{base}/feeds/{seeded['feed']}.ics"
                etag = httpx.get(feed, timeout=60).headers["etag"]
                pid = server.process.pid
                out.append((workers, "feed (200)", _row(wrk, feed, pid=pid)))
                out.append(
                    (
                        workers,
                        "feed (304)",
                        _row(wrk, feed, headers={"If-None-Match": etag}, pid=pid),
                    )
                )
                out.append(
                    (
                        workers,
                        "availability read",
                        _row(
                            wrk,
                            f"{base}/me/availability",
                            headers={"Authorization": f"Bearer {coach}"},
                            pid=pid,
                        ),
                    )
                )
                auth = {"Authorization": f"Bearer {hr}"}
                out.append(
                    (workers, "round page, round running", _row(_round_page, base, auth, pid))
                )
                # last: each submission adds a request, so the round above sees the demo only
                script = _post_script(tmp, seeded["coachee_id"], hr)
                out.append(
                    (
                        workers,
                        "request submission",
                        _row(wrk, f"{base}/requests", script=script, pid=pid),
                    )
                )
            finally:
                server.stop()
        return out
    finally:
        _drop(kind, url)
        shutil.rmtree(tmp, ignore_errors=True)


def ceiling() -> Result:
    tmp = Path(tempfile.mkdtemp(prefix="coachmatch-ceiling-"))
    (tmp / "ceiling.py").write_text(CEILING_APP)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(tmp)}
    command = [
        sys.executable, "-m", "uvicorn", "ceiling:app", "--port", str(port),
        "--log-level", "warning",
    ]  # fmt: skip
    server = Server(command, env, f"http://127.0.0.1:{port}/ping")
    try:
        return wrk(f"http://127.0.0.1:{port}/ping", pid=server.process.pid)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def _ms_cell(value: float) -> str:
    return "—" if value != value else f"{value:.1f} ms"  # NaN: not measured


def _verdicts(top: Result, rows: list[tuple[str, int, str, Result]]) -> list[str]:
    """The issue's targets, each with the best value measured in this run."""
    done = [(kind, n, what, r) for kind, n, what, r in rows if not r.failed]
    feeds = [row for row in done if row[2].startswith("feed")]
    not_modified = [row for row in done if row[2] == "feed (304)"]
    errors = sum(r.errors for *_, r in done) + sum(1 for *_, r in rows if r.failed)
    lines = []
    if feeds:
        kind, n, what, best = min(feeds, key=lambda row: row[3].p99_ms)
        met = "met" if best.p99_ms < 50 else "not met"
        lines.append(
            f"- Feed p99 < 50 ms at {CONNECTIONS} connections: **{met}**; best "
            f"{best.p99_ms:.0f} ms ({what}, {kind}, {n} process(es)). With {CONNECTIONS} "
            "connections each sending its next request as soon as the last is answered, "
            f"latency is about {CONNECTIONS} / rate: a p99 under 50 ms needs more than "
            f"{CONNECTIONS / 0.05:,.0f} requests/s, beyond the bare ceiling itself here "
            f"(p99 {top.p99_ms:.0f} ms at {top.rps:,.0f} requests/s)."
        )
    if not_modified:
        kind, n, _, best = max(not_modified, key=lambda row: row[3].rps)
        ratio = best.rps / top.rps
        met = "met" if ratio >= 0.5 else "not met"
        lines.append(
            f"- 304s at ≥ 50 % of the ceiling's rate: **{met}**; best {ratio:.0%} "
            f"({best.rps:,.0f} requests/s, {kind}, {n} process(es)), "
            f"{best.cpu_ms:.1f} ms of server CPU per 304 against {top.cpu_ms:.1f} ms for "
            "the ceiling's request."
        )
    lines.append(f"- No errors: **{'met' if errors == 0 else 'not met'}** ({errors}).")
    return lines


def run() -> str:
    if _wrk_binary() is None:
        return "## Load\n\n`wrk` is not installed (`apt-get install wrk`): load not measured.\n"
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    top = ceiling()
    rows = [(kind, n, what, r) for kind in ("SQLite", "PostgreSQL") for n, what, r in measure(kind)]
    load_after = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        "## Load (wrk, loopback)",
        "",
        f"{CONNECTIONS} connections, {SECONDS} s per row, 2 wrk threads, on the same 2-core "
        "machine as the servers (so wrk takes part of the CPU). The ceiling is a bare "
        f"FastAPI endpoint in one uvicorn process: **{top.rps:,.0f} requests/s**, p50 "
        f"{top.p50_ms:.1f} ms, p99 {top.p99_ms:.1f} ms, {top.cpu_ms:.1f} ms of server CPU "
        "per request. Targets: feed p99 < 50 ms, 304s at ≥ 50 % of the ceiling's rate, "
        "no errors. The machine is shared: compare a row with the ceiling of the same run "
        "(ratio) and by its server CPU per request (all the server's processes, the "
        "running round's solver included on the round page's rows), steadier than rates.",
        "",
        "| database | processes | endpoint | requests/s | vs ceiling | p50 | p99 "
        "| server CPU / request | errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, workers, what, result in rows:
        if result.failed:
            lines.append(f"| {kind} | {workers} | {what} | — | — | — | — | — | {result.failed} |")
            continue
        lines.append(
            f"| {kind} | {workers} | {what} | {result.rps:,.0f} | "
            f"{result.rps / top.rps:.0%} | {result.p50_ms:.1f} ms | "
            f"{result.p99_ms:.1f} ms | {_ms_cell(result.cpu_ms)} | {result.errors} |"
        )
    lines += ["", "Targets:", "", *_verdicts(top, rows), ""]
    lines.append(
        f"_Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {load_before} "
        f"before and {load_after} after (1, 5, 15 min). The round page is read while a "
        "30-second preview of the demo programme runs in the web processes' worker._"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
