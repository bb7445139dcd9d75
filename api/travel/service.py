"""HR's travel minutes between sites, the defaults from the sites' places, and the table
a round charges (`round_travel`). One row per unordered pair; a pair without one takes
its default, and a pair whose default is unknown charges nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlmodel import Session, select

from api import messages
from api.errors import InvalidInput, NotFound
from api.models import Coach, Person, Site, SiteTravel
from api.travel.default import Place, default_minutes, distance_km, place_of

from .schemas import Source, TravelPair, TravelSite, TravelTable


def ordered(a: str, b: str) -> tuple[str, str]:
    """The pair's stored order (Python's, so the same on every database)."""
    return (a, b) if a < b else (b, a)


def _addressed(session: Session) -> dict[str, Site]:
    return {s.name: s for s in session.exec(select(Site))}


def _rows(session: Session) -> dict[tuple[str, str], SiteTravel]:
    return {ordered(r.site_a, r.site_b): r for r in session.exec(select(SiteTravel))}


def site_names(session: Session) -> list[str]:
    """Every site of the programme: the active people's, the ones active coaches serve,
    the addressed ones, and any with a travel row (so it can be reset)."""
    names: set[str] = set(
        session.exec(
            select(Person.site).where(Person.active == True, Person.site != "").distinct()  # noqa: E712
        )
    )
    for served in session.exec(select(Coach.sites).where(Coach.active == True)):  # noqa: E712
        names.update(s for s in served or () if s)
    names.update(_addressed(session))
    for row in session.exec(select(SiteTravel.site_a, SiteTravel.site_b)):
        names.update(row)
    return sorted(names)


def _place(name: str, site: Site | None) -> Place | None:
    if site is None:
        return place_of(name)
    return place_of(name, address=site.address, latitude=site.latitude, longitude=site.longitude)


def _places(names: Iterable[str], addressed: Mapping[str, Site]) -> dict[str, Place | None]:
    return {n: _place(n, addressed.get(n)) for n in names}


def _pair(a: str, b: str, places: Mapping[str, Place | None], row: SiteTravel | None) -> TravelPair:
    pa, pb = places.get(a), places.get(b)
    default = default_minutes(pa, pb)
    km = None if pa is None or pb is None else round(distance_km(pa, pb), 1)
    source: Source = "set" if row else "default" if default is not None else "unknown"
    return TravelPair(
        a=a,
        b=b,
        minutes=row.minutes if row else default,
        source=source,
        default_minutes=default,
        distance_km=km,
        updated_at=row.updated_at if row is not None else None,
    )


def travel_table(*, session: Session) -> TravelTable:
    """Every site with its place, and every pair with the minutes rounds charge."""
    names = site_names(session)
    addressed = _addressed(session)
    places = _places(names, addressed)
    rows = _rows(session)
    sites = [
        TravelSite(
            name=n,
            city=p.city if p else None,
            latitude=p.latitude if p else None,
            longitude=p.longitude if p else None,
            located_by=None if p is None else "city" if p.city else "site",
        )
        for n, p in places.items()
    ]
    pairs = [
        _pair(a, b, places, rows.get((a, b))) for i, a in enumerate(names) for b in names[i + 1 :]
    ]
    return TravelTable(sites=sites, pairs=pairs)


def _checked(session: Session, a: str, b: str) -> tuple[str, str]:
    if a == b:
        raise InvalidInput(messages.TRAVEL_SAME_SITE, field="b")
    known = set(site_names(session))
    for field, name in (("a", a), ("b", b)):
        if name not in known:
            raise NotFound(messages.TRAVEL_SITE_UNKNOWN, field=field)
    return ordered(a, b)


def _view(session: Session, a: str, b: str) -> TravelPair:
    addressed = _addressed(session)
    row = session.exec(
        select(SiteTravel).where(SiteTravel.site_a == a, SiteTravel.site_b == b)
    ).first()
    return _pair(a, b, _places((a, b), addressed), row)


def set_travel(*, session: Session, a: str, b: str, minutes: int, now: datetime) -> TravelPair:
    """HR's one-way minutes between two sites (either way), from the next round on."""
    a, b = _checked(session, a, b)
    row = session.exec(
        select(SiteTravel).where(SiteTravel.site_a == a, SiteTravel.site_b == b)
    ).first()
    if row is None:
        row = SiteTravel(site_a=a, site_b=b, minutes=minutes, updated_at=now)
    elif row.minutes != minutes:
        row.minutes, row.updated_at = minutes, now
    session.add(row)
    session.commit()
    return _view(session, a, b)


def reset_travel(*, session: Session, a: str, b: str) -> TravelPair:
    """Back to the default (nothing to do when HR had set nothing)."""
    a, b = _checked(session, a, b)
    row = session.exec(
        select(SiteTravel).where(SiteTravel.site_a == a, SiteTravel.site_b == b)
    ).first()
    if row is not None:
        session.delete(row)
        session.commit()
    return _view(session, a, b)


def round_travel(
    *, session: Session, origins: Iterable[str], destinations: Iterable[str]
) -> tuple[tuple[str, str, int], ...]:
    """The one-way minutes a round charges from each origin (a coach's home site) to each
    destination (a request's site): HR's, else the default; pairs of unknown default,
    and zeros, are left out (the matcher counts them 0)."""
    pairs = sorted(
        {ordered(a, b) for a in set(origins) for b in set(destinations) if a and b and a != b}
    )
    if not pairs:
        return ()
    rows = _rows(session)
    addressed = _addressed(session)
    places = _places({s for pair in pairs for s in pair}, addressed)
    out = []
    for a, b in pairs:
        row = rows.get((a, b))
        minutes = row.minutes if row is not None else default_minutes(places[a], places[b])
        if minutes:
            out.append((a, b, minutes))
    return tuple(out)
