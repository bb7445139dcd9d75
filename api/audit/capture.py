"""The session hooks that make every change leave an audit entry, in its own transaction.

Each flush adds a draft per row inserted, updated (with the names of the columns that
changed, never their values) or deleted, and each ORM bulk UPDATE or DELETE one per
statement that touched rows; a read of a confidential field adds its draft where it
happens (`api.audit.reads`). At the outermost commit the drafts are appended to the chain
in the same transaction: a change is never committed without its entry, and a rolled-back
change (or savepoint) leaves none. The head's lock is taken last, just before the commit,
so it is held for an instant and after every other lock (no lock-order inversion).

Left out, each for its reason:
- the audit's own tables;
- bookkeeping the service does by itself: sign-in sessions and throttles, the mail queue,
  the round lock, replies as received, busy times parsed from a calendar, and columns
  such as a feed's "last fetched" or a round's heartbeat;
- evaluations: nothing may record who answered or when (an entry would link an answer
  to its author, which the evaluations' design rules out; see Evaluations in README);
- testimonials, for the same reason (and which engagement gave one: an entry's time
  would tell the reviewers when a text came).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from api.audit.chain import Draft, append
from api.audit.context import context_of

log = logging.getLogger(__name__)

PENDING = "audit.pending"

SKIP_TABLES = frozenset(
    {
        "audit_log",
        "audit_head",
        "login_session",
        "login_throttle",
        "outbox_message",
        "round_lock",
        "inbound_reply",
        "busy_interval",
        "evaluation_invitation",
        "pending_evaluation",
        "evaluation_answer",
        "coach_evaluation_tally",
        "testimonial",
        "testimonial_given",
    }
)
# Columns whose change alone is bookkeeping, not a change anybody made.
BOOKKEEPING = frozenset({"updated_at", "last_change_at"})
IGNORED: dict[str, frozenset[str]] = {
    "app_user": frozenset({"last_login_at"}),
    "feed_token": frozenset({"last_used_at"}),
    "matching_round": frozenset({"progress", "heartbeat_at"}),
    "calendar_subscription": frozenset(
        {
            "etag",
            "last_modified",
            "content",
            "busy_intervals",
            "last_attempt_at",
            "last_success_at",
            "last_changed_at",
            "last_error",
            "failures",
        }
    ),
}


def _innermost(session: Session) -> SessionTransaction | None:
    return session.get_nested_transaction() or session.get_transaction()


def _lineage(session: Session) -> tuple[SessionTransaction, ...]:
    chain = []
    tx = _innermost(session)
    while tx is not None:
        chain.append(tx)
        tx = tx.parent
    return tuple(chain)


def note(session: Session, draft: Draft) -> None:
    """Queue `draft` for the session's next commit (dropped if its transaction rolls back)."""
    session.info.setdefault(PENDING, []).append((_lineage(session), draft))


def _subject(table: str, obj: Any) -> int | None:
    if table == "person":
        return getattr(obj, "id", None)
    if table == "coaching_request":
        return getattr(obj, "coachee_id", None)
    value = getattr(obj, "person_id", None)
    return value if isinstance(value, int) else None


def _key(obj: Any) -> str | None:
    state = inspect(obj)
    values = state.mapper.primary_key_from_instance(obj)
    if any(v is None for v in values):
        return None
    return ":".join(str(v) for v in values)[:64]


def _changed(table: str, obj: Any) -> list[str]:
    ignored = BOOKKEEPING | IGNORED.get(table, frozenset())
    state = inspect(obj)
    return sorted(
        attr.key for attr in state.attrs if attr.key not in ignored and attr.history.has_changes()
    )


def _table(obj: Any) -> str | None:
    table = getattr(obj, "__tablename__", None)
    return table if isinstance(table, str) and table not in SKIP_TABLES else None


def _after_flush(session: Session, _context: Any) -> None:
    for action, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            table = _table(obj)
            if table is None:
                continue
            fields: list[str] = []
            if action == "update":
                fields = _changed(table, obj)
                if not fields:
                    continue
            note(
                session,
                Draft(
                    action=action,
                    target=table,
                    target_id=_key(obj),
                    fields=tuple(fields),
                    subject_person_id=_subject(table, obj),
                ),
            )


def _assigned(statement: Any) -> list[str] | None:
    """The columns an UPDATE sets, or None when it sets each to itself (a lock)."""
    names = []
    for key, value in (getattr(statement, "_values", None) or {}).items():
        name = key if isinstance(key, str) else str(getattr(key, "key", key))
        expression = isinstance(value, ColumnElement) and not isinstance(value, BindParameter)
        if expression and getattr(value, "key", None) == name:
            continue  # x = x: the row lock of api.coaches.lock, no change
        names.append(name)
    return sorted(names) or None


def _orm_execute(state: ORMExecuteState) -> Any:
    if not (state.is_update or state.is_delete or state.is_insert):
        return None
    mapper = state.bind_mapper
    table = getattr(getattr(mapper, "local_table", None), "name", None)
    if not isinstance(table, str) or table in SKIP_TABLES:
        return None
    fields: list[str] = []
    if state.is_update:
        assigned = _assigned(state.statement)
        if assigned is None:
            return None
        fields = [f for f in assigned if f not in BOOKKEEPING | IGNORED.get(table, frozenset())]
        if not fields:
            return None
    result = state.invoke_statement()
    if getattr(result, "rowcount", 1) == 0:
        return result
    action = "update" if state.is_update else "delete" if state.is_delete else "insert"
    note(state.session, Draft(action=action, target=table, fields=tuple(fields)))
    return result


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # the last changes' drafts too (commit would flush them after us)
    pending = session.info.pop(PENDING, [])
    if not pending:
        return
    ctx = context_of(session)
    append(
        session.connection(),
        [draft for _, draft in pending],
        at=ctx.now(),
        via=ctx.via,
        ip=ctx.ip,
        user_id=ctx.user_id,
        role=ctx.role,
    )


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    pending = session.info.get(PENDING)
    if not pending:
        return
    if previous.parent is None:
        session.info.pop(PENDING, None)
        return
    session.info[PENDING] = [(line, d) for line, d in pending if previous not in line]


_installed = False


def install() -> None:
    """Register the hooks on every session (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _orm_execute)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_soft_rollback", _after_soft_rollback)
    _installed = True
