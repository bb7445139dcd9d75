"""a rejected proposal keeps HR's reason, shown on HR's pages only

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 04:00:00

The column is added in place, empty for the proposals rejected before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("proposal", sa.Column("reject_reason", sa.String(500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("proposal") as batch:
        batch.drop_column("reject_reason")
