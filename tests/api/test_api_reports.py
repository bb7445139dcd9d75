"""Reports (issue 12 items 1, 2, 7): indicators with small groups suppressed, the
differencing attack over every report HR can ask, CSV, roles and bad parameters."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from api_support import add_user, login
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from report_support import YEAR, Seen, attack, build_programme, isolations
from sqlmodel import Session

from api.models import EvaluationAnswer
from api.models.enums import Role
from api.reports import periods, suppression
from api.reports.facts import CoachFact, Place, Programme, RequestFact, SessionFact
from api.reports.indicators import report, year_tables
from api.reports.suppression import Cell, Lattice, Relation, suppress
from api.settings import Settings

K = 5
TODAY = date(2026, 3, 2)


def ask_api(client: TestClient, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    def ask(period: periods.Period, by: str | None, level: int) -> list[dict[str, object]]:
        params: dict[str, Any] = {"from": period.start.isoformat(), "to": period.end.isoformat()}
        if by is not None:
            params |= {"by": by, "level": level}
        response = client.get("/reports/indicators", params=params, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["k"] == K
        rows: list[dict[str, object]] = body["rows"]
        return rows

    return ask


# The differencing attack, through the API ------------------------------------------------


def test_no_report_or_combination_of_reports_isolates_a_small_group(
    db: Session, client: TestClient, hr: dict[str, str]
) -> None:
    truth = build_programme(db, seed=3)
    visible, suppressed, found = attack(ask_api(client, hr), truth, K)
    assert found == [], _describe(found)
    # not vacuous: the programme has small groups, hidden, and large ones, shown
    assert suppressed > 20
    assert sum(1 for cell in visible if cell.ids) > 50


def test_the_attack_catches_primary_suppression_alone(
    db: Session, client: TestClient, hr: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The detector is shown to work: with only small cells hidden (no complementary
    suppression, no care for differences) it finds groups below k."""
    truth = build_programme(db, seed=3)

    def primary_only(lattice: Lattice, k: int) -> suppression.Suppression:
        size = {c.key: suppression.people(c.contributions, lattice.owners) for c in lattice.cells}
        hidden = frozenset(key for key, n in size.items() if 0 < n < k)
        return suppression.Suppression(k=k, hidden=hidden, primary=hidden)

    monkeypatch.setattr("api.reports.indicators.suppress", primary_only)
    year_tables.cache_clear()  # the same programme was suppressed properly before
    _, _, found = attack(ask_api(client, hr), truth, K)
    year_tables.cache_clear()
    kinds = {kind for kind, *_ in found}
    assert "report's rows" in kinds or "difference" in kinds, kinds


# Random programmes (hypothesis), on the pure engine ----------------------------------------

UNITS = {"A": ("A1", "A2"), "B": ("B1",), "C": ("C1", "C2", "C3")}
members = st.tuples(
    st.sampled_from([(u, t) for u, teams in UNITS.items() for t in teams]),
    st.sampled_from(["Paris", "Lyon"]),
    st.integers(0, 14),  # the person (few: people repeat)
)
requests = st.lists(
    st.tuples(
        members,
        st.sampled_from(["coaching", "mediation"]),
        st.integers(0, 364),
        st.sampled_from(["internal", "external", "none"]),
        st.integers(0, 3),
    ),
    min_size=0,
    max_size=45,
)


def programme_of(draw: list[Any]) -> Programme:
    reqs, sessions = [], []
    for i, (((u1, u2), site, person), kind_type, day, coach_kind, held) in enumerate(draw):
        place = Place(u1, u2, site, kind_type, coach_kind, None if coach_kind == "none" else 1)
        submitted = date(YEAR, 1, 1) + timedelta(days=day)
        reqs.append(RequestFact(i, person, place, submitted))
        for n in range(held if coach_kind != "none" else 0):
            when = submitted + timedelta(days=10 * n)
            if when.year == YEAR:
                sessions.append(SessionFact(100 * i + n, i, person, place, when, 1.0, "held"))
    return Programme(tuple(reqs), tuple(sessions), (CoachFact(1, "internal", "C", 10.0),))


