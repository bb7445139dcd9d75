"""Weak signals (issue 12 item 4): HR's list of themes, coaches' tags from it only, the
theme report suppressed like the indicators (the differencing attack over every theme
report), and the synthesis notes whose figures are checked against the report."""

from __future__ import annotations

import random
from typing import Any

import pytest
from api_support import add_user, fresh, login, row_counts
from fastapi.testclient import TestClient
from report_support import YEAR, Seen, Truth, build_programme, isolations
from sqlmodel import Session, select

from api.models import Engagement, EngagementTheme, SynthesisNote, Theme
from api.models.enums import Role
from api.reports import periods, suppression
from api.reports.themes import theme_tables
from api.settings import Settings

K = 5
THEMES = ("workload", "change", "conflicts")


def _themes(client: TestClient, hr: dict[str, str]) -> dict[str, int]:
    ids = {}
    for code in THEMES:
        body = {"code": code, "label_en": code.title(), "label_fr": code.upper()}
        response = client.post("/themes", json=body, headers=hr)
        assert response.status_code == 201, response.text
        ids[code] = response.json()["id"]
    return ids


def _tag(db: Session, truth: Truth, seed: int) -> dict[int, tuple[int, frozenset[str]]]:
    """Tag every engagement of the programme with random themes (behind the API: the
    tagging endpoint is tested on its own); engagement -> (request, themes)."""
    rng = random.Random(seed)
    themes = {t.code: t.id for t in fresh(db).exec(select(Theme))}
    tagged = {}
    for e in fresh(db).exec(select(Engagement)):
        chosen = frozenset(c for c in THEMES if rng.random() < (0.7 if c == "workload" else 0.3))
        for code in chosen:
            db.add(EngagementTheme(engagement_id=e.id, theme_id=themes[code]))
        tagged[e.id or 0] = (e.request_id, chosen)
    db.commit()
    return tagged


