"""The programme mailbox read over IMAP: `poll_mailbox` is the periodic job.

Each unseen message is read (without marking it), handled and committed, and only then
flagged \\Seen, so a crash between the two reads it again next time, which the reply's
key makes harmless. A poll reads at most `imap_batch_size` messages; one over
`reply_max_bytes` is quarantined from its headers without being downloaded.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import ssl
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

from sqlmodel import Session

from api.replies.service import ReplyReport, handle_message
from api.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class PollReport(ReplyReport):
    read: int = 0
    skipped: bool = False  # no COACHMATCH_IMAP_URL


def _connect(settings: Settings) -> tuple[imaplib.IMAP4, str]:
    url = urlsplit(settings.imap_url or "")
    host, timeout = url.hostname or "localhost", settings.imap_timeout_seconds
    client: imaplib.IMAP4
    if url.scheme == "imaps":
        client = imaplib.IMAP4_SSL(
            host, url.port or 993, ssl_context=ssl.create_default_context(), timeout=timeout
        )
    else:
        client = imaplib.IMAP4(host, url.port or 143, timeout=timeout)
        if url.scheme == "imap+starttls":
            client.starttls(ssl_context=ssl.create_default_context())
    client.login(unquote(url.username or ""), unquote(url.password or ""))
    folder = unquote(url.path.lstrip("/")) or "INBOX"
    return client, folder


def _size(data: list[object]) -> int:
    for item in data:
        head = item[0] if isinstance(item, tuple) else item
        if isinstance(head, bytes) and b"RFC822.SIZE" in head:
            return int(head.split(b"RFC822.SIZE", 1)[1].split()[0].strip(b")"))
    return 0


def _body(data: list[object]) -> bytes:
    for item in data:
        if isinstance(item, tuple) and isinstance(item[1], bytes):
            return item[1]
    return b""


def poll_mailbox(*, session: Session, settings: Settings, now: datetime) -> PollReport:
    """Read the programme mailbox's unseen messages once and apply the replies (a job
    calls this periodically; it does nothing without COACHMATCH_IMAP_URL). Raises
    ``OSError`` or ``imaplib.IMAP4.error`` when the server cannot be reached or refuses
    the sign-in: the job retries later."""
    report = PollReport()
    if settings.imap_url is None:
        report.skipped = True
        return report
    client, folder = _connect(settings)
    try:
        status, _ = client.select(f'"{folder}"')
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open the mailbox folder ({status})")
        status, found = client.uid("SEARCH", "UNSEEN")
        uids = found[0].split()[: settings.imap_batch_size] if status == "OK" and found else []
        for uid in uids:
            status, data = client.uid("FETCH", uid, "(RFC822.SIZE)")
            too_large = status == "OK" and _size(data) > settings.reply_max_bytes
            part = "(BODY.PEEK[HEADER])" if too_large else "(BODY.PEEK[])"
            status, data = client.uid("FETCH", uid, part)
            if status != "OK":
                continue
            raw = _body(data)
            if too_large:  # a marker past the limit: quarantined from its headers
                raw = raw + b"\r\n" + b"x" * (settings.reply_max_bytes + 1)
            one = handle_message(
                session=session, settings=settings, raw=raw, source="imap", now=now
            )
            for name in ("applied", "stale", "counters", "quarantined", "duplicates"):
                setattr(report, name, getattr(report, name) + getattr(one, name))
            report.reasons += one.reasons
            report.read += 1
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    if report.read:
        log.info(
            "mailbox: %d read, %d applied, %d counters, %d quarantined",
            report.read,
            report.applied,
            report.counters,
            report.quarantined,
        )
    return report
