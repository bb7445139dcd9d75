"""a cancelled request keeps why (HR's reason) and the status it had, so a cancel can be
undone for a short while (issue 14 item 5)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 20:00:00

Both columns are added in place, empty for the requests cancelled before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("coaching_request", sa.Column("cancel_reason", sa.String(500), nullable=True))
    op.add_column(
        "coaching_request", sa.Column("status_before_cancel", sa.String(20), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("coaching_request") as batch:
        batch.drop_column("status_before_cancel")
        batch.drop_column("cancel_reason")
