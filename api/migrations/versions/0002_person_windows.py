"""person windows and time away: a coachee's or sponsor's own availability

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 23:01:31.622982
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_exception",
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_exception_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_exception")),
    )
    with op.batch_alter_table("person_exception", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_exception_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "person_window",
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_window_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_window")),
    )
    with op.batch_alter_table("person_window", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_window_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person_window", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_window_person_id"))
    op.drop_table("person_window")
    with op.batch_alter_table("person_exception", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_exception_person_id"))
    op.drop_table("person_exception")
