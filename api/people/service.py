"""Org-chart import (all or nothing, with a diff) and people look-ups."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from api import messages
from api.accounts.email_change import EmailChange, follow_email_changes
from api.accounts.service import close_access
from api.errors import Conflict, ImportRejected, NotFound
from api.models import Coach, CoachingRequest, Engagement, Person, User
from api.models.enums import LIVE_ENGAGEMENT, EngagementStatus
from api.settings import Settings
from matcher.orgchart import OrgChart

from . import orgcsv
from .schemas import FlaggedEngagement, ImportReport, PersonChange, PersonPublic

log = logging.getLogger(__name__)

TRACKED = ("name", "email", "unit", "site", "timezone", "language")


def import_org_chart(
    *,
    session: Session,
    content: bytes,
    now: datetime,
    settings: Settings,
    dry_run: bool = False,
    confirm_deactivations: bool = False,
) -> ImportReport:
    """Replace the org chart with the file's: create, update in place, deactivate the
    people no longer listed, and flag live engagements whose coach is now in the coachee's
    or sponsor's reporting line. Nothing is written when any line is wrong (the first
    errors are listed, all are counted), nor when the import would deactivate more than
    `org_max_deactivation_share` of the active people without `confirm_deactivations` (a
    header-only file would otherwise switch off everyone and their accounts). A changed
    email moves the person's accounts to it and is mailed to the previous address."""
    max_deactivation_share = settings.org_max_deactivation_share
    rows, errors, chart = orgcsv.parse(content)
    if errors or chart is None:
        raise ImportRejected(
            messages.CSV_REJECTED.format(count=len(errors)),
            errors=errors.listed(),
            error_count=len(errors),
        )

    existing = {p.external_id: p for p in session.exec(select(Person))}
    active_before = sum(1 for p in existing.values() if p.active)
    old_manager = {p.id: p.manager_id for p in existing.values()}
    ext_of_id = {p.id: p.external_id for p in existing.values()}
    changes: list[PersonChange] = []
    counts = {"created": 0, "updated": 0, "deactivated": 0, "reactivated": 0, "unchanged": 0}
    touched: list[tuple[orgcsv.Row, Person, dict[str, dict[str, Any]], str | None]] = []
    moved: list[EmailChange] = []

    for row in rows:
        person = existing.get(row.external_id)
        if person is None:
            person = Person(
                external_id=row.external_id,
                name=row.name,
                email=row.email,
                unit=row.unit,
                site=row.site,
                timezone=row.timezone,
                language=row.language,
                active=True,
                created_at=now,
                updated_at=now,
            )
            session.add(person)
            touched.append((row, person, {}, "created"))
            continue
        diff: dict[str, dict[str, Any]] = {}
        for field in TRACKED:
            new = getattr(row, field)
            if getattr(person, field) != new:
                diff[field] = {"old": getattr(person, field), "new": new}
                setattr(person, field, new)
        state = None
        if not person.active:
            person.active = True
            state = "reactivated"
        if "email" in diff:
            moved.append(EmailChange(person, old=diff["email"]["old"], line=row.line))
        touched.append((row, person, diff, state))
    session.flush()  # ids for the new people

    id_of = {person.external_id: person.id for _, person, _, _ in touched}
    for row, person, diff, state in touched:
        new_manager = id_of[row.manager_id] if row.manager_id else None
        if state != "created" and person.manager_id != new_manager:
            old_ext = ext_of_id.get(old_manager.get(person.id)) if person.id else None
            diff["manager_id"] = {"old": old_ext, "new": row.manager_id}
        person.manager_id = new_manager
        if state == "created":
            counts["created"] += 1
            changes.append(
                PersonChange(external_id=row.external_id, line=row.line, change="created")
            )
        elif state == "reactivated" or diff:
            person.updated_at = now
            counts["reactivated" if state else "updated"] += 1
            changes.append(
                PersonChange(
                    external_id=row.external_id,
                    line=row.line,
                    change="reactivated" if state else "updated",
                    fields=diff,
                )
            )
        else:
            counts["unchanged"] += 1
        session.add(person)

    listed = {row.external_id for row in rows}
    gone: list[int] = []
    for ext, person in existing.items():
        if ext not in listed and person.active:
            person.active = False
            person.updated_at = now
            session.add(person)
            counts["deactivated"] += 1
            changes.append(PersonChange(external_id=ext, change="deactivated"))
            assert person.id is not None
            gone.append(person.id)
    session.flush()
    accounts = _deactivate_accounts(session=session, person_ids=gone, now=now)
    notices = follow_email_changes(session, changes=moved, settings=settings, now=now)

    flagged = _flag_engagements(session=session, chart=chart, now=now)
    deactivated = counts["deactivated"]
    confirmation = deactivated > 0 and deactivated > max_deactivation_share * active_before
    if confirmation and not confirm_deactivations and not dry_run:
        session.rollback()
        raise Conflict(
            messages.CSV_DEACTIVATIONS.format(
                count=deactivated,
                active=active_before,
                accounts=accounts,
                share=round(max_deactivation_share * 100),
            ),
            field="confirm_deactivations",
            deactivations=deactivated,
            accounts_deactivated=accounts,
        )
    report = ImportReport(
        dry_run=dry_run,
        confirmation_required=confirmation,
        rows=len(rows),
        changes=changes,
        flagged=flagged,
        accounts_deactivated=accounts,
        previous_addresses_notified=notices,
        **counts,
    )
    if dry_run:
        session.rollback()
    else:
        session.commit()
    log.info(
        "org chart import%s: %d created, %d updated, %d deactivated (%d accounts), %d flagged",
        " (dry run)" if dry_run else "",
        counts["created"],
        counts["updated"],
        counts["deactivated"],
        accounts,
        len(flagged),
    )
    return report


