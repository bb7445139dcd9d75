"""Accounts, invitations, sign-in sessions, sign-in throttles and feed tokens.

Every secret (session, invitation, feed) is stored as its SHA-256 only.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.models.enums import Role, enum_type
from api.types import UTCDateTime


class UserBase(SQLModel):
    email: str = Field(max_length=254)
    role: Role = Field(sa_type=enum_type(Role))
    name: str = Field(default="", max_length=200)
    language: str = Field(default="en", max_length=10)
    person_id: int | None = None
    coach_id: int | None = None


class User(UserBase, table=True):
    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL
    # One account per person and role (an account's email is its person's own).
    __table_args__ = (sa.UniqueConstraint("person_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    person_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="RESTRICT", index=True
    )
    coach_id: int | None = Field(
        default=None, foreign_key="coach.id", ondelete="RESTRICT", index=True
    )
    password_hash: str | None = Field(default=None, max_length=200)
    active: bool = False
    invited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # What the user's calendar feed shows: "title" (a neutral title, the time and the
    # place) or "names" (and the other party's name).
    feed_detail: str = Field(default="title", max_length=10)


class Invitation(SQLModel, table=True):
    """A one-time link to set a password: an invitation (the account is opened with it)
    or a password reset (`purpose` "reset", for an active account)."""

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(default="invitation", max_length=10)
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginSession(SQLModel, table=True):
    __tablename__ = "login_session"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins counted per account (`scope` "account", key the email, known or
    not) and per client (`scope` "client", key the address). An attempt is counted
    before its password is checked, atomically, so a burst cannot outrun the count."""

    __tablename__ = "login_throttle"
    __table_args__ = (sa.UniqueConstraint("scope", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=10)
    key: str = Field(max_length=254)
    failures: int = 0
    first_failure_at: datetime = Field(sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FeedToken(SQLModel, table=True):
    __tablename__ = "feed_token"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
