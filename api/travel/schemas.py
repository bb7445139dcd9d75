"""Travel between sites as the API reads and writes it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.travel.default import MAX_MINUTES

Source = Literal["set", "default", "unknown"]


class TravelIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"minutes": 120}]})
    minutes: int = Field(
        ge=0, le=MAX_MINUTES, description="one-way door-to-door minutes, either way (0-1440)"
    )


class TravelSite(BaseModel):
    name: str
    city: str | None = Field(description="the built-in city its default comes from")
    latitude: float | None = Field(description="where its default is computed from")
    longitude: float | None
    located_by: Literal["site", "city"] | None = Field(
        description="site: HR's coordinates (PUT /sites/{name}); city: its city's, found from "
        "its name or address; null: unknown (pairs with it have no default)"
    )


class TravelPair(BaseModel):
    a: str
    b: str
    minutes: int | None = Field(
        description="one way, what rounds charge (twice per on-site session); null: unknown, "
        "no travel is charged"
    )
    source: Source = Field(description="set by HR, the default, or unknown (no default)")
    default_minutes: int | None = Field(description="the default from the sites' places")
    distance_km: float | None = Field(description="great-circle distance between the places")
    updated_at: datetime | None = Field(description="when HR set it")


class TravelTable(BaseModel):
    sites: list[TravelSite]
    pairs: list[TravelPair] = Field(description="every unordered pair of sites, a before b")
