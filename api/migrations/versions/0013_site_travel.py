"""travel between sites (issue 9 item 10): HR's one-way minutes between two sites, one
row per unordered pair; a site's optional coordinates for the default from its city

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 10:00:00

The coordinates are added in place (no table copy on SQLite); existing sites have none
(their default comes from their city's, when the built-in table knows it).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("site", sa.Column("latitude", sa.Float(), nullable=True))
    op.add_column("site", sa.Column("longitude", sa.Float(), nullable=True))
    op.create_table(
        "site_travel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_a", sa.String(length=200), nullable=False),
        sa.Column("site_b", sa.String(length=200), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("minutes >= 0 AND minutes <= 1440", name=op.f("ck_site_travel_minutes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_travel")),
        sa.UniqueConstraint("site_a", "site_b", name=op.f("uq_site_travel_site_a_site_b")),
    )


def downgrade() -> None:
    op.drop_table("site_travel")
    op.drop_column("site", "longitude")
    op.drop_column("site", "latitude")
