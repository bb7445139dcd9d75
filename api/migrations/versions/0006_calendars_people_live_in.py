"""calendars people live in: where to meet (the coach's room URL, the engagement's room
and online room id, site addresses), replies to invites (inbound replies, reschedule
requests, each attendee's PARTSTAT), the feed's detail choice, and the coach's own
calendar read for busy times (issue 13)

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01 16:00:00

Columns are added in place (no table copy on SQLite, which would lose the attendance
trigger of 0004); the new NOT NULL columns have a server default for existing rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
        sa.UniqueConstraint("name", name=op.f("uq_site_name")),
    )
    op.create_table(
        "calendar_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("username", sa.String(length=254), nullable=True),
        sa.Column("password", sa.String(length=500), nullable=True),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("busy_intervals", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
            name=op.f("fk_calendar_subscription_coach_id_coach"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_subscription")),
        sa.UniqueConstraint("coach_id", name=op.f("uq_calendar_subscription_coach_id")),
    )
    op.create_table(
        "inbound_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_key", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=True),
        sa.Column("uid", sa.String(length=255), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.Column("attendee_email", sa.String(length=254), nullable=True),
        sa.Column("partstat", sa.String(length=20), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["coaching_session.id"],
            name=op.f("fk_inbound_reply_session_id_coaching_session"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_reply")),
        sa.UniqueConstraint("message_key", name=op.f("uq_inbound_reply_message_key")),
    )
    op.create_index(op.f("ix_inbound_reply_outcome"), "inbound_reply", ["outcome"], unique=False)
    op.create_index(
        op.f("ix_inbound_reply_received_at"), "inbound_reply", ["received_at"], unique=False
    )
    op.create_index(
        op.f("ix_inbound_reply_session_id"), "inbound_reply", ["session_id"], unique=False
    )
    op.create_table(
        "reschedule_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("attendee", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("proposed_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposed_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reply_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reply_id"],
            ["inbound_reply.id"],
            name=op.f("fk_reschedule_request_reply_id_inbound_reply"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["coaching_session.id"],
            name=op.f("fk_reschedule_request_session_id_coaching_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reschedule_request")),
    )
    op.create_index(
        op.f("ix_reschedule_request_session_id"), "reschedule_request", ["session_id"], unique=False
    )
    op.create_index(
        op.f("ix_reschedule_request_status"), "reschedule_request", ["status"], unique=False
    )
    op.add_column(
        "app_user",
        sa.Column("feed_detail", sa.String(length=10), nullable=False, server_default="title"),
    )
    op.add_column("coach", sa.Column("room_url", sa.String(length=500), nullable=True))
    op.add_column("engagement", sa.Column("room", sa.String(length=200), nullable=True))
    op.add_column("engagement", sa.Column("meeting_id", sa.String(length=64), nullable=True))
    op.add_column(
        "session_attendance",
        sa.Column("partstat", sa.String(length=20), nullable=False, server_default="NEEDS-ACTION"),
    )
    op.add_column(
        "session_attendance", sa.Column("partstat_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("session_attendance", "partstat_at")
    op.drop_column("session_attendance", "partstat")
    op.drop_column("engagement", "meeting_id")
    op.drop_column("engagement", "room")
    op.drop_column("coach", "room_url")
    op.drop_column("app_user", "feed_detail")
    op.drop_index(op.f("ix_reschedule_request_status"), table_name="reschedule_request")
    op.drop_index(op.f("ix_reschedule_request_session_id"), table_name="reschedule_request")
    op.drop_table("reschedule_request")
    op.drop_index(op.f("ix_inbound_reply_session_id"), table_name="inbound_reply")
    op.drop_index(op.f("ix_inbound_reply_received_at"), table_name="inbound_reply")
    op.drop_index(op.f("ix_inbound_reply_outcome"), table_name="inbound_reply")
    op.drop_table("inbound_reply")
    op.drop_table("calendar_subscription")
    op.drop_table("site")
