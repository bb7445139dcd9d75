"""Schemathesis over the whole OpenAPI document, as HR and as a coach (issue 8).

One test per operation; each sends a fixed number of generated requests, valid ones and
invalid ones, derandomised so `make test` stays within minutes and repeats itself. Every
response must be a non-5xx that conforms to the documented schema. The programme behind
the app is the authorization tests' world, so generated ids often name real rows.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from api_support import build_world
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance
from sqlmodel import Session

from api.app import create_app
from api.settings import Settings

EXAMPLES = 10  # per operation, generation mode and role
SCHEMA = schemathesis.openapi.from_dict(create_app(Settings(database_url="sqlite://")).openapi())
LABELS = sorted(result.ok().label for result in SCHEMA.get_all_operations())
CHECKS = [not_a_server_error, response_schema_conformance]


def _text(value: Any) -> str | bytes:
    return value if isinstance(value, str | bytes) else json.dumps(value)


def _sendable(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Generated form and multipart values may be numbers or lists, which the HTTP client
    cannot encode; send them as the text a browser would."""
    if isinstance(kwargs.get("data"), dict):
        kwargs["data"] = {k: _text(v) for k, v in kwargs["data"].items()}
    if kwargs.get("files"):
        kwargs["files"] = [
            (name, (part[0], _text(part[1]), *part[2:])) for name, part in kwargs["files"]
        ]
    return kwargs


@pytest.mark.parametrize("label", LABELS)
def test_no_server_error_and_responses_match_the_schema(
    label: str, client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    operation = SCHEMA.find_operation_by_label(label)
    sent = 0
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            nonlocal sent
            for role in ("hr", "coach"):
                kwargs = case.as_transport_kwargs(
                    base_url="http://testserver", headers=world["headers"][role]
                )
                client.cookies.clear()
                for name, value in (kwargs.pop("cookies", None) or {}).items():
                    client.cookies.set(name, value)
                response = client.request(**_sendable(kwargs))
                response.request.read()  # uploads are streamed; the checks read them
                sent += 1
                case.validate_response(response, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:
            # No invalid request exists for an operation without inputs (GET /health).
            assert mode is GenerationMode.NEGATIVE
    assert sent > 0
