"""testimonials and weak signals (issue 12 items 3-4): testimonials detached from their
author, the engagements that gave one; HR's theme list, the coaches' tags on their
engagements and the synthesis notes

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "testimonial",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("redacted", sa.Boolean(), nullable=False),
        sa.Column("batch", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_testimonial")),
    )
    op.create_index(op.f("ix_testimonial_stage"), "testimonial", ["stage"])
    op.create_index(op.f("ix_testimonial_batch"), "testimonial", ["batch"])
    op.create_table(
        "testimonial_given",
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_testimonial_given_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("engagement_id", name=op.f("pk_testimonial_given")),
    )
    op.create_table(
        "theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label_en", sa.String(length=80), nullable=False),
        sa.Column("label_fr", sa.String(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme")),
        sa.UniqueConstraint("code", name=op.f("uq_theme_code")),
    )
    op.create_table(
        "engagement_theme",
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_engagement_theme_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["theme.id"], name=op.f("fk_engagement_theme_theme_id_theme")
        ),
        sa.PrimaryKeyConstraint("engagement_id", "theme_id", name=op.f("pk_engagement_theme")),
    )
    op.create_index(op.f("ix_engagement_theme_theme_id"), "engagement_theme", ["theme_id"])
    op.create_table(
        "synthesis_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synthesis_note")),
    )


def downgrade() -> None:
    op.drop_table("synthesis_note")
    op.drop_index(op.f("ix_engagement_theme_theme_id"), table_name="engagement_theme")
    op.drop_table("engagement_theme")
    op.drop_table("theme")
    op.drop_table("testimonial_given")
    op.drop_index(op.f("ix_testimonial_batch"), table_name="testimonial")
    op.drop_index(op.f("ix_testimonial_stage"), table_name="testimonial")
    op.drop_table("testimonial")
