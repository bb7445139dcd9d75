"""People: the org chart imported from HR's CSV."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from api.types import UTCDateTime


class PersonBase(SQLModel):
    external_id: str = Field(max_length=100, description="the id in HR's org chart")
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    unit: str = Field(default="", max_length=200)
    site: str = Field(default="", max_length=200)
    timezone: str = Field(default="UTC", max_length=64)
    language: str = Field(default="en", max_length=10)


class Person(PersonBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(max_length=100, unique=True, index=True)
    email: str = Field(max_length=254, index=True)
    manager_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="SET NULL", index=True
    )
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    # Set when the person was erased (their name, email and org id replaced by a
    # pseudonym), or for a pseudonym standing in for someone in an engagement kept past
    # the retention period (api.privacy): never matched, imported or mailed again.
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