GROUPINGS = ("all", "unit", "unit2", "site", "type", "coach_kind")


@hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests, st.sampled_from([3, 4, 5]))
def test_random_programmes_keep_small_groups_hidden(draw: list[Any], k: int) -> None:
    programme = programme_of(draw)
    tables = year_tables(programme, YEAR, k=k, today=TODAY)
    people = {r.id: r.person for r in programme.requests}
    cells: list[Seen] = []
    for period in periods.of_year(YEAR):
        for by in GROUPINGS:
            result = report(tables, period, by)
            totals = result.rows[0].values["requests_received"]
            visible_parts = 0.0
            hidden_parts = []
            for row in result.rows:
                ids = frozenset(
                    r.id
                    for r in programme.requests
                    if period.holds(r.submitted)
                    and (row.group == "all" or _group(r.place, by) == row.group)
                )
                value = row.values["requests_received"]
                if value is None:
                    if row.group != "all" and ids:
                        hidden_parts.append(ids)
                    continue
                assert value == len(ids)
                n = len({people[i] for i in ids})
                assert n == 0 or n >= k, (period.label, by, row.group, n)  # k-suppression
                cells.append(Seen((period.label, by, 1), row.group, value, ids))
                if row.group != "all":
                    visible_parts += value
            if totals is not None and hidden_parts:
                # complementary: the total minus the visible rows is never one hidden row,
                # nor a group below k
                assert len(hidden_parts) >= 2
                rest = frozenset().union(*hidden_parts)
                assert len({people[i] for i in rest}) >= k
                assert totals - visible_parts == len(rest)
    found = isolations(cells, people, k)
    assert found == [], _describe(found)


def _describe(found: list[Any]) -> list[Any]:
    return [
        (kind, a.report, a.group, [(b.report, b.group) for b in bs], n)
        for kind, a, bs, n in found[:6]
    ]


def _group(place: Place, by: str) -> str:
    if by == "unit":
        return place.unit1
    if by == "unit2":
        return place.unit1 if place.unit2 == place.unit1 else f"{place.unit1} / {place.unit2}"
    value: str = getattr(place, by)
    return value


@hsettings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 30), max_size=12), min_size=2, max_size=7),
    st.integers(3, 6),
)
def test_suppression_rules_hold_on_random_tables(parts: list[list[int]], k: int) -> None:
    """A total and its parts, each part holding events of people (ids may repeat)."""
    offset = 0
    cells, owners = [], {}
    for i, people in enumerate(parts):
        ids = []
        for person in people:
            owners[offset] = person
            ids.append(offset)
            offset += 1
        cells.append(Cell(("part", i), frozenset(ids)))
    total = Cell("total", frozenset(owners))
    lattice = Lattice((total, *cells), (Relation("total", tuple(c.key for c in cells)),), owners)
    result = suppress(lattice, k)
    n = {c.key: suppression.people(c.contributions, owners) for c in (total, *cells)}
    for key, size in n.items():
        if 0 < size < k:
            assert key in result.primary and key in result.hidden
    hidden = [c for c in cells if c.key in result.hidden and c.contributions]
    if "total" not in result.hidden and hidden:
        assert len(hidden) >= 2
        union = frozenset().union(*(c.contributions for c in hidden))
        assert suppression.people(union, owners) >= k
    if "total" in result.hidden and total.contributions:
        assert hidden


def test_k_is_never_below_three() -> None:
    with pytest.raises(ValueError):
        suppress(Lattice((), ()), 2)
    with pytest.raises(ValueError):
        Settings(report_k=2)


# The endpoint ------------------------------------------------------------------------------


