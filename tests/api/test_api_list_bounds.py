"""Issue 8 item 11: every list the API accepts is bounded (a request with 50,000 themes was
accepted and stored); a longer one is a 422 naming the field, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import add_coach, add_person, row_counts
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.i18n.errors import translate_message
from api.validation import MAX_CHOICES, MAX_LANGUAGES, MAX_TAGS


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _unbounded(spec: dict[str, Any], schema: dict[str, Any], path: str, seen: set[str]):
    """Paths of the arrays under `schema` without a maxItems."""
    if "$ref" in schema:
        if schema["$ref"] in seen:
            return
        seen = seen | {schema["$ref"]}
    schema = _resolve(spec, schema)
    if schema.get("type") == "array":
        if "maxItems" not in schema:
            yield path
        yield from _unbounded(spec, schema.get("items", {}), f"{path}[]", seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from _unbounded(spec, option, path, seen)
    for name, prop in schema.get("properties", {}).items():
        yield from _unbounded(spec, prop, f"{path}.{name}", seen)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        yield from _unbounded(spec, extra, f"{path}.*", seen)


def test_every_list_in_the_api_input_is_bounded(app: FastAPI) -> None:
    spec = app.openapi()
    found: list[str] = []
    for route, operations in spec["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {route}"
            for parameter in operation.get("parameters", []):
                found += _unbounded(spec, parameter.get("schema", {}), where, set())
            for content in operation.get("requestBody", {}).get("content", {}).values():
                found += _unbounded(spec, content.get("schema", {}), where, set())
    assert found == []


def request_body(db: Session) -> dict[str, Any]:
    """A valid request for HR to submit, for a new coachee and sponsor."""
    coachee, sponsor = add_person(db, "C1"), add_person(db, "S1")
    return {
        "coachee_id": coachee.id,
        "sponsor_id": sponsor.id,
        "language": "fr",
        "modality": "remote",
        "sessions": 4,
        "session_minutes": 60,
    }


def test_fifty_thousand_themes_are_refused_naming_the_field(
    client: TestClient, hr: dict, db: Session
) -> None:
    body = request_body(db)
    before = row_counts(db)
    refused = client.post("/requests", headers=hr, json={**body, "themes": ["x"] * 50_000})
    assert refused.status_code == 422
    detail = "themes: has 50000 items; the limit is 30"
    assert refused.json()["detail"] == detail and refused.json()["field"] == "themes"
    assert translate_message("has 50000 items; the limit is 30", "fr") == (
        "Cette liste compte 50000 éléments\u00a0; la limite est de 30."
    )
    assert row_counts(db) == before
    themes = [f"theme {i}" for i in range(MAX_TAGS)]
    created = client.post("/requests", headers=hr, json={**body, "themes": themes})
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    too_many = client.patch(
        f"/requests/{request_id}", headers=hr, json={"themes": [*themes, "one more"]}
    )
    assert too_many.status_code == 422 and too_many.json()["field"] == "themes"


@pytest.mark.parametrize(
    ("field", "value", "limit"),
    [
        ("themes", "leadership", MAX_TAGS),
        ("sites", "Paris", MAX_TAGS),
        ("languages", "fr", MAX_LANGUAGES),
        ("modalities", "remote", MAX_CHOICES),
        ("coaching_types", "coaching", MAX_CHOICES),
    ],
)
def test_coach_lists_are_bounded(
    client: TestClient, hr: dict, db: Session, field: str, value: str, limit: int
) -> None:
    coach = add_coach(db)
    before = row_counts(db)
    too_many = [value] * (limit + 1)
    create = {
        "kind": "external",
        "name": "Jane Doe",
        "email": "jane@vendor.example",
        "vendor": "Acme",
        "rate_per_session_cents": 100,
        "currency": "EUR",
        "languages": ["fr"],
        "modalities": ["remote"],
        field: too_many,
    }
    refused = client.post("/coaches", headers=hr, json=create)
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == field
    assert refused.json()["detail"] == f"{field}: has {limit + 1} items; the limit is {limit}"
    patch = client.patch(f"/coaches/{coach.id}", headers=hr, json={field: too_many})
    assert patch.status_code == 422 and patch.json()["field"] == field
    assert row_counts(db) == before
    assert client.patch(
        f"/coaches/{coach.id}", headers=hr, json={field: [value] * limit}
    ).is_success
