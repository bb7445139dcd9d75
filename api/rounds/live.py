"""Proposals still waiting for a decision, and how they end when their request moves on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from api.models import Proposal
from api.models.enums import ProposalStatus


def supersede_live(
    *,
    session: Session,
    request_ids: Iterable[int],
    now: datetime,
    accepted: int | None = None,
) -> int:
    """The still-``proposed`` proposals of ``request_ids`` become ``superseded`` (the one
    whose id is ``accepted``, if any, ``accepted``), decided ``now``. The caller commits,
    so this lands with the change that caused it. Returns how many changed."""
    ids = list(request_ids)
    if not ids:
        return 0
    rows = session.exec(
        select(Proposal).where(
            col(Proposal.request_id).in_(ids), Proposal.status == ProposalStatus.proposed
        )
    ).all()
    for row in rows:
        row.status = ProposalStatus.accepted if row.id == accepted else ProposalStatus.superseded
        row.decided_at = now
        session.add(row)
    return len(rows)
