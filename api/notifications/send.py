"""Who a notification goes to, and queuing it: a plain-text email in the recipient's
language, once per event (a dedupe key naming it), unless the recipient turned that kind
off (only the optional ones can be)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from sqlmodel import Session, col, select

from api.models import Coach, NotificationSettings, OutboxMessage, Person, User
from api.models.enums import OPTIONAL_NOTIFICATIONS, NotificationKind, Role
from api.models.notifications import DEFAULT_REMINDER_HOURS
from api.notifications.texts import text
from api.outbox import enqueue
from api.settings import Settings

SETTINGS_PAGE = "/my/notifications"


@dataclass(frozen=True)
class Addressee:
    key: str  # p<person>, c<coach> or u<user>: names the recipient in the dedupe key
    email: str
    name: str
    language: str
    zone: str
    user_id: int | None


def _account(session: Session, **where: object) -> User | None:
    query = select(User).where(col(User.active).is_(True))
    for name, value in where.items():
        query = query.where(getattr(User, name) == value)
    return session.exec(query.order_by(col(User.id))).first()


def person(session: Session, person_id: int, role: Role) -> Addressee | None:
    found = session.get(Person, person_id)
    if found is None or not found.active:
        return None
    account = _account(session, person_id=person_id, role=role)
    return Addressee(
        f"p{person_id}",
        found.email,
        found.name,
        found.language,
        found.timezone,
        account.id if account else None,
    )


def coach(session: Session, row: Coach) -> Addressee | None:
    account = _account(session, coach_id=row.id)
    if row.person_id is not None:
        found = session.get(Person, row.person_id)
        if found is None:
            return None
        email, name, language = found.email, found.name, found.language
    else:
        email, name = row.email or "", row.name or ""
        language = account.language if account else "en"
    if not email:
        return None
    return Addressee(
        f"c{row.id}", email, name, language, row.timezone, account.id if account else None
    )


def hr(session: Session, settings: Settings) -> list[Addressee]:
    users = session.exec(
        select(User).where(User.role == Role.hr, col(User.active).is_(True)).order_by(col(User.id))
    )
    return [
        Addressee(f"u{u.id}", u.email, u.name or "", u.language, settings.default_timezone, u.id)
        for u in users
    ]


def preferences(session: Session, user_id: int | None) -> NotificationSettings:
    found = session.get(NotificationSettings, user_id) if user_id is not None else None
    return found or NotificationSettings(
        user_id=user_id or 0, off=[], reminder_hours=DEFAULT_REMINDER_HOURS
    )


def wants(session: Session, addressee: Addressee, kind: NotificationKind) -> bool:
    if kind not in OPTIONAL_NOTIFICATIONS:
        return True
    return kind.value not in preferences(session, addressee.user_id).off


def notify(
    session: Session,
    settings: Settings,
    addressee: Addressee | None,
    *,
    kind: NotificationKind,
    event: str,
    texts: str | None = None,
    now: datetime,
    fields: Mapping[str, object] | None = None,
    **values: object,
) -> bool:
    """Queue one notification (`texts`: its catalog entries, default `kind`; `fields` and
    `values`: what the text names); the caller commits. False when the recipient is gone,
    turned it off, or was told of this event already."""
    if addressee is None or not addressee.email or not wants(session, addressee, kind):
        return False
    key = f"notify:{kind.value}:{event}:{addressee.key}"
    if session.exec(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)).first():
        return False  # told already: a chore run again queues nothing and says so
    lang = addressee.language
    entry = texts or kind.value
    values = {"link": settings.base_url, **(fields or {}), **values}
    body = "\n\n".join(
        [
            text(lang, "greeting", name=addressee.name or addressee.email),
            text(lang, f"{entry}.body", tz=addressee.zone, **values),
            text(lang, "footer", settings=settings.base_url + SETTINGS_PAGE),
        ]
    )
    message = EmailMessage()
    message["To"] = addressee.email
    message["Subject"] = text(lang, f"{entry}.subject", tz=addressee.zone, **values)
    message.set_content(body + "\n", cte="quoted-printable")
    message["Content-Language"] = lang.split("-", 1)[0].lower()
    enqueue(
        session,
        kind=f"notify.{kind.value}",
        dedupe_key=key,
        message=message,
        settings=settings,
        now=now,
    )
    return True
