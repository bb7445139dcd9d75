"""Health, OpenAPI, the error format, and the command line."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.cli import main
from api.models import Person, User
from api.models.enums import Role


def test_health_and_docs(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json() == {"status": "ok", "database": "ok", "queue": "ok"}
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    example = spec["components"]["schemas"]["RequestCreate"]["examples"][0]
    assert example["language"] == "fr"


def test_errors_are_json_with_a_field(client: TestClient, hr: dict) -> None:
    unknown = client.get("/no/such/page")
    assert unknown.status_code == 404 and unknown.json() == {"detail": "Not Found", "field": None}
    bad_query = client.get("/people", headers=hr, params={"limit": 0})
    assert bad_query.status_code == 422 and bad_query.json()["field"] == "limit"
    bad_json = client.post(
        "/requests", headers={**hr, "Content-Type": "application/json"}, content=b"{not json"
    )
    assert bad_json.status_code == 422 and bad_json.json()["detail"]


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path) -> Path:
    monkeypatch.setenv("COACHMATCH_DATABASE_URL", database_url)
    monkeypatch.setenv("COACHMATCH_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("COACHMATCH_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("COACHMATCH_ARGON2_MEMORY_COST_KIB", "8")
    monkeypatch.setenv("COACHMATCH_ARGON2_PARALLELISM", "1")
    from api.settings import load_settings

    load_settings.cache_clear()
    yield tmp_path
    load_settings.cache_clear()


def test_cli_create_admin_then_sign_in(
    cli_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db: Session,
    client: TestClient,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("a very long password\n"))
    assert main(["create-admin", "--email", "Admin@Example.org", "--password-stdin"]) == 0
    assert "admin@example.org" in capsys.readouterr().out
    user = db.exec(select(User)).one()
    assert user.role == Role.hr and user.active
    response = client.post(
        "/auth/login", json={"email": "admin@example.org", "password": "a very long password"}
    )
    assert response.status_code == 200
    monkeypatch.setattr(sys, "stdin", io.StringIO("a very long password\n"))
    assert main(["create-admin", "--email", "admin@example.org", "--password-stdin"]) == 2
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["create-admin", "--email", "b@example.org", "--password-stdin"]) == 2
    assert "password" in capsys.readouterr().err


def test_cli_import_org(cli_env: Path, capsys: pytest.CaptureFixture[str], db: Session) -> None:
    good = cli_env / "org.csv"
    good.write_text(
        "id,name,email,manager_id,timezone\nE1,A,a@example.org,,UTC\nE2,B,b@example.org,E1,UTC\n"
    )
    assert main(["import-org", str(good)]) == 0
    assert "2 created" in capsys.readouterr().out
    assert len(db.exec(select(Person)).all()) == 2
    bad = cli_env / "bad.csv"
    bad.write_text("id,name,email,manager_id,timezone\nE1,A,a@example.org,E9,UTC\n")
    assert main(["import-org", str(bad)]) == 2
    assert "line 2 [manager_id]: unknown manager id 'E9'" in capsys.readouterr().err
    assert main(["import-org", str(cli_env / "missing.csv")]) == 2


def test_cli_send_outbox(
    cli_env: Path, capsys: pytest.CaptureFixture[str], db: Session, settings
) -> None:
    from email.message import EmailMessage

    from api_support import START

    from api.outbox import enqueue

    message = EmailMessage()
    message["To"] = "x@example.org"
    message["Subject"] = "S"
    message.set_content("B")
    enqueue(db, kind="t", dedupe_key="k", message=message, settings=settings, now=START)
    db.commit()
    assert main(["send-outbox"]) == 0
    assert capsys.readouterr().out.startswith("1 sent into")
    assert len(list((cli_env / "outbox").glob("*.eml"))) == 1
