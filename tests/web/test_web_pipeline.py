"""HR's request pipeline (issue 14 item 2) through the real app: the counts per state,
search (accents folded), each filter, sort, pages, the CSV export, refused parameters and
the duplicate warnings; then one story in Chromium."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from api_support import START, add_coach, add_engagement, add_person, add_request, add_user, login
from fastapi.testclient import TestClient
from sqlmodel import Session
from web_support import Browser, as_user, bearer_token

from api.models import CoachingRequest
from api.models.enums import EngagementStatus, RequestStatus, Role
from api.settings import Settings
from api.web.render import FLASH_COOKIE

SECRET = "SENTINEL-PIPELINE-BRIEF"


def _request(db: Session, person: Any, days_ago: int, **fields: Any) -> CoachingRequest:
    row = add_request(db, person, description=SECRET, objectives=SECRET, **fields)
    row.submitted_at = START - timedelta(days=days_ago)
    db.add(row)
    db.commit()
    return row


def _world(db: Session, settings: Settings, client: TestClient) -> dict[str, int]:
    helene = add_person(db, "H1", name="Hélène Dupré", unit="Finance", site="Lyon")
    marc = add_person(db, "M1", name="Marc Zola")
    anna = add_person(db, "A1", name="Anna Berg")
    emile = add_person(db, "E1", name="Émile Ébert", email="emile@example.org")
    chloe = add_person(db, "C1", name="Chloé Roux")
    zoe = add_person(db, "Z1", name="Zoé Ney")
    yves = add_person(db, "Y1", name="Yves Lac")
    internal = add_coach(db, person=add_person(db, "K1", name="Karl Coach"))
    external = add_coach(db)
    matched = {"status": RequestStatus.matched}
    ids = {
        "new": _request(db, helene, 2, priority=2),
        "dup": _request(db, helene, 1, coaching_type="mediation", priority=4),
        "waiting": _request(db, marc, 30, priority=5),
        "proposals": _request(db, anna, 5, coaching_type="team_coaching", status="proposed"),
        "proposed": _request(db, emile, 4, **matched),
        "contracted": _request(db, chloe, 6, **matched),
        "in_progress": _request(db, zoe, 7, **matched),
        "completed": _request(db, anna, 8, status=RequestStatus.closed),
        "ended": _request(db, yves, 9, status=RequestStatus.closed),
        "cancelled": _request(db, marc, 3, status=RequestStatus.cancelled),
    }
    for key, coach, status in [
        ("proposed", external, EngagementStatus.proposed),
        ("contracted", internal, EngagementStatus.contracted),
        ("in_progress", internal, EngagementStatus.midway_review),
        ("completed", external, EngagementStatus.completed),
        ("ended", internal, EngagementStatus.ended_early),
    ]:
        add_engagement(db, ids[key], coach, status=status)
    user = add_user(db, settings, Role.hr, email="hr@example.org")
    as_user(client, bearer_token(login(client, user.email)))
    return {k: v.id for k, v in ids.items() if v.id is not None}


def _listed(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="request-(\d+)"', html)]


def _counts(html: str) -> dict[str, int]:
    return {s: int(n) for s, n in re.findall(r'data-state="(\w+)"[^>]*>[^<(]*\((\d+)\)', html)}


def test_each_request_is_in_one_state_and_each_tab_counts_them(
    client: TestClient, db: Session, settings: Settings
) -> None:
    ids = _world(db, settings, client)
    page = client.get("/hr/requests")
    assert page.status_code == 200
    assert SECRET not in page.text
    assert _counts(page.text) == {
        "new": 2,
        "waiting": 2,
        "proposed": 1,
        "contracted": 1,
        "in_progress": 1,
        "completed": 1,
        "ended": 1,
        "cancelled": 1,
    }
    assert sorted(_listed(page.text)) == sorted(ids.values())
    expected = {
        "new": ["new", "dup"],
        "waiting": ["waiting", "proposals"],
        "proposed": ["proposed"],
        "in_progress": ["in_progress"],
        "ended": ["ended"],
        "cancelled": ["cancelled"],
    }
    for state, keys in expected.items():
        shown = client.get(f"/hr/requests?state={state}")
        assert sorted(_listed(shown.text)) == sorted(ids[k] for k in keys), state
        assert re.search(rf'data-state="{state}" aria-current="page"', shown.text), state
    # the tabs keep the other filters: counts are those of the filtered list
    typed = client.get("/hr/requests?coaching_type=coaching&state=new")
    assert _listed(typed.text) == [ids["new"]]
    assert _counts(typed.text)["new"] == 1 and _counts(typed.text)["waiting"] == 1
    assert 'href="?coaching_type=coaching&amp;state=waiting"' in typed.text


def test_search_folds_accents_and_case_over_name_email_and_org_chart_id(
    client: TestClient, db: Session, settings: Settings
) -> None:
    ids = _world(db, settings, client)
    for q, keys in [
        ("helene", ["new", "dup"]),
        ("DUPRÉ", ["new", "dup"]),
        ("émile", ["proposed"]),
        ("EMILE@example", ["proposed"]),
        ("z1", ["in_progress"]),
        ("nobody", []),
    ]:
        shown = client.get("/hr/requests", params={"q": q})
        assert shown.status_code == 200
        assert sorted(_listed(shown.text)) == sorted(ids[k] for k in keys), q
        assert f'name="q" value="{q}"' in shown.text  # the form keeps it


def test_each_filter_keeps_only_its_rows(
    client: TestClient, db: Session, settings: Settings
) -> None:
    ids = _world(db, settings, client)
    for params, keys in [
        ({"coaching_type": "mediation"}, ["dup"]),
        ({"coaching_type": "team_coaching"}, ["proposals"]),
        ({"unit": "Finance"}, ["new", "dup"]),
        ({"site": "Lyon"}, ["new", "dup"]),
        ({"kind": "external"}, ["proposed", "completed"]),
        ({"kind": "internal"}, ["contracted", "in_progress", "ended"]),
        ({"waited": "20"}, ["waiting"]),
        ({"waited": "7"}, ["completed", "ended", "waiting"]),
        ({"waited": "7", "kind": "internal"}, ["ended"]),
    ]:
        shown = client.get("/hr/requests", params=params)
        assert shown.status_code == 200, shown.text
        assert sorted(_listed(shown.text)) == sorted(ids[k] for k in keys), params


def test_sorts_both_ways(client: TestClient, db: Session, settings: Settings) -> None:
    ids = _world(db, settings, client)
    by_id = {v: k for k, v in ids.items()}

    def order(**params: str) -> list[str]:
        return [by_id[i] for i in _listed(client.get("/hr/requests", params=params).text)]

    assert order(sort="waiting")[0] == "waiting"  # descending by default: the longest first
    assert order(sort="waiting", order="asc")[:2] == ["dup", "new"]
    assert order(sort="submitted")[:2] == ["dup", "new"]  # the most recent first
    assert order(sort="priority", order="asc", state="new") == ["new", "dup"]
    assert order(sort="priority", order="desc", state="new") == ["dup", "new"]
    # by name, accents folded: Anna, Chloé, Émile, Hélène ×2, Marc ×2, Yves, Zoé
    names = order(sort="coachee", order="asc")
    assert names == [
        "proposals",  # Anna's two: by id when the names are equal
        "completed",
        "contracted",
        "proposed",
        "new",
        "dup",
        "waiting",
        "cancelled",
        "ended",
        "in_progress",
    ]
    assert order(sort="coachee", order="desc")[0] == "in_progress"


def test_pages_keep_the_filters(client: TestClient, db: Session, settings: Settings) -> None:
    _world(db, settings, client)
    for n in range(55):
        _request(db, add_person(db, f"X{n}", name=f"Xavier {n:02d}"), 40)
    first = client.get("/hr/requests", params={"state": "waiting", "sort": "coachee"})
    assert len(_listed(first.text)) == 50 and "57 in all" in first.text
    assert 'href="?state=waiting&amp;sort=coachee&amp;page=2"' in first.text
    second = client.get("/hr/requests", params={"state": "waiting", "sort": "coachee", "page": 2})
    assert len(_listed(second.text)) == 7
    assert not set(_listed(first.text)) & set(_listed(second.text))


def test_csv_export_of_the_filtered_list(
    client: TestClient, db: Session, settings: Settings
) -> None:
    ids = _world(db, settings, client)
    listed = client.get("/hr/requests?unit=Finance")
    assert 'href="/hr/requests.csv?unit=Finance"' in listed.text
    response = client.get("/hr/requests.csv", params={"unit": "Finance", "sort": "submitted"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert SECRET.encode() not in response.content
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Request", "Coachee", "Org-chart id"]
    assert [r[0] for r in rows[1:]] == [str(ids["dup"]), str(ids["new"])]
    assert rows[1][1] == "Hélène Dupré" and rows[1][6] == "Mediation" and rows[1][7] == "New"
    assert rows[1][-1] == f"#{ids['new']}"  # the duplicate named
    # a name a spreadsheet would run as a formula is quoted
    _request(db, add_person(db, "F1", name="=HYPERLINK(1)"), 1)
    quoted = client.get("/hr/requests.csv", params={"q": "F1"}).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(quoted)))[1][1] == "'=HYPERLINK(1)"
    # every page at once, in French
    client.cookies.set("coachmatch_lang", "fr")
    whole = client.get("/hr/requests.csv").content.decode("utf-8-sig")
    assert SECRET not in whole and len(whole.strip().splitlines()) == 2 + len(ids)
    header = whole.splitlines()[0].split(",")
    assert header[2] == "Matricule" and header[7] == "État"
    assert ",Contractualisées," in whole and ",Coach interne," in whole


def test_wrong_parameters_are_said_inline_and_kept_in_the_form(
    client: TestClient, db: Session, settings: Settings
) -> None:
    _world(db, settings, client)
    for params, words in [
        ({"waited": "abc"}, "Waiting time: enter a whole number of days from 0 to 3650."),
        ({"waited": "-3"}, "Waiting time: enter a whole number of days from 0 to 3650."),
        ({"page": "zero"}, "Page: enter a whole number from 1."),
        ({"sort": "salary"}, "Choose a value from the list."),
        ({"state": "lost"}, "Choose a value from the list."),
        ({"coaching_type": "yoga"}, "Choose a value from the list."),
        ({"q": "x" * 201}, "Search for 200 characters at the most."),
    ]:
        shown = client.get("/hr/requests", params={**params, "site": "Lyon"})
        assert shown.status_code == 422, params
        assert words in shown.text and 'id="pipeline-errors"' in shown.text
        assert 'name="site" value="Lyon"' in shown.text  # the other values are kept
        assert _listed(shown.text) == []
        assert client.get("/hr/requests.csv", params=params).status_code == 422
    kept = client.get("/hr/requests", params={"waited": "abc"})
    assert 'name="waited" value="abc"' in kept.text


def test_a_duplicate_is_warned_in_the_list_and_the_form_but_not_refused(
    client: TestClient, db: Session, settings: Settings
) -> None:
    ids = _world(db, settings, client)
    page = client.get("/hr/requests")
    row = page.text.split(f'<tr id="request-{ids["new"]}"', 1)[1].split("</tr>", 1)[0]
    assert 'class="duplicate"' in row and f'href="/hr/requests/{ids["dup"]}"' in row
    waiting = page.text.split(f'<tr id="request-{ids["waiting"]}"', 1)[1].split("</tr>", 1)[0]
    assert "duplicate-warning" not in waiting  # Marc's other request is cancelled
    form = client.get("/hr/requests/new", params={"coachee_id": "H1"})
    assert 'id="duplicate-warning"' in form.text and "Hélène Dupré already has" in form.text
    assert f'href="/hr/requests/{ids["dup"]}"' in form.text
    assert 'id="duplicate-warning"' not in client.get("/hr/requests/new?coachee_id=Y1").text
    csrf = as_user(client, client.cookies.get("coachmatch_session"))
    base = {"csrf": csrf, "coachee_id": "H1", "language": "en", "modality": "any"}
    refused = client.post("/hr/requests/new", data={**base, "sessions": "0"})
    assert refused.status_code == 422 and 'id="duplicate-warning"' in refused.text
    done = client.post(
        "/hr/requests/new",
        data={**base, "coaching_type": "coaching", "sessions": "4", "session_minutes": "60"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert "flash.request_submitted_duplicate" in done.headers["set-cookie"]
    assert FLASH_COOKIE in done.headers["set-cookie"]
    assert _counts(client.get("/hr/requests").text)["new"] == 3


def test_hr_filters_sorts_and_exports_in_chromium(
    db: Session, settings: Settings, client: TestClient, page: Any, live_server: str
) -> None:
    ids = _world(db, settings, client)
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    site.open("/hr/requests")
    assert site.heading() == "Coaching requests"
    page.locator('#pipeline-tabs a[data-state="new"]').click()
    page.wait_for_load_state()
    page.locator("#coaching_type").select_option("coaching")
    page.locator("#sort").select_option("priority")
    page.locator("#order").select_option("asc")
    page.locator("#pipeline-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"sort=priority"))
    assert "state=new" in page.url and "coaching_type=coaching" in page.url
    rows = page.locator("#pipeline tbody tr")
    assert rows.count() == 1
    assert rows.first.get_attribute("id") == f"request-{ids['new']}"
    assert "Possible duplicate" in rows.first.inner_text()
    with page.expect_download() as info:
        page.locator("#export-csv").click()
    path = Path(info.value.path())
    text = path.read_bytes().decode("utf-8-sig")
    assert SECRET not in text
    lines = list(csv.reader(io.StringIO(text)))
    assert len(lines) == 2 and lines[1][0] == str(ids["new"]) and lines[1][1] == "Hélène Dupré"
