"""the whole engagement (issue 11): lifecycle states, the tripartite contract's versions
and acknowledgements, evaluations stored detached, notification settings, the coach's
professional record, the participants of team coaching and mediation

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 10:00:00

Existing engagements move to the new states: confirmed -> proposed (no contract was
acknowledged yet), active -> in_progress, stopped -> ended_early (reason "other"),
completed and flagged stay (a flag's earlier state is moved the same way). External
coaches get a record in the "referenced" state (they were matched as referenced).
Columns are added in place (no table copy on SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UP = {"confirmed": "proposed", "active": "in_progress", "stopped": "ended_early"}
DOWN = {
    "proposed": "confirmed",
    "contracted": "confirmed",
    "in_progress": "active",
    "midway_review": "active",
    "closing": "active",
    "on_hold": "active",
    "ended_early": "stopped",
    "reassigned": "stopped",
}


def _evaluation_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("satisfaction", sa.Integer(), nullable=False),
        sa.Column("recommend", sa.Boolean(), nullable=False),
        sa.Column("objectives", sa.JSON(), nullable=False),
        sa.Column("testimonial", sa.Text(), nullable=True),
        sa.Column("quotable", sa.Boolean(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("request_type", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("coach_kind", sa.String(length=10), nullable=False),
        sa.Column("respondent", sa.String(length=10), nullable=False),
    ]


def _map(mapping: dict[str, str]) -> None:
    for column in ("status", "status_before_flag"):
        for old, new in mapping.items():
            op.execute(
                sa.text(f"UPDATE engagement SET {column} = :new WHERE {column} = :old").bindparams(
                    new=new, old=old
                )
            )


def upgrade() -> None:
    op.create_table(
        "contract_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("objectives", sa.JSON(), nullable=False),
        sa.Column("frame", sa.JSON(), nullable=False),
        sa.Column("template", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_contract_version_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_version")),
        sa.UniqueConstraint(
            "engagement_id", "version", name=op.f("uq_contract_version_engagement_id_version")
        ),
    )
    op.create_index(
        op.f("ix_contract_version_engagement_id"), "contract_version", ["engagement_id"]
    )
    op.create_table(
        "contract_acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract_version.id"],
            name=op.f("fk_contract_acknowledgement_contract_id_contract_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_acknowledgement")),
        sa.UniqueConstraint(
            "contract_id", "role", name=op.f("uq_contract_acknowledgement_contract_id_role")
        ),
    )
    op.create_index(
        op.f("ix_contract_acknowledgement_contract_id"),
        "contract_acknowledgement",
        ["contract_id"],
    )
    op.create_table(
        "evaluation_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("objectives", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_evaluation_invitation_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_evaluation_invitation_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_invitation")),
        sa.UniqueConstraint(
            "engagement_id", "role", name=op.f("uq_evaluation_invitation_engagement_id_role")
        ),
    )
    op.create_index(
        op.f("ix_evaluation_invitation_engagement_id"), "evaluation_invitation", ["engagement_id"]
    )
    op.create_index(
        op.f("ix_evaluation_invitation_person_id"), "evaluation_invitation", ["person_id"]
    )
    op.create_table(
        "pending_evaluation",
        *_evaluation_columns(),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_evaluation")),
    )
    op.create_table(
        "evaluation_answer",
        *_evaluation_columns(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_answer")),
    )
    op.create_index(op.f("ix_evaluation_answer_batch"), "evaluation_answer", ["batch"])
    tally = [
        sa.Column(f"{state}_{name}", sa.Integer(), nullable=False)
        for state in ("pending", "released")
        for name in ("count", "satisfaction", "recommend", "objective_sum", "objective_count")
    ]
    op.create_table(
        "coach_evaluation_tally",
        sa.Column("coach_id", sa.Integer(), nullable=False),
        *tally,
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
            name=op.f("fk_coach_evaluation_tally_coach_id_coach"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("coach_id", name=op.f("pk_coach_evaluation_tally")),
    )
    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("off", sa.JSON(), nullable=False),
        sa.Column("reminder_hours", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_notification_settings_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_settings")),
    )
    op.create_table(
        "certification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=100), nullable=False),
        sa.Column("obtained", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
            name=op.f("fk_certification_coach_id_coach"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification")),
    )
    op.create_index(op.f("ix_certification_coach_id"), "certification", ["coach_id"])
    op.create_table(
        "supervision_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
            name=op.f("fk_supervision_log_coach_id_coach"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_log")),
    )
    op.create_index(op.f("ix_supervision_log_coach_id"), "supervision_log", ["coach_id"])
    op.create_table(
        "coach_record",
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("accreditation", sa.String(length=200), nullable=True),
        sa.Column("peer_group", sa.String(length=200), nullable=True),
        sa.Column("referencing_state", sa.String(length=20), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
            name=op.f("fk_coach_record_coach_id_coach"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("coach_id", name=op.f("pk_coach_record")),
    )
    op.create_table(
        "request_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_request_participant_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["coaching_request.id"],
            name=op.f("fk_request_participant_request_id_coaching_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_participant")),
        sa.UniqueConstraint(
            "request_id", "person_id", name=op.f("uq_request_participant_request_id_person_id")
        ),
    )
    op.create_index(op.f("ix_request_participant_person_id"), "request_participant", ["person_id"])
    op.create_index(
        op.f("ix_request_participant_request_id"), "request_participant", ["request_id"]
    )

    for name, column in (
        ("end_reason", sa.String(length=20)),
        ("ended_by", sa.String(length=10)),
        ("ended_at", sa.DateTime(timezone=True)),
        ("status_before_hold", sa.String(length=20)),
        ("midway_review_at", sa.DateTime(timezone=True)),
        ("coach_change_requested_at", sa.DateTime(timezone=True)),
        ("predecessor_id", sa.Integer()),
    ):
        op.add_column("engagement", sa.Column(name, column, nullable=True))
    op.add_column(
        "engagement",
        sa.Column("hold_keeps_capacity", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    _map(UP)
    op.execute("UPDATE engagement SET end_reason = 'other' WHERE status = 'ended_early'")
    op.execute(
        "INSERT INTO coach_record (coach_id, referencing_state, updated_at) "
        "SELECT id, 'referenced', updated_at FROM coach WHERE kind = 'external'"
    )


def downgrade() -> None:
    _map(DOWN)
    for name in (
        "hold_keeps_capacity",
        "predecessor_id",
        "coach_change_requested_at",
        "midway_review_at",
        "status_before_hold",
        "ended_at",
        "ended_by",
        "end_reason",
    ):
        op.drop_column("engagement", name)
    for table in (
        "request_participant",
        "coach_record",
        "supervision_log",
        "certification",
        "notification_settings",
        "coach_evaluation_tally",
        "evaluation_answer",
        "pending_evaluation",
        "evaluation_invitation",
        "contract_acknowledgement",
        "contract_version",
    ):
        op.drop_table(table)
