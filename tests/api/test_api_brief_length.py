"""Issue 8 item 14 through the API: the brief's limit counts characters as a browser does.

A form sends every line break of a textarea as CRLF while its maxlength counted one
character, so a brief of exactly 1,000 characters with line breaks, accepted by the page,
was refused. Line breaks are now normalised to LF on input, then counted and stored."""

from __future__ import annotations

import pytest
from api_support import fresh, row_counts
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from test_api_list_bounds import request_body

from api.models import CoachingRequest
from api.models.requests import DESCRIPTION_MAX

LINES = ["y" * 98] * 10  # 10 lines of 98 characters, 9 line breaks between them


def body(db: Session, **brief: str) -> dict:
    return {**request_body(db), **brief}


@pytest.mark.parametrize("field", ["description", "objectives"])
@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_a_brief_of_exactly_the_limit_with_line_breaks_is_accepted(
    client: TestClient, hr: dict, db: Session, field: str, newline: str
) -> None:
    text = newline.join(LINES) + newline + "z" * 10  # 1,000 characters as a browser counts
    assert len(text.replace("\r\n", "\n")) == DESCRIPTION_MAX
    response = client.post("/requests", headers=hr, json=body(db, **{field: text}))
    assert response.status_code == 201, response.text
    stored = fresh(db).exec(select(CoachingRequest)).one()
    assert getattr(stored, field) == "\n".join(LINES) + "\n" + "z" * 10


def test_one_more_character_is_refused_counted_as_the_browser_does(
    client: TestClient, hr: dict, db: Session
) -> None:
    text = "\r\n".join(LINES) + "\r\n" + "z" * 11
    request = body(db, description=text)
    before = row_counts(db)
    response = client.post("/requests", headers=hr, json=request)
    assert response.status_code == 422
    assert response.json()["field"] == "description"
    assert response.json()["detail"] == "description: is 1001 characters long; the limit is 1000"
    assert row_counts(db) == before
