"""What every response goes through: a request id, no caching of personal data, and a
JSON answer for anything unexpected.

A pure ASGI middleware (no body buffering): it names each request (`X-Request-ID`, the
caller's when it is a sane token, else a new one), adds `Cache-Control: no-store` to every
response that did not choose its own policy (API answers carry personal data; static
files and feeds set theirs), and turns an exception that escaped every handler into the
documented JSON error with the request id: the traceback goes to the log, never to the
client.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import messages

log = logging.getLogger(__name__)

REQUEST_ID_HEADER = "x-request-id"
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (for formats that show it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER.encode():
            candidate: str = value.decode("latin-1")
            if _SANE_ID.match(candidate):
                return candidate
    return uuid.uuid4().hex


class ResponseGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _request_id(scope)
        token = request_id_var.set(rid)
        started = False
        try:
            receive, field = await _nul_free(scope, receive)
        except Exception:
            request_id_var.reset(token)
            raise
        if field is not None:
            await _json(send, rid, 422, {"detail": messages.NUL_CHARACTER, "field": field})
            request_id_var.reset(token)
            return

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"cache-control" not in names and not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                headers.append((REQUEST_ID_HEADER.encode(), rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, guarded_send)
        except Exception:
            log.exception("unhandled error in %s %s", scope.get("method"), _route(scope))
            if started:  # too late for another answer: the connection is cut
                raise
            await _internal_error(send, rid)
        finally:
            request_id_var.reset(token)


def _route(scope: Scope) -> str:
    route = scope.get("route")
    path: Any = getattr(route, "path", None)
    return str(path) if path else "(no route)"


# Bodies read whole to look for NUL characters (no database text may hold one); uploads
# (multipart) are checked by their parsers.
_SCANNED = (b"application/json", b"application/x-www-form-urlencoded")
_MAX_SCANNED = 2_000_000


def _nul_in(value: Any, path: str) -> str | None:
    """The dotted path of the first string holding a NUL character, if any."""
    if isinstance(value, str):
        return (path or "body") if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _nul_in(str(key), path) or _nul_in(item, f"{path}.{key}" if path else key)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_in(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


async def _nul_free(scope: Scope, receive: Receive) -> tuple[Receive, str | None]:
    """(a receive that replays the body, the field holding a NUL character or None)."""
    query = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
        found = _nul_in(dict(pairs), "")
        if found:
            return receive, found
    headers = dict(scope.get("headers", []))
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    length = headers.get(b"content-length", b"0")
    if kind not in _SCANNED or not length.isdigit() or int(length) > _MAX_SCANNED:
        return receive, None
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return receive, None  # the client went away; let the app see it as it would
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    found = None
    if b"\\u0000" in body or b"\x00" in body or b"%00" in body:
        text = body.decode("utf-8", errors="replace")
        try:
            parsed: Any = json.loads(text) if kind == _SCANNED[0] else dict(parse_qsl(text))
        except ValueError:
            parsed = None
        found = _nul_in(parsed, "")
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay, found


async def _internal_error(send: Send, rid: str) -> None:
    await _json(send, rid, 500, {"detail": messages.INTERNAL, "field": None, "request_id": rid})


async def _json(send: Send, rid: str, status: int, content: dict[str, Any]) -> None:
    body = json.dumps(content).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                (REQUEST_ID_HEADER.encode(), rid.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
