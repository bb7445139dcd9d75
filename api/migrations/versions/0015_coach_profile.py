"""a coach's profile for the coachee who chooses: a short bio and an optional photo
(issue 14 item 4)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 21:00:00

The bio is a column of the coach, empty for the coaches added before; the photo is a row
of its own (one per coach) so that listing coaches never loads image bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("coach", sa.Column("bio", sa.String(600), nullable=True))
    op.create_table(
        "coach_photo",
        sa.Column(
            "coach_id",
            sa.Integer(),
            sa.ForeignKey("coach.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("content_type", sa.String(20), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("coach_photo")
    with op.batch_alter_table("coach") as batch:
        batch.drop_column("bio")
