"""Data rights' bodies: the export document and the erasure's confirmation."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class PersonExport(BaseModel):
    person_id: int
    reader: Literal["self", "hr"] = Field(description="whose export this is: the person's, HR's")
    generated_at: str
    tables: dict[str, list[dict[str, Any]]] = Field(
        description="every table's rows about the person (README: data inventory)"
    )
    withheld: dict[str, str] = Field(
        description="table.column left out, and why (secrets; the coachee's own words)"
    )
    not_linked: dict[str, str] = Field(description="tables with nothing about any one person")


class EraseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    confirm: Literal[True] = Field(description="true: erasing cannot be undone")
