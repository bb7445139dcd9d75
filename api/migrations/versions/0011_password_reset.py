"""forgotten password (issue 14): a password reset link is an invitation row with the
purpose "reset" (one-time, expiring, stored as its SHA-256 like an invitation's)

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-04 10:00:00

The column is added in place (no table copy on SQLite); existing rows are invitations.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "invitation",
        sa.Column("purpose", sa.String(length=10), nullable=False, server_default="invitation"),
    )


def downgrade() -> None:
    op.execute("DELETE FROM invitation WHERE purpose <> 'invitation'")
    op.drop_column("invitation", "purpose")
