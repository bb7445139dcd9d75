"""Issue 8 item 15: one email rule everywhere (email-validator, no DNS).

The org import accepted `paul.hélène@example.org` while the invite writer refused it, so
confirming that coachee's proposal failed with a 422. Now the service's check and the
calendar core's are one function: an address is accepted by both or by neither, in the same
normalised form, and every entry point refuses an internationalised local part naming the
field (or the CSV line)."""

from __future__ import annotations

import io
import sys

import pytest
from api_support import add_person, row_counts
from fastapi.testclient import TestClient
from sqlmodel import Session
from test_api_org_import_limits import cli_db  # noqa: F401 - a fixture

from api import cli
from api.i18n.errors import translate_message
from api.settings import Settings
from api.validation import check_email
from scheduling.errors import InvalidCalendarDataError
from scheduling.ical_common import Mailbox

HEADER = "id,name,email,manager_id,timezone\n"
FOREIGN = "paul.hélène@example.org"
NOT_MAILABLE = "has characters that cannot be mailed before the @ (éè)"

SAMPLES = [
    FOREIGN,
    "Paul.Helene@Example.ORG",
    "  padded@example.org ",
    "a@bücher.de",
    "a+tag@corp.example",
    "o'brien@example.org",
    "a..b@example.org",
    "a b@example.org",
    '"quoted"@example.org',
    "a@localhost",
    "a@b.test",
    "a@[10.0.0.1]",
    "no-at-sign",
    "a@-bad-.org",
    "x" * 250 + "@example.org",
    "",
]


def service_rule(address: str) -> str | None:
    try:
        return check_email(address)
    except ValueError:
        return None


def calendar_rule(address: str) -> str | None:
    try:
        return Mailbox(address).email
    except InvalidCalendarDataError:
        return None


@pytest.mark.parametrize("address", SAMPLES)
def test_the_service_and_the_calendar_core_agree(address: str) -> None:
    assert service_rule(address) == calendar_rule(address)


def test_the_normal_form_is_ascii_and_lower_case() -> None:
    assert check_email(" Paul.Helene@Example.ORG ") == "paul.helene@example.org"
    assert check_email("a@bücher.de") == "a@xn--bcher-kva.de"  # mailable without SMTPUTF8
    with pytest.raises(ValueError) as err:
        check_email(FOREIGN)
    assert str(err.value) == NOT_MAILABLE
    assert translate_message(NOT_MAILABLE, "fr").startswith(
        "Cette adresse contient avant le @ des caractères qui ne passent pas par e-mail (éè)"
    )


def test_the_org_import_refuses_the_address_naming_its_line(
    client: TestClient, hr: dict, db: Session
) -> None:
    csv = HEADER + "E1,Paul Hélène,paul.hélène@example.org,,Europe/Paris\n"
    csv += "E2,Ann Idn,Ann@Bücher.de,,Europe/Paris\n"
    before = row_counts(db)
    response = client.post("/people/import", headers=hr, files={"file": ("o.csv", csv.encode())})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"line": 2, "field": "email", "message": NOT_MAILABLE}]
    assert row_counts(db) == before
    fixed = csv.replace("paul.hélène", "paul.helene")
    done = client.post("/people/import", headers=hr, files={"file": ("o.csv", fixed.encode())})
    assert done.status_code == 200, done.text
    emails = {p["email"] for p in client.get("/people", headers=hr).json()["items"]}
    assert emails == {"paul.helene@example.org", "ann@xn--bcher-kva.de"}


def test_every_api_entry_point_refuses_it_naming_the_field(
    client: TestClient, hr: dict, db: Session
) -> None:
    person = add_person(db, "E1")
    before = row_counts(db)
    for path, body in [
        ("/users/invitations", {"role": "hr", "email": FOREIGN}),
        ("/users/invitations", {"role": "coachee", "person_id": person.id, "email": FOREIGN}),
        (
            "/coaches",
            {
                "kind": "external",
                "name": "Hélène",
                "email": FOREIGN,
                "vendor": "Acme",
                "rate_per_session_cents": 100,
                "currency": "EUR",
                "languages": ["fr"],
                "modalities": ["remote"],
            },
        ),
    ]:
        response = client.post(path, headers=hr, json=body)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["field"] == "email", (path, response.text)
        assert response.json()["detail"] == f"email: {NOT_MAILABLE}", path
    assert row_counts(db) == before


@pytest.mark.usefixtures("cli_db")
def test_create_admin_and_the_settings_refuse_it(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("a very long password\n"))
    assert cli.main(["create-admin", "--email", FOREIGN, "--password-stdin"]) == 2
    assert NOT_MAILABLE in capsys.readouterr().err
    with pytest.raises(ValueError, match="cannot be mailed"):
        Settings(database_url=settings.database_url, programme_mailbox=FOREIGN)
