"""A small built-in table of cities and their coordinates (degrees), for the default
travel time between two sites whose coordinates HR has not given: the French cities a
programme is likely to have sites in, and a few abroad. A site is placed in a city by its
name or its address (`api.travel.default.city_of`)."""

from __future__ import annotations

from typing import Final

# city -> (latitude, longitude); keys as `normalise` writes them.
CITIES: Final[dict[str, tuple[float, float]]] = {
    "paris": (48.8566, 2.3522),
    "la defense": (48.8920, 2.2380),
    "lyon": (45.7640, 4.8357),
    "marseille": (43.2965, 5.3698),
    "toulouse": (43.6047, 1.4442),
    "nice": (43.7102, 7.2620),
    "nantes": (47.2184, -1.5536),
    "montpellier": (43.6108, 3.8767),
    "strasbourg": (48.5734, 7.7521),
    "bordeaux": (44.8378, -0.5792),
    "lille": (50.6292, 3.0573),
    "rennes": (48.1173, -1.6778),
    "reims": (49.2583, 4.0317),
    "toulon": (43.1242, 5.9280),
    "saint etienne": (45.4397, 4.3872),
    "le havre": (49.4944, 0.1079),
    "grenoble": (45.1885, 5.7245),
    "dijon": (47.3220, 5.0415),
    "angers": (47.4784, -0.5632),
    "nimes": (43.8367, 4.3601),
    "clermont ferrand": (45.7772, 3.0870),
    "aix en provence": (43.5297, 5.4474),
    "brest": (48.3904, -4.4861),
    "tours": (47.3941, 0.6848),
    "amiens": (49.8941, 2.2958),
    "limoges": (45.8336, 1.2611),
    "metz": (49.1193, 6.1757),
    "besancon": (47.2378, 6.0241),
    "perpignan": (42.6887, 2.8948),
    "orleans": (47.9030, 1.9093),
    "rouen": (49.4432, 1.0999),
    "caen": (49.1829, -0.3707),
    "nancy": (48.6921, 6.1844),
    "pau": (43.2951, -0.3708),
    "bruxelles": (50.8503, 4.3517),
    "geneve": (46.2044, 6.1432),
    "lausanne": (46.5197, 6.6323),
    "zurich": (47.3769, 8.5417),
    "luxembourg": (49.6116, 6.1319),
    "londres": (51.5074, -0.1278),
    "amsterdam": (52.3676, 4.9041),
    "francfort": (50.1109, 8.6821),
    "munich": (48.1351, 11.5820),
    "berlin": (52.5200, 13.4050),
    "milan": (45.4642, 9.1900),
    "madrid": (40.4168, -3.7038),
    "barcelone": (41.3874, 2.1686),
    "casablanca": (33.5731, -7.5898),
    "montreal": (45.5019, -73.5674),
    "quebec": (46.8139, -71.2080),
    "new york": (40.7128, -74.0060),
    "singapour": (1.3521, 103.8198),
}
# Other spellings -> the key above.
ALIASES: Final[dict[str, str]] = {
    "brussels": "bruxelles",
    "geneva": "geneve",
    "london": "londres",
    "frankfurt": "francfort",
    "munchen": "munich",
    "milano": "milan",
    "barcelona": "barcelone",
    "singapore": "singapour",
    "puteaux": "la defense",
    "courbevoie": "la defense",
}
