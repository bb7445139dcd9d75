"""Sites of the org chart (a person's `site`), with the address an on-site session shows,
and HR's travel minutes between two sites."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.types import UTCDateTime


class Site(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True, description="as in the org chart's site")
    address: str = Field(max_length=500)
    # Where the site is, for the default travel time (else its city's, when known).
    latitude: float | None = None
    longitude: float | None = None
    updated_at: datetime = Field(sa_type=UTCDateTime)


class SiteTravel(SQLModel, table=True):
    """HR's one-way door-to-door minutes between two sites (either way): one row per
    unordered pair, `site_a` before `site_b` in Python's order (not the database's
    collation). A pair without a row takes the default from the
    sites' cities (`api.travel.default`)."""

    __tablename__ = "site_travel"
    __table_args__ = (
        sa.UniqueConstraint("site_a", "site_b"),
        sa.CheckConstraint("minutes >= 0 AND minutes <= 1440", name="minutes"),
    )
    id: int | None = Field(default=None, primary_key=True)
    site_a: str = Field(max_length=200)
    site_b: str = Field(max_length=200)
    minutes: int
    updated_at: datetime = Field(sa_type=UTCDateTime)
