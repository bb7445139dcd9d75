"""Where sessions are held: the coach's online room, an engagement's room, site addresses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from api import messages
from scheduling.errors import SchedulingError
from scheduling.ical_common import check_url, clean_text


def _room_url(value: str) -> str:
    try:
        return check_url(value.strip(), field="room_url")
    except SchedulingError as exc:
        raise ValueError("must be an https:// URL without spaces") from exc


def _one_line(value: str) -> str:
    return clean_text(value, max_length=500)


RoomUrl = Annotated[str, Field(max_length=500), AfterValidator(_room_url)]
Room = Annotated[str, Field(max_length=200), AfterValidator(_one_line)]
Address = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_one_line)]


class CoachRoomIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"room_url": "https://meet.example.org/camille"}]},
    )
    room_url: RoomUrl | None = Field(
        description="your own online room: the join link of your remote sessions (null: "
        "the programme's room, when it has one)"
    )


class CoachRoomOut(BaseModel):
    room_url: str | None


class EngagementRoomIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"room": "Salle 4.12"}]}
    )
    room: Room | None = Field(description="where on site the sessions are held (null: none)")


class EngagementRoomOut(BaseModel):
    engagement_id: int
    room: str | None
    sessions_updated: int = Field(description="planned sessions whose invites were sent again")


class SiteIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"address": "10 rue de la Part-Dieu, 69003 Lyon"}]},
    )
    address: Address
    latitude: float | None = Field(
        None, ge=-90, le=90, description="degrees north: where the default travel times start"
    )
    longitude: float | None = Field(
        None,
        ge=-180,
        le=180,
        validate_default=True,
        description="degrees east (with latitude; both null: the site's city's, when known)",
    )

    @field_validator("longitude")
    @classmethod
    def _both_or_neither(cls, value: float | None, info: ValidationInfo) -> float | None:
        if "latitude" in info.data and (value is None) != (info.data["latitude"] is None):
            raise PydanticCustomError("coordinates", messages.SITE_COORDINATES)
        return value


class SitePublic(BaseModel):
    name: str
    address: str
    latitude: float | None
    longitude: float | None
    updated_at: datetime
