"""The outbox: email written in the caller's transaction, delivered later, exactly once.

`enqueue` adds a message in the same transaction as the change it reports, under a dedupe
key naming that change, so a retried request never queues it twice. `deliver_pending`
claims due messages one at a time (a conditional UPDATE, safe with several senders),
sends them over SMTP or writes `.eml` files, and records the result at once. While SMTP is
down messages stay pending and are retried with exponential backoff.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api.metrics import MAIL_FAILURES, MAIL_SENT
from api.models import OutboxMessage
from api.models.enums import OutboxStatus
from api.settings import Settings

log = logging.getLogger(__name__)

# The domain of an erased person's pseudonymous address (RFC 2606: never deliverable).
ERASED_DOMAIN = "erased.invalid"


def list_messages(
    *, session: Session, status: OutboxStatus | None, limit: int, offset: int
) -> tuple[list[OutboxMessage], int]:
    """Messages, newest first (HR shows their metadata, never their bodies)."""
    query = select(OutboxMessage)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(OutboxMessage.id).desc()).limit(limit).offset(offset))
    return list(rows), total


def message_id(dedupe_key: str, settings: Settings) -> str:
    """A Message-ID derived from the change, so even a resend is recognisably the same."""
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:32]
    host = urlsplit(settings.base_url).hostname or "coachmatch"
    return f"<{digest}@{host}>"


def enqueue(
    session: Session,
    *,
    kind: str,
    dedupe_key: str,
    message: EmailMessage,
    settings: Settings,
    now: datetime,
) -> OutboxMessage:
    """Queue `message` unless this change was already queued; the caller commits.
    Nothing is queued for an erased person (their address is a pseudonym's)."""
    if str(message["To"]).strip().rstrip(">").lower().endswith("@" + ERASED_DOMAIN):
        log.info("%s not queued: its recipient was erased", kind)
        return OutboxMessage(
            dedupe_key=dedupe_key, kind=kind, recipient="", subject="", raw_mime=b"",
            next_attempt_at=now, created_at=now,
        )  # fmt: skip
    existing = session.exec(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    ).first()
    if existing is not None:
        return existing
    if "From" not in message:
        message["From"] = settings.programme_mailbox
    if "Message-ID" not in message:
        message["Message-ID"] = message_id(dedupe_key, settings)
    if "Date" not in message:
        message["Date"] = formatdate(now.timestamp(), usegmt=True)
    if settings.outbox_interval_seconds > 0:
        from api.jobs.queue import defer
        from api.jobs.tasks import delivery_job

        defer(session, delivery_job())  # sent right after the change commits
    row = OutboxMessage(
        dedupe_key=dedupe_key,
        kind=kind,
        recipient=str(message["To"]),
        subject=str(message["Subject"]),
        # CRLF line ends: smtplib sends bytes as they are, and SMTP needs CRLF.
        raw_mime=message.as_bytes(policy=message.policy.clone(linesep="\r\n")),
        next_attempt_at=now,
        created_at=now,
    )
    try:
        with session.begin_nested():  # a concurrent twin may win the unique key
            session.add(row)
    except IntegrityError:
        return session.exec(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
        ).one()
    return row


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class _Transport:
    """One SMTP connection for a batch, or a folder of .eml files."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, row: OutboxMessage) -> None:
        if self.settings.smtp_url is None:
            self._write_file(row)
        else:
            self._send_smtp(row)

    def _write_file(self, row: OutboxMessage) -> None:
        folder = Path(self.settings.outbox_dir)
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(row.dedupe_key.encode()).hexdigest()[:16]
        target = folder / f"{row.id:08d}-{digest}.eml"
        if target.exists():
            return  # written before a crash that lost the "sent" mark
        partial = target.with_suffix(".part")
        partial.write_bytes(row.raw_mime)
        os.replace(partial, target)

    def _connect(self) -> smtplib.SMTP:
        url = urlsplit(self.settings.smtp_url or "")
        timeout = self.settings.smtp_timeout_seconds
        host = url.hostname or "localhost"
        smtp: smtplib.SMTP
        if url.scheme == "smtps":
            smtp = smtplib.SMTP_SSL(
                host, url.port or 465, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, url.port or 25, timeout=timeout)
            if url.scheme == "smtp+starttls":
                smtp.starttls(context=ssl.create_default_context())
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
        return smtp

    def _send_smtp(self, row: OutboxMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.sendmail(self.settings.programme_mailbox, [row.recipient], row.raw_mime)
        except smtplib.SMTPServerDisconnected:
            self._smtp = None
            raise

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None


def _permanent(exc: Exception) -> bool:
    """A 5xx answer about this message: retrying will not help (a full mailbox is 4xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500 and not isinstance(exc, smtplib.SMTPAuthenticationError)
    return False


def backoff(settings: Settings, attempts: int) -> timedelta:
    seconds = settings.outbox_backoff_base_seconds * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.outbox_backoff_max_seconds))


def _claim(session: Session, row_id: int, settings: Settings, now: datetime) -> bool:
    """Take the message for this sender; False when another sender has it."""
    lease_end = now + timedelta(seconds=settings.outbox_lease_seconds)
    result = session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id) == row_id,
            col(OutboxMessage.status).in_([OutboxStatus.pending, OutboxStatus.sending]),
            col(OutboxMessage.next_attempt_at) <= now,
        )
        .values(status=OutboxStatus.sending, next_attempt_at=lease_end)
    )
    session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def deliver_pending(session: Session, settings: Settings, now: datetime) -> DeliveryReport:
    """Send every due message once; return what happened. Safe to run concurrently."""
    report = DeliveryReport()
    due = session.exec(
        select(OutboxMessage.id)
        .where(
            or_(
                col(OutboxMessage.status) == OutboxStatus.pending,
                # a sender that died mid-send: its lease has run out
                col(OutboxMessage.status) == OutboxStatus.sending,
            ),
            col(OutboxMessage.next_attempt_at) <= now,
        )
        .order_by(col(OutboxMessage.id))
        .limit(settings.outbox_batch_size)
    ).all()
    session.rollback()  # end the read transaction before claiming
    transport = _Transport(settings)
    try:
        for row_id in due:
            assert row_id is not None
            if not _claim(session, row_id, settings, now):
                continue
            row = session.get_one(OutboxMessage, row_id, populate_existing=True)
            try:
                transport.send(row)
            except (smtplib.SMTPException, OSError) as exc:
                row.attempts += 1
                row.last_error = f"{type(exc).__name__}: {exc}"[:500]
                if _permanent(exc) and row.attempts >= settings.outbox_max_attempts:
                    row.status = OutboxStatus.failed
                    report.failed += 1
                else:
                    row.status = OutboxStatus.pending
                    row.next_attempt_at = now + backoff(settings, row.attempts)
                    report.retried += 1
                report.errors.append(type(exc).__name__)
                MAIL_FAILURES.inc()
                session.add(row)
                session.commit()
                log.warning("outbox message %s not delivered: %s", row_id, type(exc).__name__)
                if not _permanent(exc):
                    break  # the server is unreachable: the rest would fail the same way
                continue
            row.status = OutboxStatus.sent
            row.sent_at = now
            row.attempts += 1
            row.last_error = None
            session.add(row)
            session.commit()
            report.sent += 1
            MAIL_SENT.inc()
    finally:
        transport.close()
    if report.sent or report.retried or report.failed:
        log.info(
            "outbox: %d sent, %d to retry, %d failed", report.sent, report.retried, report.failed
        )
    return report
