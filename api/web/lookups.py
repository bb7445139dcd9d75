"""Display look-ups for pages: names for ids, and org-chart ids (what HR types) to rows."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from api.models import Coach, Person


def person_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(Person.id, Person.name).where(col(Person.id).in_(wanted)))
    return {pid: name for pid, name in rows if pid is not None}


def coach_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(Coach.id, Coach.name).where(col(Coach.id).in_(wanted)))
    return {cid: name or f"#{cid}" for cid, name in rows if cid is not None}


def external_ids(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(Person.id, Person.external_id).where(col(Person.id).in_(wanted)))
    return {pid: ext for pid, ext in rows if pid is not None}


def person_by_external_id(session: Session, external_id: str) -> Person | None:
    return session.exec(select(Person).where(Person.external_id == external_id)).first()