def _ask(client: TestClient, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    def ask(period: periods.Period, by: str | None) -> list[dict[str, Any]]:
        params = {"from": period.start.isoformat(), "to": period.end.isoformat()}
        if by:
            params["by"] = by
        response = client.get("/reports/themes", params=params, headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["k"] == K
        rows: list[dict[str, Any]] = response.json()["rows"]
        return rows

    return ask


def _attack(ask: Any, truth: Truth, tagged: dict[int, tuple[int, frozenset[str]]]) -> Any:
    """Every theme report of the year; each visible cell paired with the engagements the
    test knows are behind it; then every isolation the attack finds, per column."""
    held: dict[int, list[Any]] = {}
    for rid, day in truth.sessions.values():
        held.setdefault(rid, []).append(day)
    columns = ("engagements", *(f"theme_{c}" for c in THEMES))
    seen: dict[str, list[Seen]] = {c: [] for c in columns}
    suppressed = 0
    for period in periods.of_year(YEAR):
        for by in (None, "unit"):
            for row in ask(period, by):
                for name in columns:
                    value = row.get(name)
                    if value is None:
                        suppressed += name in row
                        continue
                    ids = frozenset(
                        eid
                        for eid, (rid, themes) in tagged.items()
                        if (themes if name == "engagements" else name[6:] in themes)
                        and any(period.holds(d) for d in held.get(rid, []))
                        and row["group"] in ("all", truth.requests[rid][0].unit1)
                    )
                    assert value == len(ids), (period.label, by, row["group"], name)
                    seen[name].append(Seen((period.label, by, 1), row["group"], value, ids))
    owners = {eid: truth.requests[rid][0].person for eid, (rid, _) in tagged.items()}
    found = []
    for cells in seen.values():
        found += isolations(cells, owners, K)
    return [c for cells in seen.values() for c in cells], suppressed, found


def test_the_theme_reports_isolate_no_small_group(
    db: Session, client: TestClient, hr: dict[str, str]
) -> None:
    truth = build_programme(db, seed=5)
    _themes(client, hr)
    tagged = _tag(db, truth, seed=5)
    visible, suppressed, found = _attack(_ask(client, hr), truth, tagged)
    assert found == [], found[:3]
    assert suppressed > 20  # small groups exist, and are hidden
    assert sum(1 for c in visible if c.ids) > 30  # large ones are shown


def test_the_attack_catches_primary_suppression_alone(
    db: Session, client: TestClient, hr: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    truth = build_programme(db, seed=5)
    _themes(client, hr)
    tagged = _tag(db, truth, seed=5)

    def primary_only(lattice: suppression.Lattice, k: int) -> suppression.Suppression:
        size = {c.key: suppression.people(c.contributions, lattice.owners) for c in lattice.cells}
        hidden = frozenset(key for key, n in size.items() if 0 < n < k)
        return suppression.Suppression(k=k, hidden=hidden, primary=hidden)

    monkeypatch.setattr("api.reports.indicators.suppress", primary_only)
    theme_tables.cache_clear()
    _, _, found = _attack(_ask(client, hr), truth, tagged)
    theme_tables.cache_clear()
    assert found, "the detector finds what primary suppression alone leaves"


def test_csv_and_coaches_read_the_report(
    db: Session, client: TestClient, hr: dict[str, str], settings: Settings
) -> None:
    truth = build_programme(db, seed=5)
    _themes(client, hr)
    _tag(db, truth, seed=5)
    params = {"from": "2025-01-01", "to": "2025-03-31", "by": "unit"}
    body = client.get("/reports/themes", params=params, headers=hr).json()
    assert [t["column"] for t in body["themes"]] == [f"theme_{c}" for c in sorted(THEMES)]
    assert body["rows"][0]["group"] == "all" and {r["group"] for r in body["rows"][1:]} <= {
        "Finance",
        "IT",
        "Ventes",
    }
    csv = client.get("/reports/themes", params=params | {"format": "csv"}, headers=hr)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    hidden = sum(1 for r in body["rows"] for v in r.values() if v is None)
    assert hidden > 0 and csv.text.count("suppressed") == hidden


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-01-02", "to": "2025-01-31"}, "from"),
        ({"from": "2025-01-01", "to": "2025-02-28"}, "to"),
        ({"from": "2026-03-01", "to": "2026-03-31"}, "to"),
        ({"from": "2025-01-01", "to": "2025-01-31", "by": "site"}, "by"),
        ({"from": "2025-01-01", "to": "2025-01-31", "by": "unit2"}, "by"),
        ({"from": "2025-01-01", "to": "2025-01-31", "format": "xlsx"}, "format"),
    ],
)
def test_bad_parameters_name_the_field(
    client: TestClient, hr: dict[str, str], params: dict[str, Any], field: str
) -> None:
    response = client.get("/reports/themes", params=params, headers=hr)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


def test_the_theme_list_is_hrs_and_tags_come_from_it(
    db: Session, client: TestClient, hr: dict[str, str], settings: Settings
) -> None:
    from api_support import add_coach, add_engagement, add_person, add_request

    ids = _themes(client, hr)
    again = client.post(
        "/themes", json={"code": "workload", "label_en": "W", "label_fr": "C"}, headers=hr
    )
    assert again.status_code == 409 and again.json()["field"] == "code"
    for code in ("Work load", "x", "burnout!", "é"):
        bad = client.post(
            "/themes", json={"code": code, "label_en": "a", "label_fr": "b"}, headers=hr
        )
        assert bad.status_code == 422 and bad.json()["field"] == "code", code
    boss = add_person(db, "B", name="Boss")
    coachee = add_person(db, "P", manager=boss)
    karl = add_coach(db, person=add_person(db, "K"))
    other = add_coach(db)
    mine = add_engagement(db, add_request(db, coachee), karl)
    theirs = add_engagement(db, add_request(db, coachee), other)
    karl_h = login(client, add_user(db, settings, Role.coach, coach=karl).email)
    coachee_h = login(client, add_user(db, settings, Role.coachee, person=coachee).email)
    sponsor_h = login(client, add_user(db, settings, Role.sponsor, person=boss).email)
    url = f"/me/engagements/{mine.id}/themes"
    ok = client.put(url, json={"themes": ["workload", "conflicts", "workload"]}, headers=karl_h)
    assert ok.status_code == 200 and ok.json()["themes"] == ["conflicts", "workload"]
    assert client.get(url, headers=karl_h).json()["themes"] == ["conflicts", "workload"]
    before = row_counts(db)
    for themes in (["workload", "burnout"], ["My manager shouts"], ["x" * 41]):
        refused = client.put(url, json={"themes": themes}, headers=karl_h)
        assert refused.status_code == 422 and refused.json()["field"].startswith("themes"), themes
    assert row_counts(db) == before  # nothing half-written
    assert (
        client.put(
            f"/me/engagements/{theirs.id}/themes", json={"themes": []}, headers=karl_h
        ).status_code
        == 404
    )
    for headers in (coachee_h, sponsor_h, hr):
        assert client.put(url, json={"themes": ["workload"]}, headers=headers).status_code == 403
        assert client.get(url, headers=headers).status_code == 403
    # HR relabels and deactivates; an inactive theme cannot be tagged; a used one stays
    assert (
        client.patch(f"/themes/{ids['change']}", json={"active": False}, headers=hr).json()[
            "active"
        ]
        is False
    )
    refused = client.put(url, json={"themes": ["change"]}, headers=karl_h)
    assert refused.status_code == 422 and refused.json()["field"] == "themes"
    assert client.delete(f"/themes/{ids['workload']}", headers=hr).status_code == 409
    assert client.delete(f"/themes/{ids['change']}", headers=hr).status_code == 204
    assert client.get("/themes", headers=karl_h).status_code == 200
    for headers in (karl_h, coachee_h, sponsor_h):
        assert (
            client.post(
                "/themes", json={"code": "new", "label_en": "a", "label_fr": "b"}, headers=headers
            ).status_code
            == 403
        )
        assert client.delete(f"/themes/{ids['conflicts']}", headers=headers).status_code == 403
    for headers in (coachee_h, sponsor_h):
        assert client.get("/themes", headers=headers).status_code == 403
        params = {"from": "2025-01-01", "to": "2025-12-31"}
        assert client.get("/reports/themes", params=params, headers=headers).status_code == 403
        assert client.get("/syntheses", headers=headers).status_code == 403


def test_a_synthesis_quotes_only_visible_figures(
    db: Session, client: TestClient, hr: dict[str, str], settings: Settings
) -> None:
    from api_support import add_coach, add_person

    truth = build_programme(db, seed=5)
    _themes(client, hr)
    _tag(db, truth, seed=5)
    coach = add_coach(db, person=add_person(db, "KS", name="Synthesis Coach"))
    coach_h = login(client, add_user(db, settings, Role.coach, coach=coach).email)
    params = {"from": "2025-04-01", "to": "2025-06-30", "by": "unit"}
    report = client.get("/reports/themes", params=params, headers=coach_h).json()
    visible = sorted({v for r in report["rows"] for k, v in r.items() if k != "group" and v})
    assert visible and min(visible) >= K
    hidden = [(r["group"], k) for r in report["rows"] for k, v in r.items() if v is None]
    assert hidden
    # the true value of a hidden cell, computed from what the test wrote
    small = 0
    for group, column in hidden:
        if column.startswith("theme_") and group != "all":
            rows = fresh(db).exec(select(EngagementTheme, Engagement, Theme).where(
                EngagementTheme.engagement_id == Engagement.id,
                EngagementTheme.theme_id == Theme.id,
                Theme.code == column[6:],
            )).all()  # fmt: skip
            period = periods.quarter(2025, 2)
            n = sum(
                1
                for _, e, _ in rows
                if truth.requests[e.request_id][0].unit1 == group
                and any(
                    period.holds(d) for rid, d in truth.sessions.values() if rid == e.request_id
                )
            )
            if 0 < n < K:
                small = n
                break
    assert small
    note = {
        "title": "Weak signals, 2025-Q2",
        "from": "2025-04-01",
        "to": "2025-06-30",
        "body": f"In 2025, {visible[-1]} engagements were tagged; see 2025-06-30.",
    }
    created = client.post("/syntheses", json=note, headers=coach_h)
    assert created.status_code == 201, created.text
    assert created.json()["period"] == "2025-Q2" and created.json()["published"] is False
    before = row_counts(db)
    for figure in (str(small), "37", "4,5"):
        body = note | {"body": f"Finance had {figure} engagements about conflicts."}
        refused = client.post("/syntheses", json=body, headers=coach_h)
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == "body" and refused.json()["figure"] == figure
        assert figure in refused.json()["detail"]
        changed = client.put(f"/syntheses/{created.json()['id']}", json=body, headers=coach_h)
        assert changed.status_code == 422 and changed.json()["figure"] == figure
    assert row_counts(db) == before
    assert fresh(db).get_one(SynthesisNote, created.json()["id"]).body == note["body"]
    # not in words glued to letters, nor in the title either
    assert (
        client.post("/syntheses", json=note | {"title": "Q2 with 2 units"}, headers=coach_h).json()[
            "figure"
        ]
        == "2"
    )
    # HR reads published notes only; HR cannot write one
    assert client.get("/syntheses", headers=hr).json() == []
    assert client.get(f"/syntheses/{created.json()['id']}", headers=hr).status_code == 404
    published = client.put(
        f"/syntheses/{created.json()['id']}", json=note | {"published": True}, headers=coach_h
    )
    assert published.status_code == 200
    assert [n["id"] for n in client.get("/syntheses", headers=hr).json()] == [created.json()["id"]]
    assert client.post("/syntheses", json=note, headers=hr).status_code == 403
    bad = client.post("/syntheses", json=note | {"from": "2025-04-02"}, headers=coach_h)
    assert bad.status_code == 422 and bad.json()["field"] == "from"
