"""Who is acting on a database session, kept in `session.info` for the audit hooks.

The request's session is made by `api.deps.get_session`, which records where the call
comes from (the client's address as the service computes it, the route); signing in
(`current_user`, the pages' viewer) adds the account. A job or a command names itself.
A session with none of this (a test seeding rows, a script) is recorded as "system".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from api.clock import Clock
    from api.models import User

KEY = "audit.context"


@dataclass(frozen=True)
class AuditContext:
    via: str = "system"
    ip: str | None = None
    user_id: int | None = None
    role: str | None = None
    clock: Clock | None = None

    def now(self) -> datetime:
        return self.clock.now() if self.clock is not None else datetime.now(UTC)


def context_of(session: Session) -> AuditContext:
    found = session.info.get(KEY)
    return found if isinstance(found, AuditContext) else AuditContext()


def bind_request(session: Session, *, via: str, ip: str | None, clock: Clock | None) -> None:
    session.info[KEY] = AuditContext(via=via[:200], ip=ip, clock=clock)


def bind_user(session: Session, user: User) -> None:
    session.info[KEY] = replace(context_of(session), user_id=user.id, role=user.role.value)


def bind_job(session: Session, name: str, clock: Clock | None = None) -> None:
    session.info[KEY] = AuditContext(via=name[:200], clock=clock)
