"""chemistry calls: a short call a coachee books with a proposed coach before choosing
(issue 14 item 4)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 00:00:00

At most one booked call per proposal: a partial unique index, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chemistry_call",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "proposal_id",
            sa.Integer(),
            sa.ForeignKey("proposal.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "coach_id", sa.Integer(), sa.ForeignKey("coach.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "coachee_id",
            sa.Integer(),
            sa.ForeignKey("person.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("uid", sa.String(255), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
    )
    for column in ("proposal_id", "coach_id", "coachee_id"):
        op.create_index(f"ix_chemistry_call_{column}", "chemistry_call", [column])
    op.create_index(
        "uq_chemistry_call_booked_proposal",
        "chemistry_call",
        ["proposal_id"],
        unique=True,
        sqlite_where=sa.text("state = 'booked'"),
        postgresql_where=sa.text("state = 'booked'"),
    )


def downgrade() -> None:
    op.drop_table("chemistry_call")
