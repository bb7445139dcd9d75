"""Issue 8, items 3, 4, 9, 12 and 13: secrets out of logs, no caching of personal data,
JSON errors for every bad input, no cross-site changes, and feeds no address can freeze."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import PASSWORD, build_world, fresh
from fastapi import FastAPI
from fastapi.testclient import TestClient
from live_servers import coachmatch_serve
from sqlmodel import Session, select
from starlette.requests import Request

from api.clock import FixedClock
from api.deps import client_ip
from api.models import OutboxMessage, Proposal
from api.models.enums import ProposalStatus
from api.settings import Settings

# -- 3. secrets never reach a log line ---------------------------------------------


def test_feed_and_invitation_tokens_never_reach_the_access_log(
    client: TestClient, db: Session, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    world = build_world(db, settings, client)
    feed = world["feed_tokens"]["coachee"]
    invitation = world["invitation_tokens"][0]
    with coachmatch_serve(database_url, tmp_path) as server:
        assert httpx.get(f"{server.url}/feeds/{feed}.ics").status_code == 200
        page = httpx.get(f"{server.url}/accept-invitation", params={"token": invitation})
        assert page.status_code == 200
        httpx.post(
            f"{server.url}/invitations/accept",
            json={"token": invitation, "password": "a long enough password"},
        )
        httpx.get(f"{server.url}/feeds/not-a-real-one.ics")
    log = server.output()
    assert "GET /feeds/[redacted].ics" in log  # the access log did record the fetches
    assert "/accept-invitation?token=[redacted]" in log
    assert feed not in log and invitation not in log and "not-a-real-one" not in log


def test_invitation_links_carry_the_token_in_the_fragment(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    person = world["people"]["boss"]
    from api_support import add_person

    newcomer = add_person(db, "Q7", name="Quentin New")
    sent = client.post(
        "/users/invitations",
        headers=world["headers"]["hr"],
        json={"role": "sponsor", "person_id": newcomer.id},
    )
    assert sent.status_code == 201 and person
    [mail] = fresh(db).exec(select(OutboxMessage).where(OutboxMessage.kind == "invitation"))
    text = mail.raw_mime.decode()
    assert "/accept-invitation#token=" in text.replace("=\r\n", "").replace("=3D", "=")
    assert "?token=" not in text


# -- 4. personal data is never cached ----------------------------------------------


def test_api_answers_with_personal_data_are_not_stored_by_caches(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    hr, coachee = world["headers"]["hr"], world["headers"]["coachee"]
    for headers, path in [
        (coachee, "/me"),
        (coachee, f"/me/requests/{world['request']}"),
        (coachee, "/me/sessions"),
        (hr, "/people"),
        (hr, f"/requests/{world['request']}"),
        (hr, "/users"),
        (hr, "/requests/999999"),  # errors too
        ({}, "/me"),
    ]:
        response = client.get(path, headers=headers)
        assert response.headers["cache-control"] == "no-store", path
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])
    # A feed keeps its own policy: calendar apps store it and revalidate with the ETag.
    feed = client.get(f"/feeds/{world['feed_tokens']['coachee']}.ics")
    assert feed.headers["cache-control"] == "private, no-cache"
    # The stylesheet may be cached.
    assert "no-store" not in client.get("/static/app.css").headers.get("cache-control", "")


# -- 9. every error is the documented JSON, with the field -------------------------


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/requests/2147483648", "request_id"),
        ("/requests/9223372036854775808", "request_id"),
        ("/people?offset=9223372036854775808", "offset"),
        ("/people?offset=2147483648", "offset"),
        ("/requests?coachee_id=99999999999", "coachee_id"),
        ("/engagements/0", "engagement_id"),
    ],
)
def test_ids_and_offsets_beyond_the_database_range_are_a_422(
    client: TestClient, db: Session, settings: Settings, path: str, field: str
) -> None:
    world = build_world(db, settings, client)
    response = client.get(path, headers=world["headers"]["hr"])
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


def test_a_huge_id_in_a_body_is_a_422_naming_the_field(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    response = client.post(
        "/conflicts",
        headers=world["headers"]["hr"],
        json={"coach_id": 2**40, "person_id": world["people"]["coachee"]},
    )
    assert response.status_code == 422 and response.json()["field"] == "coach_id"


def test_a_nul_character_anywhere_is_a_422_naming_the_field(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """PostgreSQL text cannot hold NUL: the search, a JSON body and a form say which field."""
    world = build_world(db, settings, client)
    hr = world["headers"]["hr"]
    search = client.get("/coaches", params={"q": "a\x00b"}, headers=hr)
    assert search.status_code == 422 and search.json()["field"] == "q"
    body = {
        "coachee_id": world["people"]["coachee"],
        "language": "en",
        "themes": ["ok", "bad\x00theme"],
    }
    created = client.post("/requests", headers=hr, json=body)
    assert created.status_code == 422 and created.json()["field"] == "themes.1"
    signin = client.post("/signin", data={"email": "x\x00@example.org", "password": "p"})
    assert signin.status_code == 422 and signin.json()["field"] == "email"


@pytest.mark.parametrize("dry_run", ["true", "false"])
def test_a_nul_character_in_the_org_chart_names_its_line_and_field(
    client: TestClient, db: Session, settings: Settings, dry_run: str
) -> None:
    world = build_world(db, settings, client)
    text = "id,name,email,manager_id,timezone\nZ1,Ze\x00d,z@example.org,,UTC\n"
    response = client.post(
        f"/people/import?dry_run={dry_run}",
        headers=world["headers"]["hr"],
        files={"file": ("org.csv", text.encode(), "text/csv")},
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0] == {
        "line": 2,
        "field": "name",
        "message": "must not contain NUL characters",
    }


def test_an_unexpected_error_is_a_json_500_with_a_request_id(
    app: FastAPI, db: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    """A bug (forced here: the people listing blows up) answers the documented JSON with a
    request id; the traceback and its words stay in the server's log."""
    from api.people import service

    def broken(**_: Any) -> Any:
        raise RuntimeError("internal detail that must not leak")

    monkeypatch.setattr(service, "list_people", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        world = build_world(db, settings, client)
        caplog.set_level(logging.ERROR)
        response = client.get(
            "/people", headers={**world["headers"]["hr"], "X-Request-ID": "req-12345678"}
        )
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "detail": "internal error",
        "field": None,
        "request_id": "req-12345678",
    }
    assert "internal detail" not in response.text and "Traceback" not in response.text
    assert any("internal detail" in (r.exc_text or "") or r.exc_info for r in caplog.records)


