"""Per-address limit on feed misses (unknown or revoked tokens), kept in the database so
every API process counts the same misses (a `login_throttle` row of scope "feed").

Only misses are counted and only misses are refused: a valid feed URL is always served.
Time comes from the service clock.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import case
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from api.models import LoginThrottle

SCOPE = "feed"


def retry_after(
    session: Session, *, ip: str, now: datetime, limit: int, window: float
) -> int | None:
    """Seconds `ip` must wait before its next miss counts as a lookup again, or None."""
    row = session.exec(
        select(LoginThrottle).where(
            col(LoginThrottle.scope) == SCOPE, col(LoginThrottle.key) == ip[:254]
        )
    ).first()
    if row is None:
        return None
    ends = row.first_failure_at + timedelta(seconds=window)
    if row.failures < limit or ends <= now:
        return None
    return max(1, math.ceil((ends - now).total_seconds()))


def record_miss(session: Session, *, ip: str, now: datetime, window: float) -> None:
    """Count one miss for `ip`, atomically (a new window when the last one is over);
    committed at once, whatever the request does next."""
    started = now - timedelta(seconds=window)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(LoginThrottle).values(scope=SCOPE, key=ip[:254], failures=1, first_failure_at=now)
    stale = col(LoginThrottle.first_failure_at) <= started
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["scope", "key"],
            set_={
                "failures": case((stale, 1), else_=LoginThrottle.failures + 1),
                "first_failure_at": case((stale, now), else_=LoginThrottle.first_failure_at),
            },
        )
    )
    session.commit()
