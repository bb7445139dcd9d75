"""Themes, tags and synthesis notes as the API reads and writes them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.validation import max_chars, max_items

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
NOTE_MAX = 20_000


class ThemeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Code = Field(description="a-z, 0-9 and _ (2-40): the report's column; fixed")
    label_en: Label
    label_fr: Label


class ThemeUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label_en: Label | None = None
    label_fr: Label | None = None
    active: bool | None = Field(None, description="an inactive theme cannot be tagged any more")


class ThemeView(BaseModel):
    id: int
    code: str
    label_en: str
    label_fr: str
    active: bool


class TagsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    themes: Annotated[list[Code], *max_items(50)] = Field(
        description="codes of active themes from HR's list (never free text)"
    )


class TagsView(BaseModel):
    engagement_id: int
    themes: list[str]


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    from_: date = Field(alias="from", description="the theme report's period: its first day")
    to: date = Field(description="its last day")
    body: Annotated[str, StringConstraints(min_length=1), max_chars(NOTE_MAX)]
    published: bool = Field(False, description="published notes are read by HR")


class NoteView(BaseModel):
    id: int
    title: str
    period: str
    from_: date = Field(serialization_alias="from")
    to: date
    body: str
    published: bool
