"""rounds as jobs: status, kind, progress, heartbeat, idempotency key, the inputs'
fingerprint and the offers a preview commits as shown

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 15:00:00

Earlier rounds were stored only when committed: they become done, committed rounds.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _procrastinate_schema() -> None:
    """PostgreSQL: the job queue's tables and functions (Procrastinate's own schema, from
    the installed package), in the service's schema."""
    if op.get_bind().dialect.name != "postgresql":
        return
    from importlib.resources import files

    op.execute(files("procrastinate.sql").joinpath("schema.sql").read_text())


def upgrade() -> None:
    _procrastinate_schema()
    with op.batch_alter_table("matching_round", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="commit")
        )
        batch_op.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("cancel_requested", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("progress", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.add_column(sa.Column("error", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("base_version", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("fingerprint", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.add_column(
            sa.Column("offers", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_matching_round_idempotency_key"), ["idempotency_key"]
        )
    op.execute(
        "UPDATE matching_round SET status = 'done', finished_at = committed_at "
        "WHERE status = 'committed'"
    )
    op.execute(
        "UPDATE matching_round SET status = 'done', kind = 'preview' WHERE status = 'preview'"
    )
    # The server defaults only filled the existing rows; the models set the values.
    with op.batch_alter_table("matching_round", schema=None) as batch_op:
        for column in ("kind", "cancel_requested", "progress", "fingerprint", "offers"):
            batch_op.alter_column(column, server_default=None)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in (
            "procrastinate_periodic_defers",
            "procrastinate_events",
            "procrastinate_jobs",
            "procrastinate_workers",
        ):
            op.execute(f"DROP TABLE IF EXISTS {name} CASCADE")
        op.execute(
            "DO $$ DECLARE f record; BEGIN FOR f IN SELECT p.oid::regprocedure AS sig FROM "
            "pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname LIKE "
            "'procrastinate%' AND n.nspname = current_schema() LOOP EXECUTE 'DROP FUNCTION ' "
            "|| f.sig || ' CASCADE'; END LOOP; END $$"
        )
        for name in (
            "procrastinate_job_to_defer_v1",
            "procrastinate_job_status",
            "procrastinate_job_event_type",
        ):
            op.execute(f"DROP TYPE IF EXISTS {name} CASCADE")
    op.execute("UPDATE matching_round SET status = 'committed' WHERE committed_at IS NOT NULL")
    op.execute(
        "UPDATE matching_round SET status = 'failed' WHERE status IN "
        "('queued', 'running', 'done', 'cancelled')"
    )
    with op.batch_alter_table("matching_round", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_matching_round_idempotency_key"), type_="unique")
        for column in (
            "offers",
            "fingerprint",
            "base_version",
            "error",
            "progress",
            "cancel_requested",
            "idempotency_key",
            "heartbeat_at",
            "finished_at",
            "started_at",
            "kind",
        ):
            batch_op.drop_column(column)