def test_csv_marks_suppressed_cells(db: Session, client: TestClient, hr: dict[str, str]) -> None:
    build_programme(db, seed=3)
    params = {"from": "2025-01-01", "to": "2025-03-31", "by": "unit", "level": 2}
    body = client.get("/reports/indicators", params=params, headers=hr).json()
    response = client.get("/reports/indicators", params=params | {"format": "csv"}, headers=hr)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["group"] for r in rows] == [r["group"] for r in body["rows"]]
    marked = 0
    for json_row, csv_row in zip(body["rows"], rows, strict=True):
        for name, value in json_row.items():
            if name == "group":
                continue
            if value is None:
                assert csv_row[name] == "suppressed"
                marked += 1
            else:
                assert float(csv_row[name]) == value
    assert marked > 0


def test_the_year_report_names_every_indicator(
    db: Session, client: TestClient, hr: dict[str, str]
) -> None:
    build_programme(db, seed=3)
    for n in range(6):  # released evaluation answers: a cell of six
        db.add(
            EvaluationAnswer(
                period="2025-Q2",
                request_type="coaching",
                unit="IT",
                coach_kind="internal",
                respondent="coachee",
                satisfaction=4 + n % 2,
                recommend=n != 0,
                objectives=[3, 4],
                batch=date(2025, 7, 1),
            )
        )
    db.commit()
    params = {"from": "2025-01-01", "to": "2025-12-31", "by": "coach_kind"}
    body = client.get("/reports/indicators", params=params, headers=hr).json()
    assert body["period"] == "2025" and body["by"] == "coach_kind"
    total = body["rows"][0]
    assert total["group"] == "all"
    for name in (
        "requests_received",
        "requests_matched",
        "contracted",
        "in_progress",
        "completed",
        "ended_early",
        "ended_early_no_fit",
        "waiting",
        "days_to_match_median",
        "days_to_match_p90",
        "days_to_first_session_median",
        "sessions_held",
        "no_shows",
        "hours_delivered",
        "external_spend",
        "hours_booked",
        "hours_available",
        "utilisation",
        "evaluations",
        "satisfaction",
        "would_recommend",
    ):
        assert name in total, name
    assert total["requests_received"] == 70
    assert total["evaluations"] == 6 and total["satisfaction"] == 4.5
    assert total["would_recommend"] == 0.83 and total["objectives_reached"] == 3.5
    assert {r["group"] for r in body["rows"][1:]} == {"internal", "external", "none"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-01-02", "to": "2025-01-31"}, "from"),
        ({"from": "2025-01-01", "to": "2025-01-30"}, "to"),
        ({"from": "2025-01-01", "to": "2025-02-28"}, "to"),  # two months: no such period
        ({"from": "2025-01-01", "to": "2026-12-31"}, "to"),
        ({"from": "2026-01-01", "to": "2026-12-31"}, "to"),  # not over
        ({"from": "2026-03-01", "to": "2026-03-31"}, "to"),  # not over
        ({"from": "yesterday", "to": "2025-01-31"}, "from"),
        ({"to": "2025-01-31"}, "from"),
        ({"from": "2025-01-01"}, "to"),
        ({"from": "2025-01-01", "to": "2025-01-31", "by": "person"}, "by"),
        ({"from": "2025-01-01", "to": "2025-01-31", "by": "unit", "level": 3}, "level"),
        ({"from": "2025-01-01", "to": "2025-01-31", "format": "xlsx"}, "format"),
    ],
)
def test_bad_parameters_name_the_field(
    client: TestClient, hr: dict[str, str], params: dict[str, Any], field: str
) -> None:
    response = client.get("/reports/indicators", params=params, headers=hr)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


@pytest.mark.parametrize("role", [Role.coach, Role.coachee, Role.sponsor])
def test_only_hr_reads_reports(
    db: Session, client: TestClient, settings: Settings, role: Role
) -> None:
    user = add_user(db, settings, role)
    headers = login(client, user.email)
    params = {"from": "2025-01-01", "to": "2025-12-31"}
    assert client.get("/reports/indicators", params=params, headers=headers).status_code == 403
    assert client.get("/reports/indicators", params=params).status_code == 401
