"""The audit chain: appending entries under the head's lock, and checking it whole.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's content (every
column but the hash, in canonical JSON). Removing an entry leaves a gap in `seq` and a
`prev_hash` that no longer matches; editing one changes its hash, which the next entry
no longer names; the head holds the last entry's number and hash, so dropping the tail
shows too. Appending first takes the head's lock (an UPDATE of its one row: a row lock on
PostgreSQL, the database write lock on SQLite), so two transactions appending at once
queue up instead of both building on the same previous hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, text
from sqlmodel import Session, col, select

from api.models.audit import GENESIS, AuditEntry, AuditHead

BATCH = 1000


@dataclass(frozen=True)
class Draft:
    """An entry to append: what happened, and to whom it matters."""

    action: str
    target: str
    target_id: str | None = None
    fields: tuple[str, ...] = ()
    subject_person_id: int | None = None
    request_id: int | None = None
    engagement_id: int | None = None
    # A read names its reader explicitly (the session's account otherwise).
    user_id: int | None = None
    role: str | None = None


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def content_of(values: dict[str, Any]) -> dict[str, Any]:
    """The hashed content: every column but the hash (the previous hash included)."""
    return {
        "seq": values["seq"],
        "at": _stamp(values["at"]),
        "actor_user_id": values["actor_user_id"],
        "actor_role": values["actor_role"],
        "ip": values["ip"],
        "via": values["via"],
        "action": values["action"],
        "target": values["target"],
        "target_id": values["target_id"],
        "fields": list(values["fields"]),
        "subject_person_id": values["subject_person_id"],
        "request_id": values["request_id"],
        "engagement_id": values["engagement_id"],
        "prev_hash": values["prev_hash"],
    }


def digest(values: dict[str, Any]) -> str:
    body = json.dumps(content_of(values), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def append(
    connection: Connection,
    drafts: Sequence[Draft],
    *,
    at: datetime,
    via: str,
    ip: str | None,
    user_id: int | None,
    role: str | None,
) -> int:
    """Append `drafts` in order, in the connection's transaction; returns the last seq."""
    # The lock first, then the head as it is once we hold it.
    connection.execute(text("UPDATE audit_head SET seq = seq WHERE id = 1"))
    seq, prev = connection.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).one()
    rows = []
    for d in drafts:
        seq += 1
        values: dict[str, Any] = {
            "seq": seq,
            "at": at,
            "actor_user_id": d.user_id if d.user_id is not None else user_id,
            "actor_role": d.role if d.role is not None else role,
            "ip": ip,
            "via": via,
            "action": d.action,
            "target": d.target,
            "target_id": d.target_id,
            "fields": list(d.fields),
            "subject_person_id": d.subject_person_id,
            "request_id": d.request_id,
            "engagement_id": d.engagement_id,
            "prev_hash": prev,
        }
        values["hash"] = prev = digest(values)
        rows.append(values)
    connection.execute(insert(AuditEntry), rows)
    connection.execute(
        text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"),
        {"seq": seq, "hash": prev},
    )
    return int(seq)


@dataclass
class Problem:
    seq: int
    problem: str  # missing | edited | broken_link | head

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.problem.replace('_', ' ')}"


@dataclass
class Verification:
    entries: int = 0
    first: int | None = None
    last: int | None = None
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session) -> Verification:
    """Walk the whole chain in order and say where it breaks (nothing is changed)."""
    head = session.get(AuditHead, 1)
    report = Verification(
        head_seq=head.seq if head else -1, head_hash=head.hash if head else "missing"
    )
    expected_seq, expected_prev = 1, GENESIS
    after = 0
    while True:
        rows = session.exec(
            select(AuditEntry)
            .where(col(AuditEntry.seq) > after)
            .order_by(col(AuditEntry.seq))
            .limit(BATCH)
        ).all()
        if not rows:
            break
        for row in rows:
            values = row.model_dump()
            if report.first is None:
                report.first = row.seq
            if row.seq != expected_seq:
                for gone in range(expected_seq, row.seq):
                    report.problems.append(Problem(gone, "missing"))
            if digest(values) != row.hash:
                report.problems.append(Problem(row.seq, "edited"))
            elif row.prev_hash != expected_prev:
                report.problems.append(Problem(row.seq, "broken_link"))
            report.entries += 1
            report.last = row.seq
            expected_seq, expected_prev = row.seq + 1, row.hash
            after = row.seq
    if head is None or head.seq != (report.last or 0) or head.hash != expected_prev:
        report.problems.append(Problem(report.head_seq, "head"))
    session.rollback()
    return report
