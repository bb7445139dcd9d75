"""Weak signals: the themes HR lists, the coaches' tags on their engagements (from that
list only, never free text), and the coaches' team's synthesis notes."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from api.types import UTCDateTime


class Theme(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, description="a-z, 0-9 and _: the column")
    label_en: str = Field(max_length=80)
    label_fr: str = Field(max_length=80)
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)


class EngagementTheme(SQLModel, table=True):
    """A theme a coach sees in one of their engagements."""

    __tablename__ = "engagement_theme"
    engagement_id: int = Field(foreign_key="engagement.id", ondelete="CASCADE", primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, index=True)


class SynthesisNote(SQLModel, table=True):
    """A periodic note the coaches' team writes from the theme report of one published
    period; every figure it quotes was checked against that report's visible cells."""

    __tablename__ = "synthesis_note"
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    period_start: date
    period_end: date
    body: str = Field(sa_type=sa.Text)
    published: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
