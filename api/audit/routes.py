"""The audit log: HR queries it (`GET /audit`, never a value, only what was read or
changed), each person sees who read their confidential data (`GET /me/audit`)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import HRUser, PageDep, PartyUser, SessionDep
from api.schemas import ERRORS, Page
from api.types import RowId
from api.validation import UTCDatetime

from . import service
from .chain import verify
from .schemas import AuditEntryView, ChainCheck, MyAudit

router = APIRouter(tags=["audit"], responses=ERRORS)

Action = Literal["read", "insert", "update", "delete", "export", "erase", "retain"]


@router.get("/audit")
def audit_log(
    user: HRUser,
    session: SessionDep,
    page: PageDep,
    user_id: Annotated[RowId | None, Query(description="who: the acting account")] = None,
    action: Annotated[Action | None, Query(description="what was done")] = None,
    target: Annotated[
        str | None, Query(max_length=64, description="what: a table, brief or objectives")
    ] = None,
    person_id: Annotated[RowId | None, Query(description="whose data it is")] = None,
    start: Annotated[UTCDatetime | None, Query(alias="from", description="at or after")] = None,
    end: Annotated[UTCDatetime | None, Query(alias="to", description="before")] = None,
) -> Page[AuditEntryView]:
    """Every read of a confidential field and every change, newest first: who (account
    and role), when, from where (client address, route), what (the table or field, the
    row, the columns), never the value read or written."""
    items, total = service.query(
        session=session,
        user_id=user_id,
        action=action,
        target=target,
        person_id=person_id,
        start=start,
        end=end,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/audit/verify")
def verify_chain(user: HRUser, session: SessionDep) -> ChainCheck:
    """Walk the hash chain: `ok` false names each entry missing, edited or unlinked."""
    report = verify(session)
    return ChainCheck(
        ok=report.ok,
        entries=report.entries,
        head_seq=report.head_seq,
        head_hash=report.head_hash,
        problems=[str(p) for p in report.problems],
    )


@router.get("/me/audit")
def my_audit(user: PartyUser, session: SessionDep, page: PageDep) -> MyAudit:
    """Who read your brief or your contract's objectives (and who exported your data),
    newest first. Only the tripartite parties can: an entry with `alarm` true names
    someone else, and is logged for the programme's administrators."""
    return service.reads_of(session=session, user=user, limit=page.limit, offset=page.offset)
