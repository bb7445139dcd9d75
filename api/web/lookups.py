"""Display look-ups for pages: names for ids, and org-chart ids (what HR types) to rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from api.models import Coach, CoachingRequest, Person
from api.web import forms


def person_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(Person.id, Person.name).where(col(Person.id).in_(wanted)))
    return {pid: name for pid, name in rows if pid is not None}


def names_by_org_id(session: Session, org_ids: Iterable[str | None]) -> dict[str, str]:
    """Names for org-chart ids ("B1" -> "Beatrice Boss"), e.g. a page of people's managers."""
    wanted = {i for i in org_ids if i}
    if not wanted:
        return {}
    query = select(Person.external_id, Person.name).where(col(Person.external_id).in_(wanted))
    return dict(session.exec(query).all())


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


def _request_column(session: Session, column: Any, ids: Iterable[int | None]) -> dict[int, Any]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(
        select(CoachingRequest.id, column).where(col(CoachingRequest.id).in_(wanted))
    )
    return {rid: value for rid, value in rows if rid is not None}


def request_types(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Each request's coaching type (a catalog code), to say what a request is for."""
    return _request_column(session, CoachingRequest.coaching_type, ids)


def request_coachees(session: Session, ids: Iterable[int | None]) -> dict[int, int]:
    """Each request's coachee (a person id), to name it on HR's pages."""
    return _request_column(session, CoachingRequest.coachee_id, ids)


def person_by_external_id(session: Session, external_id: str) -> Person | None:
    return session.exec(select(Person).where(Person.external_id == external_id)).first()


def person_id(session: Session, external_id: str, field: str, lang: str) -> int:
    """The row id of the person HR (or a coachee) named by org-chart id; a refusal of
    `field` when no one has it."""
    person = person_by_external_id(session, external_id)
    if person is None or person.id is None:
        raise forms.invalid(field, "invalid.unknown_person", lang, id=external_id)
    return person.id
