"""A person's export: every row the service holds about them (`api.privacy.inventory`),
as JSON, for the person themselves (`GET /me/export`) or for HR
(`GET /people/{id}/export`).

What each reader gets follows the visibility table (README, Confidentiality):
- secrets never leave (password and token hashes, a calendar's address and password,
  raw mail and replies, whose bodies name other people);
- the brief (a request's description and objectives) and the contract's objectives are
  the coachee's words: only the coachee's own export carries them, and only for their own
  requests. HR never reads them, so HR's export of a person withholds them (and says so
  in `withheld`); the sponsor's and the coach's own exports withhold them too;
- a coach's time-away reasons, a person's leave reasons and uploaded calendars are the
  person's own: in their export, not in HR's;
- whole tables are the person's own too (`own_rows`): that an engagement gave its
  testimonial (HR would learn who wrote one of a batch's texts) and the themes a coach
  tagged an engagement with (HR reads them only as the theme report): HR's export holds
  no row of them, not even their number, and says so in `withheld` for everyone alike.
Evaluation answers are not in any export: they keep no link to their author.

An export is a read of the person's data: it leaves an audit entry (and, for the
coachee's own, the reads of their briefs and objectives), committed before it is answered.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from api.audit.capture import note
from api.audit.chain import Draft
from api.audit.reads import brief_read, objectives_read
from api.db import get_or_404
from api.models import CoachingRequest, ContractVersion, Engagement, Person, User
from api.models.enums import Role
from api.privacy.inventory import INVENTORY, Scope, scope_of, tables

CONFIDENTIAL = "the coachee's own words: only in the coachee's own export"
SECRET = "a secret or a message naming other people: never exported"
OWN = "the person's own: only in their own export"


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    return value


def _coachee_row(name: str, row: dict[str, Any], scope: Scope) -> bool:
    """Whether the person is the coachee whose words this row's confidential columns are."""
    if name == "coaching_request":
        return bool(row["coachee_id"] == scope.person_id)
    if name == "contract_version":
        return scope.roles.get(row["engagement_id"]) == "coachee"
    return False


def build(session: Session, person: Person, *, own: bool) -> dict[str, Any]:
    """The export's content (nothing is recorded here)."""
    scope = scope_of(session, person)
    known = tables()
    contract_engagement: dict[int | None, int] = dict(
        session.exec(
            select(ContractVersion.id, ContractVersion.engagement_id).where(
                col(ContractVersion.id).in_(scope.contracts)
            )
        ).all()
    )
    out: dict[str, list[dict[str, Any]]] = {}
    withheld: dict[str, str] = {}
    for name, holding in INVENTORY.items():
        if holding.where is None:
            continue
        if holding.own_rows and not own:
            withheld[name] = OWN
            continue
        table = known[name]
        hidden = set(holding.secret) | (set() if own else set(holding.own_only))
        for column in sorted(holding.secret):
            withheld[f"{name}.{column}"] = SECRET
        if not own:
            for column in sorted(holding.own_only):
                withheld.setdefault(f"{name}.{column}", OWN)
        query = sa_select(table).where(holding.where(table, scope))
        rows = []
        for mapping in session.execute(query.order_by(*table.primary_key.columns)).mappings():
            row = dict(mapping)
            if name == "contract_acknowledgement":
                engagement = contract_engagement.get(row["contract_id"])
                if scope.roles.get(engagement or 0) != row["role"]:
                    continue  # another party's acknowledgement: theirs
            drop = set(hidden)
            if holding.confidential and not (own and _coachee_row(name, row, scope)):
                drop |= holding.confidential
                for column in sorted(holding.confidential):
                    withheld.setdefault(f"{name}.{column}", CONFIDENTIAL)
            rows.append({k: _value(v) for k, v in row.items() if k not in drop})
        out[name] = rows
    return {
        "person_id": person.id,
        "reader": "self" if own else "hr",
        "tables": out,
        "withheld": dict(sorted(withheld.items())),
        "not_linked": {
            name: holding.why_not for name, holding in INVENTORY.items() if holding.where is None
        },
    }


def export_person(
    *, session: Session, person_id: int, reader: User, now: datetime
) -> dict[str, Any]:
    """The export of `person_id` as `reader` may have it (HR, or the person)."""
    person: Person = get_or_404(session, Person, person_id, "person")
    own = reader.role != Role.hr and reader.person_id == person_id
    content = build(session, person, own=own)
    content["generated_at"] = now.isoformat()
    note(
        session,
        Draft(
            action="export",
            target="person",
            target_id=str(person_id),
            subject_person_id=person_id,
            user_id=reader.id,
            role=reader.role.value,
        ),
    )
    if own:
        mine = list(
            session.exec(select(CoachingRequest).where(CoachingRequest.coachee_id == person_id))
        )
        brief_read(session, reader, mine)
        _objectives_read(session, reader, content)
    session.commit()
    return content


def _objectives_read(session: Session, reader: User, content: dict[str, Any]) -> None:
    """The coachee's own export shows their contracts' objectives: each a recorded read."""
    versions: dict[int, int] = {}
    for row in content["tables"].get("contract_version", []):
        if row.get("objectives"):
            versions[row["engagement_id"]] = versions.get(row["engagement_id"], 0) + 1
    for engagement_id, count in sorted(versions.items()):
        engagement = session.get(Engagement, engagement_id)
        request = session.get(CoachingRequest, engagement.request_id) if engagement else None
        if request is not None:
            objectives_read(
                session, reader, request=request, engagement_id=engagement_id, versions=count
            )
