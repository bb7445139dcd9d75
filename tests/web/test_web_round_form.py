"""HR's round form (/hr/rounds), read as a pydantic form model: the button pressed picks
a preview or a stored round, the checkboxes and numbers reach the round's parameters, the
form's token makes a second click the same round, and a refused value is said next to its
field with the form filled in again. Through the real app and database."""

from __future__ import annotations

import pytest
from api_support import fresh
from fastapi.testclient import TestClient
from rounds_support import build_programme, fast
from sqlmodel import Session, col, select
from web_support import as_user, bearer_token

from api.models import MatchingRound
from api.models.enums import RoundKind
from api.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def _rounds(db: Session) -> list[MatchingRound]:
    return list(fresh(db).exec(select(MatchingRound).order_by(col(MatchingRound.id))))


def test_the_form_starts_the_round_it_says_once_per_token(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    csrf = as_user(client, bearer_token(w["hr"]))
    form = {
        "csrf": csrf,
        "action": "commit",
        "horizon_weeks": " 6 ",
        "proposals": "2",
        "seed": "7",
        "history": "avoid",
        "exclude_same_unit": "on",
        "round_token": "tok-1",
    }  # exclude_peers left unticked: off
    first = client.post("/hr/rounds", data=form, follow_redirects=False)
    assert first.status_code == 303, first.text
    rounds = _rounds(db)
    assert len(rounds) == 1 and first.headers["location"] == f"/hr/rounds/{rounds[0].id}"
    row = rounds[0]
    assert row.kind == RoundKind.commit
    params = row.parameters
    assert (params["proposals"], params["seed"]) == (2, 7)
    assert (params["exclude_same_unit"], params["exclude_peers"]) == (True, False)
    assert row.idempotency_key == "form:tok-1:commit"
    again = client.post("/hr/rounds", data=form, follow_redirects=False)
    assert again.headers["location"] == first.headers["location"] and len(_rounds(db)) == 1

    # no action: a preview, with the defaults for the fields left empty
    preview = client.post(
        "/hr/rounds", data={"csrf": csrf, "round_token": "tok-2"}, follow_redirects=False
    )
    assert preview.status_code == 303
    latest = _rounds(db)[-1]
    assert latest.kind == RoundKind.preview and latest.parameters["seed"] == 0
    assert latest.parameters["proposals"] == settings.round_proposals
    assert latest.parameters["exclude_peers"] is False  # an unticked box is off


def test_a_refused_value_is_said_in_its_field_and_the_form_kept(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    csrf = as_user(client, bearer_token(w["hr"]))
    refused = client.post(
        "/hr/rounds",
        data={"csrf": csrf, "horizon_weeks": "500", "seed": "3", "exclude_same_unit": "on"},
    )
    assert refused.status_code == 422
    assert 'aria-describedby="horizon_weeks-error"' in refused.text
    assert 'id="seed" name="seed" value="3"' in refused.text
    assert 'name="exclude_same_unit" checked' in refused.text
    assert _rounds(db) == []
