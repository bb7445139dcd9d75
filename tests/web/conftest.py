"""Fixtures for the web pages: the API tests' database fixtures (SQLite, or a PostgreSQL
schema when COACHMATCH_TEST_DATABASE_URL is set), the real app served by uvicorn on a free
localhost port, and one headless Chromium for the session.

Browser tests fail when Chromium is missing and CI is set; locally they skip with the
reason when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

API_TESTS = Path(__file__).resolve().parents[1] / "api"
sys.path.insert(0, str(API_TESTS))

# The database, settings, app and client fixtures are the API tests' own, reused as is.
_spec = importlib.util.spec_from_file_location("api_tests_conftest", API_TESTS / "conftest.py")
assert _spec is not None and _spec.loader is not None
_api_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_api_fixtures)
sqlite_template = _api_fixtures.sqlite_template
database_url = _api_fixtures.database_url
clock = _api_fixtures.clock
settings = _api_fixtures.settings
engine = _api_fixtures.engine
db = _api_fixtures.db
app = _api_fixtures.app
client = _api_fixtures.client

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Screenshots outlive the run (CI keeps them as artefacts): one folder per test.
ARTEFACTS = Path(
    os.environ.get("COACHMATCH_TEST_ARTEFACTS", Path(__file__).resolve().parents[2] / "artefacts")
)


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    """The folder where this test keeps its screenshots (artefacts/screenshots/<test>)."""
    name = "".join(c if c.isalnum() or c in "-_.[]" else "_" for c in request.node.name)
    folder = ARTEFACTS / "screenshots" / Path(request.node.path).stem / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One Chromium with a fresh profile; each test gets a clean page (cookies cleared)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: .ci/run installs it (apt-get)")
        pytest.skip(f"no Chromium at {CHROMIUM}: browser tests skipped (CI runs them)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        locale="en-GB",
    )
    try:
        yield context
    finally:
        context.close()
        playwright.stop()


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[str]:
    """The app served over real HTTP on a free port, in a background thread."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:  # start-up, not an assertion: give up only if the thread died
        if not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


@pytest.fixture
def page(browser_context: Any, live_server: str) -> Iterator[Any]:
    browser_context.clear_cookies()
    page = browser_context.new_page()
    # Generous: on a loaded machine (CI beside other jobs, load average 10 on 2 cores) a
    # page of the in-process server took over 15 s once; a hang still fails, a minute on.
    page.set_default_timeout(60_000)
    try:
        yield page
    finally:
        page.close()
