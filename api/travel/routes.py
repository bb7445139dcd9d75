"""Travel between sites (HR): the minutes a round charges an on-site session's coach for
the round trip from their home site, HR's where set, else a default from the sites'
cities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import ClockDep, HRUser, SessionDep
from api.schemas import ERRORS

from . import service
from .schemas import TravelIn, TravelPair, TravelTable

router = APIRouter(tags=["travel"], responses=ERRORS)
SiteName = Annotated[str, Path(min_length=1, max_length=200, description="a site's name")]


@router.get("/travel")
def travel_table(user: HRUser, session: SessionDep) -> TravelTable:
    """Every site (with where its default is computed from) and every pair of sites with
    the one-way minutes rounds use: HR's (`set`), the default (`default`), or none
    (`unknown`: neither site's place is known; no travel is charged)."""
    return service.travel_table(session=session)


@router.put("/travel/{a}/{b}")
def set_travel(
    a: SiteName, b: SiteName, body: TravelIn, user: HRUser, session: SessionDep, clock: ClockDep
) -> TravelPair:
    """One-way door-to-door minutes between two sites (the same either way), used from
    the next round on."""
    return service.set_travel(session=session, a=a, b=b, minutes=body.minutes, now=clock.now())


@router.delete("/travel/{a}/{b}")
def reset_travel(a: SiteName, b: SiteName, user: HRUser, session: SessionDep) -> TravelPair:
    """Back to the default from the sites' places."""
    return service.reset_travel(session=session, a=a, b=b)