# -- 12. the session cookie alone never authorises a change -------------------------


def _cookie_client(client: TestClient, email: str) -> None:
    client.cookies.clear()
    signed = client.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert signed.status_code == 200 and client.cookies.get("coachmatch_session")


def test_a_foreign_origin_cannot_use_the_session_cookie(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    proposal = world["proposal"]
    _cookie_client(client, "hr@example.org")
    forged = client.post(
        f"/proposals/{proposal}/reject", headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 403 and "cross-site" in forged.json()["detail"]
    no_origin = client.post(f"/proposals/{proposal}/reject")  # no Origin, no token
    assert no_origin.status_code == 403
    assert fresh(db).get(Proposal, proposal).status == ProposalStatus.proposed
    # Reading with the cookie is fine; so is a change from the service's own origin.
    assert client.get("/me").status_code == 200
    same = client.post(
        f"/proposals/{world['proposal_other']}/reject", headers={"Origin": "http://testserver"}
    )
    assert same.status_code == 200, same.text


def test_the_csrf_header_or_a_bearer_token_authorises_a_change(
    client: TestClient, db: Session, settings: Settings
) -> None:
    from api.web.csrf import token_for

    world = build_world(db, settings, client)
    _cookie_client(client, "hr@example.org")
    cookie = client.cookies.get("coachmatch_session")
    assert cookie
    wrong = client.post(
        f"/proposals/{world['proposal']}/reject", headers={"X-CSRF-Token": "guessed"}
    )
    assert wrong.status_code == 403
    right = client.post(
        f"/proposals/{world['proposal']}/reject", headers={"X-CSRF-Token": token_for(cookie)}
    )
    assert right.status_code == 200, right.text
    client.cookies.clear()
    bearer = client.post(
        f"/proposals/{world['proposal_other']}/reject",
        headers={**world["headers"]["hr"], "Origin": "https://elsewhere.example"},
    )
    assert bearer.status_code == 200, bearer.text


# -- 13. feeds: a valid URL is never refused, proxies only when configured -----------


def _request(peer: str, forwarded: str | None, app: FastAPI) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (peer, 5000), "headers": headers, "app": app})


def test_forwarded_addresses_are_believed_only_from_configured_proxies(
    settings: Settings, clock: FixedClock
) -> None:
    from api.app import create_app

    plain = create_app(settings, clock=clock)
    assert client_ip(_request("127.0.0.1", "203.0.113.9", plain)) == "127.0.0.1"
    proxied = create_app(
        settings.model_copy(update={"trusted_proxies": ["127.0.0.1", "10.0.0.0/8"]}),
        clock=clock,
    )
    assert client_ip(_request("127.0.0.1", "203.0.113.9", proxied)) == "203.0.113.9"
    # The client's own claim, left of the proxies' hops, is not believed.
    chain = "198.51.100.1, 203.0.113.9, 10.1.2.3"
    assert client_ip(_request("127.0.0.1", chain, proxied)) == "203.0.113.9"
    assert client_ip(_request("192.0.2.7", "203.0.113.9", proxied)) == "192.0.2.7"
    with pytest.raises(ValueError, match="not an IP"):
        Settings(trusted_proxies="127.0.0.1,nonsense")  # type: ignore[arg-type]


def test_forged_forwarded_for_does_not_escape_the_feed_limit(
    client: TestClient, db: Session, settings: Settings
) -> None:
    build_world(db, settings, client)
    for i in range(settings.feed_miss_limit):
        headers = {"X-Forwarded-For": f"198.51.100.{i}"}
        assert client.get(f"/feeds/guess-{i}.ics", headers=headers).status_code == 404
    spoofed = client.get("/feeds/guess-n.ics", headers={"X-Forwarded-For": "192.0.2.200"})
    assert spoofed.status_code == 429


def test_a_revoked_feed_never_works_again(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    world = build_world(db, settings, client)
    hr = world["headers"]["hr"]
    user = world["users"]["coachee"]
    path = f"/feeds/{world['feed_tokens']['coachee']}.ics"
    assert client.get(path).status_code == 200
    off = client.patch(f"/users/{user.id}", headers=hr, json={"active": False})
    assert off.status_code == 200 and client.get(path).status_code == 404
    clock.advance(timedelta(minutes=5))
    on = client.patch(f"/users/{user.id}", headers=hr, json={"active": True})
    assert on.status_code == 200, on.text
    assert client.get(path).status_code == 404  # the account is back, its old URL is not
