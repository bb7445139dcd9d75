"""Sign-in, sessions, sign-out, throttling of failed sign-ins, HR's user management."""

from __future__ import annotations

from datetime import timedelta

from api_support import PASSWORD, add_person, add_user, fresh, login
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.clock import FixedClock
from api.models import LoginSession
from api.models.enums import Role
from api.security import hash_token
from api.settings import Settings


def test_sign_in_me_and_sign_out(client: TestClient, db: Session, settings: Settings) -> None:
    user = add_user(db, settings, Role.hr, email="hr@example.org")
    response = client.post("/auth/login", json={"email": " HR@Example.org ", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) >= 43  # 256 random bits, url-safe base64
    stored = fresh(db).exec(select(LoginSession)).one()
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    headers = {"Authorization": f"Bearer {token}"}
    me = client.get("/me", headers=headers).json()
    assert me["email"] == "hr@example.org" and me["role"] == "hr" and "password_hash" not in me
    assert client.post("/auth/logout", headers=headers).status_code == 204
    assert client.get("/me", headers=headers).status_code == 401
    assert user.id == me["id"]


def test_cookie_sign_in_for_web_pages(client: TestClient, db: Session, settings: Settings) -> None:
    add_user(db, settings, Role.hr, email="hr@example.org")
    response = client.post("/auth/login", json={"email": "hr@example.org", "password": PASSWORD})
    assert "httponly" in response.headers["set-cookie"].lower()
    assert client.get("/me").status_code == 200  # the cookie alone
    client.post("/auth/logout")
    client.cookies.clear()
    assert client.get("/me").status_code == 401


def test_session_expires(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    headers = login(client, add_user(db, settings, Role.hr).email)
    clock.advance(settings.session_ttl - timedelta(seconds=1))
    assert client.get("/me", headers=headers).status_code == 200
    clock.advance(timedelta(seconds=1))
    response = client.get("/me", headers=headers)
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"


def test_bad_credentials_and_inactive_accounts(
    client: TestClient, db: Session, settings: Settings
) -> None:
    add_user(db, settings, Role.hr, email="hr@example.org")
    add_user(db, settings, Role.hr, email="off@example.org", active=False)
    for email, password in [
        ("hr@example.org", "wrong"),
        ("nobody@example.org", PASSWORD),
        ("off@example.org", PASSWORD),
    ]:
        response = client.post("/auth/login", json={"email": email, "password": password})
        assert response.status_code == 401
        assert response.json()["detail"] == "wrong email or password"  # same for all three


def test_failed_sign_ins_are_slowed_down(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    add_user(db, settings, Role.hr, email="hr@example.org")

    def attempt(password: str, ip_headers: dict[str, str] | None = None) -> int:
        body = {"email": "hr@example.org", "password": password}
        return client.post("/auth/login", json=body, headers=ip_headers or {}).status_code

    for _ in range(settings.login_max_failures - 1):
        assert attempt("wrong") == 401
    assert attempt("wrong") == 401  # the 5th failure starts the slow-down
    response = client.post("/auth/login", json={"email": "hr@example.org", "password": PASSWORD})
    assert response.status_code == 429  # even the right password must wait
    assert response.headers["retry-after"] == "30"
    clock.advance(timedelta(seconds=30))
    assert attempt("wrong") == 401  # 6th failure: twice as long
    response = client.post("/auth/login", json={"email": "hr@example.org", "password": PASSWORD})
    assert response.status_code == 429 and response.headers["retry-after"] == "60"
    clock.advance(timedelta(seconds=60))
    assert attempt(PASSWORD) == 200  # success clears the counter
    assert attempt("wrong") == 401
    assert attempt(PASSWORD) == 200


def test_throttling_forgets_old_failures(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    add_user(db, settings, Role.hr, email="hr@example.org")
    for _ in range(settings.login_max_failures - 1):
        client.post("/auth/login", json={"email": "hr@example.org", "password": "wrong"})
    clock.advance(settings.login_failure_window + timedelta(seconds=1))
    for _ in range(settings.login_max_failures - 1):
        assert (
            client.post(
                "/auth/login", json={"email": "hr@example.org", "password": "wrong"}
            ).status_code
            == 401
        )
    assert (
        client.post(
            "/auth/login", json={"email": "hr@example.org", "password": PASSWORD}
        ).status_code
        == 200
    )


def test_invitation_roles_must_be_linked(
    client: TestClient, hr: dict[str, str], db: Session
) -> None:
    person = add_person(db, "E1")
    ok = client.post(
        "/users/invitations",
        headers=hr,
        json={"role": "sponsor", "person_id": person.id},
    )
    assert ok.status_code == 201 and ok.json()["email"] == person.email
    bad = client.post(
        "/users/invitations", headers=hr, json={"email": "t@example.org", "role": "coachee"}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "person_id"
    hr_linked = client.post(
        "/users/invitations",
        headers=hr,
        json={"email": "u@example.org", "role": "hr", "person_id": person.id},
    )
    assert hr_linked.status_code == 422


def test_deactivating_a_user_signs_them_out(
    client: TestClient, hr: dict[str, str], db: Session, settings: Settings
) -> None:
    coachee = add_user(db, settings, Role.coachee, person=add_person(db, "E1"))
    headers = login(client, coachee.email)
    assert client.get("/me", headers=headers).status_code == 200
    response = client.patch(f"/users/{coachee.id}", headers=hr, json={"active": False})
    assert response.status_code == 200 and response.json()["active"] is False
    assert client.get("/me", headers=headers).status_code == 401
    listed = client.get("/users", headers=hr, params={"role": "coachee"}).json()
    assert [u["email"] for u in listed["items"]] == [coachee.email]
