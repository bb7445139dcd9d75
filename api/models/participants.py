"""The other people a request is about: a team's members (team coaching) or the second
party of a mediation. The coachee stays the request's first participant."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class RequestParticipant(SQLModel, table=True):
    __tablename__ = "request_participant"
    __table_args__ = (sa.UniqueConstraint("request_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="coaching_request.id", ondelete="CASCADE", index=True)
    person_id: int = Field(foreign_key="person.id", ondelete="RESTRICT", index=True)
