"""Each person's notification choices: which optional ones they turn off, and how long
before a session they are reminded."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from api.models import NotificationSettings, User
from api.models.enums import OPTIONAL_NOTIFICATIONS, NotificationKind
from api.models.notifications import DEFAULT_REMINDER_HOURS
from api.validation import max_items

Optional = Annotated[list[NotificationKind], *max_items(len(NotificationKind))]


class NotificationsView(BaseModel):
    off: list[str] = Field(description="optional notifications turned off")
    reminder_hours: int
    optional: list[str] = Field(description="the notifications that can be turned off")


class NotificationsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    off: Optional = Field(default_factory=list)
    reminder_hours: int = Field(DEFAULT_REMINDER_HOURS, ge=1, le=168)


def view(row: NotificationSettings | None) -> NotificationsView:
    return NotificationsView(
        off=row.off if row else [],
        reminder_hours=row.reminder_hours if row else DEFAULT_REMINDER_HOURS,
        optional=[k.value for k in OPTIONAL_NOTIFICATIONS],
    )


def get(*, session: Session, user: User) -> NotificationsView:
    return view(session.get(NotificationSettings, user.id))


def put(*, session: Session, user: User, data: NotificationsIn) -> NotificationsView:
    """Only the optional kinds can be turned off (the others are ignored: a contract to
    acknowledge or a lapse is always told)."""
    assert user.id is not None
    row = session.get(NotificationSettings, user.id) or NotificationSettings(user_id=user.id)
    row.off = sorted({k.value for k in data.off if k in OPTIONAL_NOTIFICATIONS})
    row.reminder_hours = data.reminder_hours
    session.add(row)
    session.commit()
    return view(row)
