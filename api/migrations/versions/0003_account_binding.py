"""accounts bound to their person: at most one account per person and role

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00

Before the unique index, accounts that break the rule are made harmless: of several
accounts of one person in one role the one with the person's own email (else the oldest)
is kept, the others lose their person and are deactivated and signed out; so are
coachee and sponsor accounts whose email is not their person's (shadow accounts).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _neutralise(connection: sa.Connection) -> None:
    rows = connection.execute(
        sa.text(
            "SELECT u.id, u.person_id, u.role, lower(u.email) = lower(p.email) AS own "
            "FROM app_user u JOIN person p ON p.id = u.person_id ORDER BY u.id"
        )
    ).all()
    keep: dict[tuple[int, str], int] = {}
    drop: set[int] = set()
    for user_id, person_id, role, own in rows:
        if role in ("coachee", "sponsor") and not own:
            drop.add(user_id)
            continue
        key = (person_id, role)
        if key not in keep:
            keep[key] = user_id
        else:
            drop.add(user_id)
    for user_id in sorted(drop):
        connection.execute(
            sa.text("UPDATE app_user SET person_id = NULL, active = :off WHERE id = :id"),
            {"id": user_id, "off": False},
        )
        connection.execute(
            sa.text("DELETE FROM login_session WHERE user_id = :id"), {"id": user_id}
        )


def upgrade() -> None:
    _neutralise(op.get_bind())
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_app_user_person_id_role"), ["person_id", "role"]
        )


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_app_user_person_id_role"), type_="unique")
