"""Forgotten password through the API (issue 14 item 8): the same answer for any address,
a one-time link by email (its token in the fragment), expiry, the newest link only, the
throttle per address and per client, and what a reset ends."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

from api_support import PASSWORD, add_person, add_user, fresh, login
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.clock import FixedClock
from api.models import Invitation, OutboxMessage, User
from api.models.enums import Role
from api.settings import Settings

NEW = "a brand new long password"


def _ask(client: TestClient, email: str) -> tuple[int, dict[str, object]]:
    response = client.post("/auth/password-reset", json={"email": email})
    return response.status_code, response.json()


def _links(db: Session) -> list[tuple[str, str]]:
    """(recipient, link) of every reset email in the outbox, oldest first."""
    rows = fresh(db).exec(
        select(OutboxMessage)
        .where(OutboxMessage.kind == "password-reset")
        .order_by(OutboxMessage.id)  # type: ignore[arg-type]
    )
    found = []
    for row in rows:
        message = message_from_bytes(row.raw_mime, policy=default)
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        link = re.search(r"(http\S+/reset-password#token=([A-Za-z0-9_-]+))", body.get_content())
        assert link is not None, body.get_content()
        found.append((row.recipient, link.group(2)))
    return found


def _confirm(client: TestClient, token: str, password: str = NEW) -> object:
    return client.post("/auth/password-reset/confirm", json={"token": token, "password": password})


def test_any_address_gets_the_same_answer_and_only_an_account_gets_a_link(
    client: TestClient, db: Session, settings: Settings
) -> None:
    person = add_person(db, "C1", name="Chloé Coachée", language="fr")
    add_user(db, settings, Role.coachee, person=person)
    add_user(db, settings, Role.hr, email="off@example.org", active=False)
    known = _ask(client, person.email.upper())  # addresses compare case-insensitively
    unknown = _ask(client, "nobody@example.org")
    inactive = _ask(client, "off@example.org")
    assert known == unknown == inactive
    assert known[0] == 202 and "if an account has this address" in str(known[1]["detail"])
    [(recipient, token)] = _links(db)
    assert recipient == person.email
    row = fresh(db).exec(select(OutboxMessage).where(OutboxMessage.kind == "password-reset")).one()
    message = message_from_bytes(row.raw_mime, policy=default)
    assert message["Content-Language"] == "fr"  # the person's language
    assert "nouveau mot de passe" in message["Subject"]
    # only the token's hash is stored
    stored = fresh(db).exec(select(Invitation).where(Invitation.purpose == "reset")).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64


def test_a_link_sets_the_password_once_and_ends_every_other_sign_in(
    client: TestClient, db: Session, settings: Settings
) -> None:
    user = add_user(db, settings, Role.hr, email="hr@example.org")
    elsewhere = login(client, user.email)
    assert _ask(client, user.email)[0] == 202
    [(_, token)] = _links(db)
    response = _confirm(client, token)
    assert response.status_code == 200, response.text
    assert response.json()["user"]["email"] == "hr@example.org"
    assert client.get("/me", headers=elsewhere).status_code == 401  # signed out elsewhere
    signed_in = {"Authorization": f"Bearer {response.json()['token']}"}
    assert client.get("/me", headers=signed_in).status_code == 200
    assert (
        client.post("/auth/login", json={"email": user.email, "password": PASSWORD}).status_code
        == 401
    )
    login(client, user.email, NEW)
    again = _confirm(client, token, "yet another long password")
    assert again.status_code == 404 and again.json()["field"] == "token"
    login(client, user.email, NEW)  # the refused reuse changed nothing


def test_a_link_expires_and_only_the_newest_works(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    user = add_user(db, settings, Role.hr, email="hr@example.org")
    _ask(client, user.email)
    _ask(client, user.email)
    [(_, first), (_, second)] = _links(db)
    refused = _confirm(client, first)
    assert refused.status_code == 404 and refused.json()["field"] == "token"
    clock.advance(settings.password_reset_ttl + timedelta(seconds=1))
    expired = _confirm(client, second)
    assert expired.status_code == 404 and expired.json()["detail"].startswith(
        "this password reset link"
    )
    login(client, user.email)  # the old password still works
    clock.advance(settings.login_failure_window)  # the throttle forgets the requests
    _ask(client, user.email)
    [*_, (_, third)] = _links(db)
    assert _confirm(client, third).status_code == 200


def test_a_deactivated_account_cannot_use_its_link(
    client: TestClient, db: Session, settings: Settings, hr: dict[str, str]
) -> None:
    user = add_user(db, settings, Role.hr, email="other.hr@example.org")
    _ask(client, user.email)
    [(_, token)] = _links(db)
    off = client.patch(f"/users/{user.id}", headers=hr, json={"active": False})
    assert off.status_code == 200, off.text
    assert _confirm(client, token).status_code == 404
    assert fresh(db).get_one(User, user.id).active is False


def test_links_of_one_purpose_never_serve_the_other(
    client: TestClient, db: Session, settings: Settings, hr: dict[str, str]
) -> None:
    user = add_user(db, settings, Role.hr, email="other.hr@example.org")
    _ask(client, user.email)
    [(_, reset)] = _links(db)
    accepted = client.post("/invitations/accept", json={"token": reset, "password": NEW})
    assert accepted.status_code == 404
    invited = client.post(
        "/users/invitations", headers=hr, json={"email": "new@example.org", "role": "hr"}
    )
    assert invited.status_code == 201
    row = fresh(db).exec(select(OutboxMessage).where(OutboxMessage.kind == "invitation")).one()
    body = message_from_bytes(row.raw_mime, policy=default).get_body(preferencelist=("plain",))
    assert body is not None
    token = re.search(r"#token=([A-Za-z0-9_-]+)", body.get_content())
    assert token is not None
    assert _confirm(client, token.group(1)).status_code == 404
    # the invitation still opens its account; the reset link still works too
    assert (
        client.post(
            "/invitations/accept", json={"token": token.group(1), "password": NEW}
        ).status_code
        == 200
    )
    assert _confirm(client, reset).status_code == 200


def test_requests_are_throttled_per_address_known_or_not_and_per_client(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    add_user(db, settings, Role.hr, email="hr@example.org")
    for email in ("hr@example.org", "nobody@example.org"):
        answers = [_ask(client, email)[0] for _ in range(settings.password_reset_max_per_account)]
        assert answers == [202] * settings.password_reset_max_per_account
        response = client.post("/auth/password-reset", json={"email": email})
        assert response.status_code == 429 and response.headers["retry-after"] == "30"
        assert "too many password reset requests" in response.json()["detail"]
    assert len(_links(db)) == settings.password_reset_max_per_account  # no more mail
    clock.advance(timedelta(seconds=30))
    assert _ask(client, "hr@example.org")[0] == 202  # then one more, and a longer wait
    assert (
        client.post("/auth/password-reset", json={"email": "hr@example.org"}).headers["retry-after"]
        == "60"
    )
    # one client asking for many addresses: its own limit
    clock.advance(settings.login_failure_window + timedelta(hours=1))
    codes = [
        _ask(client, f"someone{i}@example.org")[0]
        for i in range(settings.password_reset_max_per_client + 1)
    ]
    assert codes[:-1] == [202] * settings.password_reset_max_per_client and codes[-1] == 429
    # the sign-in's own counters are apart: signing in still works
    login(client, "hr@example.org")


def test_bad_input_names_the_field_and_consumes_nothing(
    client: TestClient, db: Session, settings: Settings
) -> None:
    user = add_user(db, settings, Role.hr, email="hr@example.org")
    bad = client.post("/auth/password-reset", json={"email": "not an address"})
    assert bad.status_code == 422 and bad.json()["field"] == "email"
    missing = client.post("/auth/password-reset", json={})
    assert missing.status_code == 422 and missing.json()["field"] == "email"
    _ask(client, user.email)
    [(_, token)] = _links(db)
    short = _confirm(client, token, "short")
    assert short.status_code == 422 and short.json()["field"] == "password"
    unknown = _confirm(client, "x" * 40)
    assert unknown.status_code == 404 and unknown.json()["field"] == "token"
    assert _confirm(client, token).status_code == 200  # the short one did not use it up
