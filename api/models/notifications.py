"""A person's choices about the service's notifications (per account)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

DEFAULT_REMINDER_HOURS = 24


class NotificationSettings(SQLModel, table=True):
    __tablename__ = "notification_settings"
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE", primary_key=True)
    # Optional notifications turned off (NotificationKind values).
    off: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    reminder_hours: int = Field(default=DEFAULT_REMINDER_HOURS, ge=1, le=168)
