"""Reading a coach's own calendar over the network, bounded.

* A private ICS URL (Outlook's and Google's "secret address"): one GET with the last
  ETag and Last-Modified (304: unchanged), the body read up to `ics_max_bytes`.
* A CalDAV calendar (the `caldav` library): the collection's CTag first (unchanged:
  nothing more is read), then the events of the busy horizon (a time-range query, so the
  server filters), each object counted against the same byte limit.

Addresses are checked before anything is sent, and again on every redirect: https only,
and no loopback, private, link-local or reserved address, unless
`calendar_allow_private_networks` is set (an on-premise server; the tests). Expansion
limits are those of an upload (`scheduling.busy_ics`), applied by the caller.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

import httpx

from api.settings import Settings

MAX_REDIRECTS = 3


class FetchError(Exception):
    """The calendar could not be read; ``code`` names why (stored, shown to the coach)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class Fetched:
    content: bytes | None  # None: unchanged since the validators given
    etag: str | None = None
    last_modified: str | None = None


def url_problem(url: str, settings: Settings, *, resolve: bool = True) -> str | None:
    """Why ``url`` may not be fetched (None: it may)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # "http://a]b", a port out of range...
        return "not a web address"
    allow = settings.calendar_allow_private_networks
    if parts.scheme != "https" and not (allow and parts.scheme == "http"):
        return "https required"
    if not parts.hostname:
        return "no host"
    if allow or not resolve:
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return "unknown host"
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            return "a private or local address"
    return None


def _check(url: str, settings: Settings) -> None:
    problem = url_problem(url, settings)
    if problem is not None:
        raise FetchError("refused_address", problem)


def fetch_ics(
    url: str, *, etag: str | None, last_modified: str | None, settings: Settings
) -> Fetched:
    """GET the calendar file, conditionally; FetchError when it cannot be read."""
    headers = {"Accept": "text/calendar, */*;q=0.5", "User-Agent": "coachmatch"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    limit = settings.ics_max_bytes
    timeout = httpx.Timeout(settings.calendar_fetch_timeout_seconds)
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            _check(url, settings)
            try:
                with client.stream("GET", url, headers=headers) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code == 304:
                        return Fetched(None, etag, last_modified)
                    if response.status_code in (401, 403):
                        raise FetchError("refused", f"HTTP {response.status_code}")
                    if response.status_code == 404:
                        raise FetchError("not_found", "HTTP 404")
                    if response.status_code != 200:
                        raise FetchError("http_error", f"HTTP {response.status_code}")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise FetchError("too_large", f"over {limit} bytes")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > limit:
                            raise FetchError("too_large", f"over {limit} bytes")
                    return Fetched(
                        bytes(body),
                        response.headers.get("etag"),
                        response.headers.get("last-modified"),
                    )
            except httpx.HTTPError as exc:
                raise FetchError("unreachable", type(exc).__name__) from exc
    raise FetchError("too_many_redirects")


def fetch_caldav(
    url: str,
    *,
    username: str | None,
    password: str | None,
    ctag: str | None,
    start: datetime,
    end: datetime,
    settings: Settings,
) -> Fetched:
    """The events of [start, end) of the CalDAV calendar at ``url``, as one VCALENDAR;
    ``Fetched(None)`` when its CTag has not changed."""
    from caldav.davclient import DAVClient
    from caldav.elements.base import ValuedBaseElement
    from caldav.lib import error as caldav_error
    from icalendar import Calendar

    class CTag(ValuedBaseElement):  # calendarserver's collection tag (Radicale, Apple...)
        tag: ClassVar[str] = "{http://calendarserver.org/ns/}getctag"

    _check(url, settings)
    client = DAVClient(
        url=url,
        username=username or None,
        password=password or None,
        timeout=int(settings.calendar_fetch_timeout_seconds),
        enable_rfc6764=False,  # the address given is the calendar: no discovery
    )
    limit = settings.ics_max_bytes
    try:
        calendar = client.calendar(url=url)  # type: ignore[no-untyped-call]
        current = calendar.get_property(CTag())
        tag = str(current) if current else None
        if tag is not None and tag == ctag:
            return Fetched(None, ctag)
        found = calendar.search(start=start, end=end, event=True, expand=False)
        merged = Calendar.new(prodid="-//coachmatch//caldav busy//EN")
        merged.pop("UID", None)
        size = 0
        zones: set[str] = set()
        for item in found:
            data = item.data or ""
            size += len(data.encode())
            if size > limit:
                raise FetchError("too_large", f"over {limit} bytes")
            for component in Calendar.from_ical(data).subcomponents:
                if component.name == "VTIMEZONE":
                    tzid = str(component.get("TZID"))
                    if tzid in zones:
                        continue
                    zones.add(tzid)
                merged.add_component(component)
        return Fetched(merged.to_ical(), tag)
    except caldav_error.AuthorizationError as exc:
        raise FetchError("refused", "authorization") from exc
    except caldav_error.NotFoundError as exc:
        raise FetchError("not_found", "calendar") from exc
    except caldav_error.DAVError as exc:
        raise FetchError("caldav_error", type(exc).__name__) from exc
    except (OSError, ValueError) as exc:
        raise FetchError("unreachable", type(exc).__name__) from exc
    finally:
        client.close()