def _deactivate_accounts(*, session: Session, person_ids: list[int], now: datetime) -> int:
    """The accounts of people who left the org chart stop working: deactivated, signed
    out, feed URLs revoked. A person listed again later is reactivated, their account is
    not (HR decides)."""
    if not person_ids:
        return 0
    users = session.exec(
        select(User).where(col(User.person_id).in_(person_ids), col(User.active).is_(True))
    ).all()
    for user in users:
        user.active = False
        session.add(user)
    close_access(session, user_ids=[u.id for u in users if u.id is not None], now=now)
    return len(users)


def _flag_engagements(
    *, session: Session, chart: OrgChart, now: datetime
) -> list[FlaggedEngagement]:
    """Flag live engagements whose internal coach is now in the coachee's or the sponsor's
    reporting line (above or below them): neutrality no longer holds."""
    ext = dict(session.exec(select(Person.id, Person.external_id)).all())
    live = session.exec(
        select(Engagement, Coach, CoachingRequest)
        .join(Coach, col(Coach.id) == Engagement.coach_id)
        .join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id)
        .where(col(Engagement.status).in_(LIVE_ENGAGEMENT), col(Coach.person_id).is_not(None))
    ).all()
    flagged: list[FlaggedEngagement] = []
    for engagement, coach, request in live:
        coach_ext = ext.get(coach.person_id) if coach.person_id is not None else None
        if coach_ext is None or coach_ext not in chart:
            continue
        for role, person_id in (("coachee", request.coachee_id), ("sponsor", request.sponsor_id)):
            person_ext = ext.get(person_id) if person_id is not None else None
            if person_ext is None or person_ext not in chart or person_ext == coach_ext:
                continue
            if chart.in_reporting_line(coach_ext, person_ext):
                reason = messages.FLAG_REPORTING_LINE.format(
                    coach=coach_ext, role=role, person=person_ext
                )
                engagement.status_before_flag = engagement.status
                engagement.status = EngagementStatus.flagged
                engagement.flag_reason = reason
                engagement.flagged_at = now
                engagement.updated_at = now
                session.add(engagement)
                assert engagement.id is not None
                flagged.append(FlaggedEngagement(engagement_id=engagement.id, reason=reason))
                break
    return flagged


def to_public(person: Person, manager_ext: str | None) -> PersonPublic:
    out = PersonPublic.model_validate(person, from_attributes=True)
    out.manager_external_id = manager_ext
    return out


def list_people(
    *,
    session: Session,
    q: str | None,
    unit: str | None,
    site: str | None,
    active: bool | None,
    limit: int,
    offset: int,
) -> tuple[list[PersonPublic], int]:
    query = select(Person)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(Person.name).like(pattern),
                func.lower(Person.email).like(pattern),
                func.lower(Person.external_id).like(pattern),
            )
        )
    if unit is not None:
        query = query.where(Person.unit == unit)
    if site is not None:
        query = query.where(Person.site == site)
    if active is not None:
        query = query.where(Person.active == active)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    people = session.exec(
        query.order_by(col(Person.name), col(Person.id)).limit(limit).offset(offset)
    ).all()
    manager_ids = {p.manager_id for p in people if p.manager_id is not None}
    ext = (
        dict(
            session.exec(
                select(Person.id, Person.external_id).where(col(Person.id).in_(manager_ids))
            ).all()
        )
        if manager_ids
        else {}
    )
    return [to_public(p, ext.get(p.manager_id)) for p in people], total


def get_person(*, session: Session, person_id: int) -> PersonPublic:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(messages.NOT_FOUND.format(what="person"))
    manager = session.get(Person, person.manager_id) if person.manager_id else None
    return to_public(person, manager.external_id if manager else None)
