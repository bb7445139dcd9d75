"""Fixtures for the service tests: one fresh, migrated database per test, the real app.

The database is SQLite (a copy of a file migrated once with Alembic), or PostgreSQL when
COACHMATCH_TEST_DATABASE_URL is set (a new schema per test, migrated with Alembic, dropped
afterwards), so CI runs the whole suite once on each.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from api_support import START
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session

from api.app import create_app
from api.clock import FixedClock
from api.db import make_engine, upgrade_database
from api.settings import Settings

PG_URL = os.environ.get("COACHMATCH_TEST_DATABASE_URL")
BACKENDS = ["postgresql"] if PG_URL else ["sqlite"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "coachmatch.db"
    upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    if request.param == "sqlite":
        target = tmp_path / "coachmatch.db"
        shutil.copyfile(sqlite_template, target)
        yield f"sqlite:///{target}"
        return
    assert PG_URL is not None
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    # synchronous_commit=off: tests need no durability, and commits get 10x faster
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    url = f"{PG_URL}{sep}options={quote(options)}"
    try:
        upgrade_database(url)
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        outbox_dir=tmp_path / "outbox",
        outbox_interval_seconds=0,
        embedded_worker=True,  # rounds run as jobs in the app, on both databases
        lifecycle_chores=False,  # reminders and digests: run by the tests that check them
        smtp_url=None,
        base_url="http://testserver",
        argon2_time_cost=1,
        argon2_memory_cost_kib=8,
        argon2_parallelism=1,
        migrate_on_start=True,
    )


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session on the test database, for seeding and checking behind the API's back."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def app(settings: Settings, clock: FixedClock) -> FastAPI:
    return create_app(settings, clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def hr(db: Session, settings: Settings, client: TestClient) -> dict[str, str]:
    """Authorization headers of a signed-in HR administrator."""
    from api_support import add_user, login

    from api.models.enums import Role

    user = add_user(db, settings, Role.hr, email="hr@example.org")
    return login(client, user.email)
