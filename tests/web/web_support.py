"""Helpers for page tests: cookies and CSRF tokens for TestClient, and a browser driver."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api_support import PASSWORD
from fastapi.testclient import TestClient

from api.deps import SESSION_COOKIE
from api.web.csrf import CSRF_COOKIE, token_for

ANONYMOUS_SECRET = "anonymous-pre-session-secret"


def bearer_token(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def as_user(client: TestClient, token: str | None) -> str:
    """Make `client` a browser signed in with `token` (None: anonymous); its CSRF token."""
    client.cookies.clear()
    if token is None:
        client.cookies.set(CSRF_COOKIE, ANONYMOUS_SECRET)
        return token_for(ANONYMOUS_SECRET)
    client.cookies.set(SESSION_COOKIE, token)
    return token_for(token)


@dataclass
class Browser:
    """A page of the real browser on the live server."""

    page: Any
    base: str

    def open(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        self.open("/signin")
        self.page.locator("#email").fill(email)
        self.page.locator("#password").fill(password)
        self.page.locator("form.card button[type=submit]").click()
        self.page.wait_for_load_state()

    def sign_out(self) -> None:
        self.page.locator("form[action='/signout'] button").click()
        self.page.wait_for_load_state()

    def heading(self) -> str:
        self.page.wait_for_load_state()
        return str(self.page.locator("h1").inner_text())

    def text(self) -> str:
        # A click that submits a form returns once the navigation has started; the new
        # document may still be parsing (an empty body on a loaded machine), so wait for it.
        self.page.wait_for_load_state()
        return str(self.page.locator("body").inner_text())
