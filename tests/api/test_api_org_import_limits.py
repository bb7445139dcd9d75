"""Issue 8 item 11, the org chart: a file with a huge number of errors gets a small answer
(the first 100 and the count), and an import that would deactivate more than the set share
of the people (a header-only file: everyone) needs an explicit confirmation, by the API, the
CLI and the web page; refused, it changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_support import add_person, add_user, fresh
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from api import cli
from api.i18n.errors import translate_message
from api.models import Person, User
from api.models.enums import Role
from api.settings import Settings, load_settings

HEADER = "id,name,email,manager_id,timezone\n"


def upload(client: TestClient, headers: dict[str, str], text: str, **params: str):
    files = {"file": ("org.csv", text.encode(), "text/csv")}
    return client.post("/people/import", headers=headers, files=files, params=params)


def staff(db: Session, settings: Settings, count: int = 10) -> list[Person]:
    """`count` people, the first two with an account."""
    people = [add_person(db, f"E{i}") for i in range(count)]
    for person in people[:2]:
        add_user(db, settings, Role.coachee, email=person.email, person=person)
    return people


def org_of(people: list[Person]) -> str:
    return HEADER + "".join(f"{p.external_id},{p.name},{p.email},,Europe/Paris\n" for p in people)


def active(db: Session) -> tuple[int, int]:
    db = fresh(db)
    people = db.exec(select(Person).where(col(Person.active).is_(True))).all()
    users = db.exec(select(User).where(col(User.active).is_(True))).all()
    return len(people), len(users)


def test_many_errors_answer_with_the_first_hundred_and_the_count(
    client: TestClient, hr: dict
) -> None:
    bad = HEADER + "".join(f"E{i},Name {i},not-an-email-{i},,Europe/Paris\n" for i in range(20_000))
    response = upload(client, hr, bad)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "the org chart was not imported: 20000 error(s)"
    assert body["field"] == "file"
    assert body["error_count"] == 20_000
    assert len(body["errors"]) == 100
    assert [e["line"] for e in body["errors"]] == list(range(2, 102))  # the first, in order
    assert body["errors"][0] == {
        "line": 2,
        "field": "email",
        "message": "is not a valid email address",
    }
    assert len(response.content) < 20_000  # was 76 MB for 999,999 errors


def test_errors_found_after_the_rows_are_listed_by_line(client: TestClient, hr: dict) -> None:
    """Unknown managers are found after every row is read; the list stays in line order."""
    lines = [
        f"E{i},Name {i},e{i}@example.org,{'NOBODY' if i % 2 else ''},Europe/Paris\n"
        for i in range(400)
    ]
    lines[300] = "E300,Name 300,broken,,Europe/Paris\n"
    body = upload(client, hr, HEADER + "".join(lines)).json()
    assert body["error_count"] == 201
    assert [e["line"] for e in body["errors"]] == [2 + i for i in range(1, 200, 2)]


def test_a_header_only_file_needs_confirmation(
    client: TestClient, hr: dict, db: Session, settings: Settings
) -> None:
    staff(db, settings)
    assert active(db) == (10, 3)  # HR's account has no person

    refused = upload(client, hr, HEADER)
    assert refused.status_code == 409, refused.text
    assert refused.json() == {
        "detail": "this import would deactivate 10 of 10 people (2 accounts), more than 20%: "
        "check the file, then confirm the deactivations",
        "field": "confirm_deactivations",
        # the message's code and values: a client words it in its own language
        "code": "CSV_DEACTIVATIONS",
        "params": {"count": 10, "active": 10, "accounts": 2, "share": 20},
        "deactivations": 10,
        "accounts_deactivated": 2,
    }
    assert translate_message(refused.json()["detail"], "fr").startswith(
        "Cet import désactiverait 10 personnes sur 10 (2 comptes), plus de 20\u00a0%"
    )
    assert active(db) == (10, 3)

    dry = upload(client, hr, HEADER, dry_run="true")
    assert dry.status_code == 200
    assert dry.json()["confirmation_required"] is True and dry.json()["deactivated"] == 10
    assert active(db) == (10, 3)

    done = upload(client, hr, HEADER, confirm_deactivations="true")
    assert done.status_code == 200, done.text
    assert done.json()["deactivated"] == 10 and done.json()["accounts_deactivated"] == 2
    assert active(db) == (0, 1)


@pytest.mark.parametrize(("removed", "status"), [(2, 200), (3, 409)])
def test_the_share_is_a_setting_and_counts_active_people(
    client: TestClient, hr: dict, db: Session, settings: Settings, removed: int, status: int
) -> None:
    people = staff(db, settings)  # 20% of 10 people may leave without confirmation
    response = upload(client, hr, org_of(people[removed:]))
    assert response.status_code == status, response.text
    settings.org_max_deactivation_share = 0.5
    assert upload(client, hr, org_of(people[removed:])).status_code == 200


@pytest.fixture
def cli_db(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI reads its settings from the environment (cached): point it at this test's
    database."""
    monkeypatch.setenv("COACHMATCH_DATABASE_URL", settings.database_url)
    load_settings.cache_clear()
    yield
    load_settings.cache_clear()


def test_the_cli_asks_for_the_flag(
    db: Session, settings: Settings, tmp_path, cli_db: None, capsys
) -> None:
    staff(db, settings)
    csv = tmp_path / "org.csv"
    csv.write_text(HEADER)
    assert cli.main(["import-org", str(csv)]) == 2
    assert "would deactivate 10 of 10 people" in capsys.readouterr().err
    assert active(db) == (10, 2)
    assert cli.main(["import-org", str(csv), "--dry-run"]) == 0
    assert "--confirm-deactivations" in capsys.readouterr().out
    assert cli.main(["import-org", str(csv), "--confirm-deactivations"]) == 0
    assert active(db) == (0, 0)


def test_the_cli_shows_the_first_errors_and_the_count(
    db: Session, settings: Settings, tmp_path, cli_db: None, capsys
) -> None:
    csv = tmp_path / "org.csv"
    csv.write_text(HEADER + "".join(f"E{i},N,bad{i},,Europe/Paris\n" for i in range(150)))
    assert cli.main(["import-org", str(csv)]) == 2
    err = capsys.readouterr().err
    assert "150 error(s)" in err and "... and 50 more" in err
    assert err.count("[email]") == 100
