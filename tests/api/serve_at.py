"""Serve the app on a port with the tests' fixed clock (`COACHMATCH_TEST_NOW`), the
rest of the settings from the environment. Started by `live_servers`, never by users.

To force a race, `COACHMATCH_TEST_RENDEZVOUS=module:function` makes the first calls of
that function, in every server process, wait for one another (files in
`COACHMATCH_TEST_RENDEZVOUS_DIR`, until `COACHMATCH_TEST_RENDEZVOUS_COUNT` have
arrived, or `COACHMATCH_TEST_RENDEZVOUS_SECONDS`, 8 by default, have passed) before
going on together.

`COACHMATCH_TEST_CLOCK_EPOCH` (an instant) makes the clock run: every process reads
`COACHMATCH_TEST_NOW` at that instant and time goes on from there, the same in all of
them (a heartbeat goes stale, a sweep sees it).
"""

from __future__ import annotations

import functools
import importlib
import logging
import os
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvicorn

from api.app import create_app
from api.clock import FixedClock
from api.settings import Settings


def _rendezvous(target: str, directory: Path, count: int, timeout: float = 8.0) -> None:
    module_name, name = target.split(":")
    module = importlib.import_module(module_name)
    original = getattr(module, name)
    lock = threading.Lock()
    calls = {"n": 0}

    @functools.wraps(original)
    def waiting(*args: Any, **kwargs: Any) -> Any:
        with lock:
            calls["n"] += 1
            first = calls["n"] <= count
        if first:
            (directory / f"{os.getpid()}-{uuid.uuid4().hex}").touch()
            deadline = time.monotonic() + timeout
            while len(list(directory.iterdir())) < count and time.monotonic() < deadline:
                time.sleep(0.005)
        return original(*args, **kwargs)

    setattr(module, name, waiting)


class RunningClock:
    """The tests' instant at the epoch, then running with the wall clock."""

    def __init__(self, now: datetime, epoch: datetime) -> None:
        self.offset = now - epoch

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def install_test_hooks() -> Any:
    """The rendezvous, if asked, and the process's clock (fixed, or running)."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if target := os.environ.get("COACHMATCH_TEST_RENDEZVOUS"):
        _rendezvous(
            target,
            Path(os.environ["COACHMATCH_TEST_RENDEZVOUS_DIR"]),
            int(os.environ["COACHMATCH_TEST_RENDEZVOUS_COUNT"]),
            float(os.environ.get("COACHMATCH_TEST_RENDEZVOUS_SECONDS", "8")),
        )
    now = datetime.fromisoformat(os.environ["COACHMATCH_TEST_NOW"])
    if epoch := os.environ.get("COACHMATCH_TEST_CLOCK_EPOCH"):
        return RunningClock(now, datetime.fromisoformat(epoch))
    return FixedClock(now)


if __name__ == "__main__":
    app = create_app(Settings(), clock=install_test_hooks())
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="info", proxy_headers=False)
