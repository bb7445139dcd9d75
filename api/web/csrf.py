"""CSRF protection for form POSTs: a token derived from a secret cookie.

The token in a form is HMAC-SHA256(cookie value, label). The cookie is the sign-in
session (once signed in) or a random pre-session cookie (sign-in and invitation forms,
so a forged sign-in fails too). Both cookies are HttpOnly: another site can make the
browser send them but can neither read them nor compute the token, and a POST without
the right token is refused before any handler runs. Nothing is stored server-side.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from fastapi import Request
from starlette.datastructures import FormData

from api.deps import SESSION_COOKIE

CSRF_COOKIE = "coachmatch_csrf"
FIELD = "csrf"
_LABEL = b"coachmatch form v1"


class CsrfRejected(Exception):
    """A form POST without a valid token."""


def token_for(secret: str) -> str:
    digest = hmac.new(secret.encode(), _LABEL, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def secrets_of(request: Request) -> list[str]:
    """The cookies a token may be derived from: the session first, then the pre-session."""
    return [v for v in (request.cookies.get(SESSION_COOKIE), request.cookies.get(CSRF_COOKIE)) if v]


def valid(request: Request, token: str | None) -> bool:
    if not token:
        return False
    return any(hmac.compare_digest(token_for(s), token) for s in secrets_of(request))


async def checked_form(request: Request) -> FormData:
    """The POSTed form, once its token is checked (a dependency of every form handler)."""
    form = await request.form()
    token = form.get(FIELD)
    if not valid(request, token if isinstance(token, str) else None):
        raise CsrfRejected
    return form
