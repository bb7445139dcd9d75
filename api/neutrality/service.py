"""Declared conflicts of interest (coach x person) and pair adjustments (coach x request)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from api import messages
from api.db import get_or_404
from api.errors import Conflict as ConflictError
from api.errors import InvalidInput
from api.models import Coach, CoachingRequest, Conflict, PairAdjustment, Person
from api.models.enums import AdjustmentKind

from .schemas import ConflictCreate, PairAdjustmentCreate


def _require(session: Session, model: type, row_id: int, what: str, field: str) -> None:
    if session.get(model, row_id) is None:
        raise InvalidInput(messages.NOT_FOUND.format(what=what), field=field)


def create_conflict(*, session: Session, data: ConflictCreate, now: datetime) -> Conflict:
    _require(session, Coach, data.coach_id, "coach", "coach_id")
    _require(session, Person, data.person_id, "person", "person_id")
    exists = session.exec(
        select(Conflict).where(
            Conflict.coach_id == data.coach_id, Conflict.person_id == data.person_id
        )
    ).first()
    if exists is not None:
        raise ConflictError(messages.DUPLICATE.format(what="conflict"), field="person_id")
    row = Conflict(**data.model_dump(), created_at=now)
    session.add(row)
    session.commit()
    return row


def list_conflicts(
    *, session: Session, coach_id: int | None, person_id: int | None, limit: int, offset: int
) -> tuple[list[Conflict], int]:
    query = select(Conflict)
    if coach_id is not None:
        query = query.where(Conflict.coach_id == coach_id)
    if person_id is not None:
        query = query.where(Conflict.person_id == person_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Conflict.id)).limit(limit).offset(offset))
    return list(rows), total


def delete_conflict(*, session: Session, conflict_id: int) -> None:
    session.delete(get_or_404(session, Conflict, conflict_id, "conflict"))
    session.commit()


def create_adjustment(
    *, session: Session, data: PairAdjustmentCreate, now: datetime
) -> PairAdjustment:
    _require(session, Coach, data.coach_id, "coach", "coach_id")
    _require(session, CoachingRequest, data.request_id, "request", "request_id")
    if data.kind == AdjustmentKind.bonus and data.weight is None:
        raise InvalidInput(messages.ADJUSTMENT_NEEDS_WEIGHT, field="weight")
    if data.kind == AdjustmentKind.forbid and data.weight is not None:
        raise InvalidInput(messages.ADJUSTMENT_NO_WEIGHT, field="weight")
    exists = session.exec(
        select(PairAdjustment).where(
            PairAdjustment.coach_id == data.coach_id, PairAdjustment.request_id == data.request_id
        )
    ).first()
    if exists is not None:
        raise ConflictError(messages.DUPLICATE.format(what="pair adjustment"), field="request_id")
    row = PairAdjustment(**data.model_dump(), created_at=now)
    session.add(row)
    session.commit()
    return row


def list_adjustments(
    *, session: Session, coach_id: int | None, request_id: int | None, limit: int, offset: int
) -> tuple[list[PairAdjustment], int]:
    query = select(PairAdjustment)
    if coach_id is not None:
        query = query.where(PairAdjustment.coach_id == coach_id)
    if request_id is not None:
        query = query.where(PairAdjustment.request_id == request_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(PairAdjustment.id)).limit(limit).offset(offset))
    return list(rows), total


def delete_adjustment(*, session: Session, adjustment_id: int) -> None:
    session.delete(get_or_404(session, PairAdjustment, adjustment_id, "pair adjustment"))
    session.commit()
