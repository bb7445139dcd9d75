"""Account schemas. Password hashes and token hashes never leave the service."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig  # sqlmodel's config type (SQLModel subclasses)

from api.models.accounts import UserBase
from api.models.enums import Role
from api.types import RowId
from api.validation import Email, Language


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=254, examples=["hr@example.org"])
    password: str = Field(min_length=1, max_length=1000, examples=["correct horse battery"])


class UserPublic(UserBase):
    id: int
    active: bool
    invited_at: datetime | None
    created_at: datetime
    last_login_at: datetime | None


class LoginOut(BaseModel):
    token: str = Field(description="send as `Authorization: Bearer <token>`")
    token_type: str = "bearer"
    expires_at: datetime
    user: UserPublic


class InvitationCreate(SQLModel):
    model_config = SQLModelConfig(extra="forbid")
    email: Email | None = Field(
        default=None,
        examples=["coach.one@example.org"],
        description="HR: required. Others: the person's own email from the org chart (or an "
        "external coach's), filled in when left out; any other address is refused",
    )
    role: Role
    name: str = Field(default="", max_length=200)
    language: Language = "en"
    person_id: RowId | None = Field(default=None, description="coachee, sponsor: the person")
    coach_id: RowId | None = Field(default=None, description="coach: the coach record")


class InvitationAccept(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=10, max_length=200, description="from the invitation link")
    password: str = Field(max_length=1000)


class UserUpdate(SQLModel):
    model_config = SQLModelConfig(extra="forbid")
    name: str | None = Field(default=None, max_length=200)
    language: Language | None = None
    active: bool | None = Field(default=None, description="false signs the user out")


class PasswordResetRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Email = Field(examples=["coach.one@example.org"])


class PasswordResetSent(BaseModel):
    detail: str = Field(description="the same answer whether or not an account has the address")


class PasswordResetConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=10, max_length=200, description="from the reset link")
    password: str = Field(max_length=1000)
