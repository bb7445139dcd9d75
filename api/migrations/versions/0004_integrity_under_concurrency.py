"""integrity under concurrency: session attendance (no double booking in the database),
the round commit lock, sign-in throttles per account and per client

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 14:00:00

Attendance is filled from the existing sessions. Should earlier races have double-booked
someone, the later of two overlapping sessions is kept inactive here (logged with its id)
so the constraint can be created; moving or cancelling it sets it right.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

EXCLUSION = "ex_session_attendance_no_overlap"
# SQLite has no exclusion constraints: a trigger per write refuses an overlap (the write
# lock serialises the writers, so the check and the write are one step).
_SQLITE_CHECK = """
SELECT RAISE(ABORT, 'ex_session_attendance_no_overlap')
WHERE NEW.active AND EXISTS (
    SELECT 1 FROM session_attendance other
    WHERE other.attendee = NEW.attendee AND other.active AND other.id IS NOT NEW.id
      AND other.start_at < NEW.end_at AND NEW.start_at < other.end_at
)
"""


def _attendance_table() -> None:
    op.create_table(
        "session_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("attendee", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["coaching_session.id"],
            name=op.f("fk_session_attendance_session_id_coaching_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_attendance")),
        sa.UniqueConstraint(
            "session_id", "attendee", name=op.f("uq_session_attendance_session_id_attendee")
        ),
    )
    with op.batch_alter_table("session_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_attendance_session_id"), ["session_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_session_attendance_attendee"), ["attendee"], unique=False
        )


def _backfill(connection: sa.Connection) -> None:
    rows = connection.execute(
        sa.text(
            "SELECT s.id, s.number, s.start_at, s.end_at, s.status, c.id, c.person_id, "
            "r.coachee_id, r.sponsor_id "
            "FROM coaching_session s JOIN engagement e ON e.id = s.engagement_id "
            "JOIN coach c ON c.id = e.coach_id JOIN coaching_request r ON r.id = e.request_id "
            "ORDER BY s.start_at, s.id"
        )
    ).all()
    taken: dict[str, list[tuple[Any, Any]]] = {}
    insert = sa.text(
        "INSERT INTO session_attendance (session_id, attendee, role, start_at, end_at, active) "
        "VALUES (:session, :attendee, :role, :start, :end, :active)"
    )
    for sid, number, start, end, status, coach, coach_person, coachee, sponsor in rows:
        people = [
            (f"p{coach_person}" if coach_person is not None else f"c{coach}", "coach"),
            (f"p{coachee}", "coachee"),
        ]
        if number == 1 and sponsor is not None:
            people.append((f"p{sponsor}", "sponsor"))
        seen: set[str] = set()
        for attendee, role in people:
            if attendee in seen:
                continue
            seen.add(attendee)
            active = status != "cancelled"
            spans = taken.setdefault(attendee, [])
            if active and any(s < end and start < e for s, e in spans):
                log.warning("session %s double-books %s: its attendance is inactive", sid, role)
                active = False
            if active:
                spans.append((start, end))
            connection.execute(
                insert,
                {
                    "session": sid,
                    "attendee": attendee,
                    "role": role,
                    "start": start,
                    "end": end,
                    "active": active,
                },
            )


def _no_overlap(connection: sa.Connection) -> None:
    if connection.dialect.name == "postgresql":
        # btree_gist gives GiST the plain equality on `attendee`. Created in public, once
        # per database; the advisory lock keeps two migrating processes from racing.
        op.execute("SELECT pg_advisory_xact_lock(724001)")
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public")
        op.execute(
            f"ALTER TABLE session_attendance ADD CONSTRAINT {EXCLUSION} "
            "EXCLUDE USING gist (attendee WITH =, tstzrange(start_at, end_at) WITH &&) "
            "WHERE (active)"
        )
        return
    for event in ("INSERT", "UPDATE"):
        op.execute(
            f"CREATE TRIGGER tr_session_attendance_{event.lower()} "
            f"BEFORE {event} ON session_attendance FOR EACH ROW BEGIN {_SQLITE_CHECK}; END"
        )


def upgrade() -> None:
    _attendance_table()
    connection = op.get_bind()
    _backfill(connection)
    _no_overlap(connection)

    op.create_table(
        "round_lock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_lock")),
    )
    op.execute("INSERT INTO round_lock (id, version) VALUES (1, 0)")

    op.create_table(
        "login_throttle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_throttle")),
        sa.UniqueConstraint("scope", "key", name=op.f("uq_login_throttle_scope_key")),
    )
    op.drop_table("login_attempt")


def downgrade() -> None:
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
        sa.UniqueConstraint("email", "ip", name=op.f("uq_login_attempt_email_ip")),
    )
    op.drop_table("login_throttle")
    op.drop_table("round_lock")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS tr_session_attendance_insert")
        op.execute("DROP TRIGGER IF EXISTS tr_session_attendance_update")
    with op.batch_alter_table("session_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_attendance_attendee"))
        batch_op.drop_index(batch_op.f("ix_session_attendance_session_id"))
    op.drop_table("session_attendance")
