"""Undo of a hard delete for a short while, without storing anything server-side: the
page offering "Undo" holds what was deleted, signed with the viewer's session cookie
(HMAC, as the CSRF token is), so the restore can trust the values and the time of the
delete; another account, a later sign-in or an edited value gets nothing back."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any

from fastapi import Request

from api.deps import SESSION_COOKIE

WINDOW = timedelta(minutes=10)  # as a request's cancel (`api.requests.service.UNDO_WINDOW`)
_LABEL = b"coachmatch undo v1"


def _mac(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), _LABEL + body, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(request: Request, kind: str, values: dict[str, Any], at: datetime) -> str | None:
    """A token carrying `values` deleted at `at` (None without a session cookie)."""
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return None
    payload = {"kind": kind, "at": at.isoformat(), "values": values}
    body = base64.urlsafe_b64encode(json.dumps(payload, sort_keys=True).encode())
    return f"{body.decode()}.{_mac(secret, body)}"


def opened(
    request: Request, token: str, kind: str, now: datetime
) -> tuple[dict[str, Any], datetime] | None:
    """The values and time of a delete still within `WINDOW`, or None (forged, another
    session's, another kind, too late)."""
    secret = request.cookies.get(SESSION_COOKIE)
    body, _, mac = token.partition(".")
    if not secret or not mac or not hmac.compare_digest(mac, _mac(secret, body.encode())):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body.encode()))
        at = datetime.fromisoformat(payload["at"])
    except (ValueError, KeyError, TypeError):
        return None
    if payload.get("kind") != kind or at.tzinfo is None or not isinstance(payload["values"], dict):
        return None
    if not timedelta(0) <= now - at <= WINDOW:
        return None
    return payload["values"], at


def stamp(text: str) -> datetime | None:
    """An action's time as an undo form carries it (an aware ISO time), or None."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None
