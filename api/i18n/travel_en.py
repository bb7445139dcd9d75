"""Travel between sites (issue 9 item 10): English."""

CATALOG = {
    "error.TRAVEL_SITE_UNKNOWN": (
        "Not a site of the programme (a site of the org chart, served by a coach or given an "
        "address)."
    ),
    "error.TRAVEL_SAME_SITE": "Choose another site: a site is no travel from itself.",
    "error.SITE_COORDINATES": "Give both latitude and longitude, or neither.",
    "nav.travel": "Travel",
    "flash.travel_saved": "Travel time saved: the next rounds use it.",
    "flash.travel_reset": "Back to the default travel time.",
    "travel.title": "Travel between sites",
    "travel.hint": (
        "One-way door-to-door minutes between two sites, the same either way. A round "
        "charges an on-site session's coach the round trip from their home site, on top of "
        "the session: a far coach may no longer have the hours. Where you set nothing, the "
        "default applies."
    ),
    "travel.default_rule": (
        "Default: {ends} minutes for both ends plus the distance between the sites' cities, "
        "×{factor} by road at {speed} km/h, rounded up to 5 minutes; {same} minutes within "
        "the same city (under {near} km); at most {max} minutes. Without a known place "
        "(a city of the built-in list, or coordinates given with the site's address), a "
        "pair has no default and no travel is charged."
    ),
    "travel.sites": "Sites",
    "travel.site": "Site",
    "travel.place": "Place",
    "travel.place_city": "city: {city}",
    "travel.place_site": "coordinates given with its address",
    "travel.place_unknown": "unknown",
    "travel.pairs": "Minutes between sites",
    "travel.from": "From",
    "travel.to": "To",
    "travel.distance": "Distance",
    "travel.km": "{km} km",
    "travel.minutes": "Minutes (one way)",
    "travel.source": "Source",
    "travel.source.set": "set by HR",
    "travel.source.default": "default",
    "travel.source.unknown": "unknown: not charged",
    "travel.default": "Default",
    "travel.save": "Save",
    "travel.reset": "Use the default",
    "travel.none": "The programme has fewer than two sites: no travel to set.",
}
