"""Numbers typed the reader's way: a French HR team writes "0,1" and "12,5" (the hint
says "par exemple 0,1"), an English one "0.1"; what is not a number is refused by its
field, with nothing written. Numbers shown with the language's separators."""

from __future__ import annotations

from decimal import Decimal

import pytest
from api_support import build_world, fresh, row_counts
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from test_web_access import HR
from web_support import as_user, bearer_token

from api.i18n.numbers import format_number, parse_number
from api.models import Coach
from api.settings import Settings
from api.web.viewer import LANG_COOKIE


@pytest.mark.parametrize(
    ("lang", "share", "hours", "rate"),
    [("fr", "0,1", "12,5", "1 250,50"), ("en", "0.1", "12.5", "1,250.50")],
)
def test_decimals_are_read_in_the_readers_language(
    lang: str,
    share: str,
    hours: str,
    rate: str,
    client: TestClient,
    db: Session,
    settings: Settings,
) -> None:
    world = build_world(db, settings, client)
    csrf = as_user(client, bearer_token(world["headers"][HR]))
    client.cookies.set(LANG_COOKIE, lang)
    base = {"csrf": csrf, "languages": "fr", "modalities": "remote"}
    internal = client.post(
        "/hr/coaches/new",
        data={**base, "kind": "internal", "person_id": "B1", "time_share": share,
              "hours_per_month": hours},
        follow_redirects=False,
    )  # fmt: skip
    assert internal.status_code == 303, internal.text
    coach = fresh(db).exec(select(Coach).where(Coach.time_share == 0.1)).one()
    assert coach.hours_per_month == 12.5
    external = client.post(
        "/hr/coaches/new",
        data={**base, "kind": "external", "name": "Jeanne Externe", "rate": rate,
              "vendor": "Cabinet A", "email": "jeanne@cabinet.example", "currency": "eur"},
        follow_redirects=False,
    )  # fmt: skip
    assert external.status_code == 303, external.text
    jeanne = fresh(db).exec(select(Coach).where(Coach.name == "Jeanne Externe")).one()
    assert jeanne.rate_per_session_cents == 125050


def test_what_is_not_a_number_is_refused_by_its_field(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    csrf = as_user(client, bearer_token(world["headers"][HR]))
    client.cookies.set(LANG_COOKIE, "fr")
    before = row_counts(db)
    bad = client.post(
        "/hr/coaches/new",
        data={"csrf": csrf, "kind": "internal", "person_id": "B1", "languages": "fr",
              "modalities": "remote", "time_share": "un dixième"},
    )  # fmt: skip
    assert bad.status_code == 422
    assert 'id="time_share-error"' in bad.text
    assert 'value="un dixième"' in bad.text  # kept as typed
    assert row_counts(db) == before


def test_numbers_are_written_and_read_by_cldr() -> None:
    assert format_number(12500.5, "fr", digits=2) == "12\u202f500,50"
    assert format_number(12500.5, "en", digits=2) == "12,500.50"
    assert parse_number("0,1", "fr") == parse_number("0.1", "fr") == Decimal("0.1")
    assert parse_number("1 234,5", "fr") == Decimal("1234.5")
    with pytest.raises(ValueError):
        parse_number("abc", "fr")
