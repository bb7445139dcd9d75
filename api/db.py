"""Engine creation and Alembic migrations, for SQLite and PostgreSQL alike."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")  # a no-op for in-memory databases
    # With WAL, NORMAL never corrupts the database; it only syncs at checkpoints.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url` with foreign keys enforced and, on SQLite, WAL journaling.
    Every session then records its changes in the audit log (`api.audit.capture`)."""
    from api.audit.capture import install

    install()
    if url.startswith("sqlite"):
        connect_args = {"check_same_thread": False}
        if url in {"sqlite://", "sqlite:///:memory:"}:
            # One shared connection, or every connection sees its own empty database.
            kwargs["poolclass"] = StaticPool
            kwargs.pop("pool_size", None)
            kwargs.pop("max_overflow", None)
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def service_objects(name: str | None, type_: str, parent_names: Any) -> bool:
    """The service's own tables (the job queue's, on PostgreSQL, are Procrastinate's)."""
    return not (type_ == "table" and (name or "").startswith("procrastinate_"))


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(target: str | Engine, revision: str = "head") -> None:
    """Apply migrations up to `revision` on a URL or an existing engine."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if isinstance(target, str):
            engine.dispose()
    log.info("database migrated to %s", revision)


def downgrade_database(target: str | Engine, revision: str) -> None:
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        if isinstance(target, str):
            engine.dispose()


def get_or_404(session: Session, model: type[Any], row_id: int, what: str) -> Any:
    """The row, or NotFound naming what was looked for."""
    from api import messages
    from api.errors import NotFound

    row = session.get(model, row_id)
    if row is None:
        raise NotFound(messages.NOT_FOUND.format(what=what))
    return row
