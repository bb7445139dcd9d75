"""The default travel time between two sites, when HR has not set one: door-to-door
minutes from the great-circle distance between the sites (their own coordinates, or their
cities'), by road at an average speed, with a fixed time at both ends; sites in the same
city take a fixed short time. Pure: no database."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from api.travel.cities import ALIASES, CITIES

EARTH_RADIUS_KM = 6371.0
ROAD_FACTOR = 1.2  # road kilometres per great-circle kilometre (French motorways: 1.1-1.2)
SPEED_KMH = 100.0  # average door-to-door speed on the road part
ENDS_MINUTES = 20  # leaving one building, parking and walking into the other
SAME_CITY_KM = 10.0  # closer than this: the same city
SAME_CITY_MINUTES = 30
MAX_MINUTES = 24 * 60  # the matcher's bound on one way: "not on site in practice"
STEP_MINUTES = 5  # defaults are rounded up to this


@dataclass(frozen=True, slots=True)
class Place:
    """Where a site is: its coordinates and how they were found."""

    latitude: float
    longitude: float
    city: str | None  # the built-in city it was placed in (None: HR's coordinates)


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by one space: "Saint-Étienne" -> "saint etienne"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.split(r"[^a-z0-9]+", plain.casefold())).strip()


def _city_in(text: str) -> str | None:
    """The built-in city a text names: all of it, or its longest leading words
    ("Lyon Part-Dieu" -> lyon), postcodes and CEDEX aside."""
    words = [w for w in normalise(text).split() if not w.isdigit() and w != "cedex"]
    for end in range(len(words), 0, -1):
        key = " ".join(words[:end])
        key = ALIASES.get(key, key)
        if key in CITIES:
            return key
    return None


def city_of(name: str, address: str | None = None) -> str | None:
    """A site's city: from its name, else from its address's last part (after the last
    comma: "10 rue de la Part-Dieu, 69003 Lyon")."""
    found = _city_in(name)
    if found is None and address:
        found = _city_in(address.rsplit(",", 1)[-1])
    return found


def place_of(
    name: str,
    *,
    address: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Place | None:
    """Where a site is: HR's coordinates when given, else its city's; None when unknown."""
    if latitude is not None and longitude is not None:
        return Place(latitude, longitude, None)
    city = city_of(name, address)
    if city is None:
        return None
    lat, lon = CITIES[city]
    return Place(lat, lon, city)


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def default_minutes(a: Place | None, b: Place | None) -> int | None:
    """One-way door-to-door minutes between two places; None when either is unknown."""
    if a is None or b is None:
        return None
    km = distance_km(a, b)
    if km < SAME_CITY_KM or (a.city is not None and a.city == b.city):
        return SAME_CITY_MINUTES
    raw = ENDS_MINUTES + km * ROAD_FACTOR / SPEED_KMH * 60
    return min(MAX_MINUTES, STEP_MINUTES * math.ceil(raw / STEP_MINUTES))
