"""Migrations, UTC datetimes and engine settings, on the database under test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from api_support import add_person, fresh
from pydantic import ValidationError
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session, SQLModel

import api.models  # noqa: F401
from api.db import alembic_config, downgrade_database, service_objects, upgrade_database
from api.models import Person
from api.settings import Settings


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": service_objects}
        )
        assert compare_metadata(context, SQLModel.metadata) == []
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert head is not None and context.get_current_revision() == head


def test_downgrade_and_upgrade_again(engine: Engine) -> None:
    downgrade_database(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade_database(engine)
    assert "coaching_request" in inspect(engine).get_table_names()


def test_datetimes_come_back_aware_utc(db: Session) -> None:
    paris = timezone(timedelta(hours=2))
    person = add_person(db, "E1")
    person.updated_at = datetime(2026, 6, 1, 10, 30, tzinfo=paris)
    db.add(person)
    db.commit()
    stored = fresh(db).get(Person, person.id)
    assert stored.updated_at == datetime(2026, 6, 1, 8, 30, tzinfo=UTC)
    assert stored.updated_at.tzinfo == UTC
    # Comparisons in SQL agree on both databases.
    later = db.execute(
        text("SELECT count(*) FROM person WHERE updated_at > :t"),
        {"t": datetime(2026, 6, 1, 8, 29)},  # naive UTC literal works on both
    ).scalar_one()
    assert later == 1


def test_naive_datetimes_are_refused(db: Session) -> None:
    person = add_person(db, "E1")
    person.updated_at = datetime(2026, 6, 1, 10, 30)
    db.add(person)
    with pytest.raises(Exception, match="timezone-aware"):
        db.commit()
    db.rollback()


def test_sqlite_pragmas(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"


def test_foreign_keys_are_enforced(db: Session) -> None:
    from sqlalchemy.exc import IntegrityError

    person = add_person(db, "E1")
    person.manager_id = 999_999
    db.add(person)
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_settings_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACHMATCH_DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("COACHMATCH_SESSION_TTL", "3600")
    monkeypatch.setenv("COACHMATCH_SMTP_URL", "smtp://127.0.0.1:8025")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.session_ttl == timedelta(hours=1)
    assert settings.outbox_dir.name == "outbox"
    assert settings.default_timezone == "Europe/Paris"
    monkeypatch.setenv("COACHMATCH_DEFAULT_TIMEZONE", "America/Montreal")
    assert Settings().default_timezone == "America/Montreal"
    for name, value in [
        ("COACHMATCH_DEFAULT_TIMEZONE", "Mars/Olympus_Mons"),
        ("COACHMATCH_DEFAULT_TIMEZONE", "Paris"),
        ("COACHMATCH_DATABASE_URL", "mysql://x"),
        ("COACHMATCH_SMTP_URL", "http://mail"),
        ("COACHMATCH_BASE_URL", "not a url"),
        ("COACHMATCH_PROGRAMME_MAILBOX", "nobody"),
    ]:
        monkeypatch.setenv(name, value)
        with pytest.raises(ValidationError) as info:
            Settings()
        assert name.removeprefix("COACHMATCH_").lower() in str(info.value)
        monkeypatch.delenv(name)
