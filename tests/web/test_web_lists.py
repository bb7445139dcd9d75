"""HR's lists of people, coaches, engagements, sessions and the outbox (issue 14 item 2)
through the real app: search that finds and excludes, filters, sort, pages, the CSV
export of the filtered list, refused parameters said by the form, and no brief or email
body on any page or CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from api_support import (
    START,
    add_coach,
    add_engagement,
    add_person,
    add_request,
    add_session,
    add_user,
    login,
)
from fastapi.testclient import TestClient
from sqlmodel import Session
from web_support import Browser, as_user, bearer_token

from api.models import OutboxMessage
from api.models.enums import EngagementStatus, OutboxStatus, Role
from api.settings import Settings
from api.web.viewer import LANG_COOKIE

SECRET = "SENTINEL-LISTS-BRIEF"
LISTS = ("people", "coaches", "engagements", "sessions", "outbox")
ROW = re.compile(r'<tr id="(?:person|coach|engagement|session|message)-(\d+)"')


def _message(db: Session, n: int, kind: str, to: str, status: OutboxStatus) -> OutboxMessage:
    row = OutboxMessage(
        dedupe_key=f"test:{n}", kind=kind, recipient=to, subject=f"Subject {n}",
        raw_mime=f"Subject: x\r\n\r\n{SECRET}".encode(), status=status,
        next_attempt_at=START, created_at=START + timedelta(minutes=n),
    )  # fmt: skip
    db.add(row)
    db.commit()
    return row


def _world(db: Session, settings: Settings, client: TestClient) -> dict[str, int]:
    helene = add_person(db, "H1", name="Hélène Dupré", unit="Finance", site="Lyon", language="fr")
    marc = add_person(db, "M1", name="Marc Zola", email="marc@example.org")
    injected = add_person(db, "F1", name="=HYPERLINK(1)", unit="Legal")
    karl = add_coach(db, person=add_person(db, "K1", name="Karl Coach", unit="HR"))
    olga = add_coach(db, name="Olga Extern", vendor="Acme", languages=["de"])
    away = add_coach(db, name="Aaron Away", active=False)
    first = add_engagement(db, add_request(db, helene, description=SECRET, objectives=SECRET), karl)
    second = add_engagement(
        db,
        add_request(db, marc, description=SECRET, objectives=SECRET),
        olga,
        status=EngagementStatus.flagged,
    )
    sessions = {
        "past": add_session(db, first, number=1, start=START - timedelta(days=5)),
        "soon": add_session(db, first, number=2, start=START + timedelta(days=1)),
        "later": add_session(db, first, number=3, start=START + timedelta(days=15)),
        "met_olga": add_session(db, second, number=1, start=START + timedelta(days=3)),
    }
    messages = {
        "invite": _message(db, 1, "invitation", "marc@example.org", OutboxStatus.sent),
        "remind": _message(db, 2, "reminder", "helene@example.org", OutboxStatus.pending),
        "failed": _message(db, 3, "reminder", "marc@example.org", OutboxStatus.failed),
    }
    user = add_user(db, settings, Role.hr, email="hr@example.org")
    as_user(client, bearer_token(login(client, user.email)))
    rows = {"helene": helene, "marc": marc, "injected": injected, "karl": karl, "olga": olga}
    rows |= {"away": away, "first": first, "second": second} | sessions | messages
    return {k: v.id for k, v in rows.items() if v.id is not None}


def _ids(html: str) -> list[int]:
    return [int(i) for i in ROW.findall(html)]


def _listed(client: TestClient, name: str, **params: str) -> list[int]:
    response = client.get(f"/hr/{name}", params=params)
    assert response.status_code == 200, response.text
    return _ids(response.text)


def _csv(client: TestClient, name: str, **params: str) -> list[list[str]]:
    response = client.get(f"/hr/{name}.csv", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_people_search_filters_and_sort(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    assert _listed(client, "people", q="helene") == [w["helene"]]  # accents folded
    assert _listed(client, "people", q="marc@example") == [w["marc"]]
    assert _listed(client, "people", q="nobody") == []
    assert _listed(client, "people", unit="finance") == [w["helene"]]
    assert _listed(client, "people", site="Lyon", language="fr") == [w["helene"]]
    assert _listed(client, "people", site="Lyon", language="en") == []
    names = _listed(client, "people")
    assert names[0] == w["injected"] and names[-1] == w["marc"]  # "=", H, K, M by name
    assert _listed(client, "people", sort="external_id", order="desc")[0] == w["marc"]


def test_coaches_search_filters_and_sort(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    assert _listed(client, "coaches", q="acme") == [w["olga"]]  # the vendor
    assert _listed(client, "coaches", q="karl") == [w["karl"]]
    assert w["karl"] not in _listed(client, "coaches", kind="external")
    assert _listed(client, "coaches", kind="internal") == [w["karl"]]
    assert _listed(client, "coaches", language="DE") == [w["olga"]]
    assert _listed(client, "coaches", active="no") == [w["away"]]
    assert w["away"] not in _listed(client, "coaches", active="yes")
    assert _listed(client, "coaches")[:2] == [w["away"], w["karl"]]  # Aaron, Karl, Olga
    assert _listed(client, "coaches", sort="name", order="desc")[0] == w["olga"]


def test_engagements_search_filters_and_sort(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    assert _listed(client, "engagements", q="dupre") == [w["first"]]  # the coachee
    assert _listed(client, "engagements", q="olga") == [w["second"]]  # the coach
    assert _listed(client, "engagements", q="nobody") == []
    assert _listed(client, "engagements", status="flagged") == [w["second"]]
    assert _listed(client, "engagements", kind="internal") == [w["first"]]
    assert _listed(client, "engagements", unit="Finance") == [w["first"]]
    by_coachee = _listed(client, "engagements", sort="coachee", order="asc")
    assert by_coachee == [w["first"], w["second"]]  # Hélène, Marc
    assert _listed(client, "engagements", sort="coachee", order="desc") == by_coachee[::-1]


def test_sessions_dates_filters_and_sort(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    assert _listed(client, "sessions") == [w["soon"], w["met_olga"], w["later"]]  # to come
    day = (START + timedelta(days=3)).date().isoformat()
    assert _listed(client, "sessions", **{"from": day, "to": day}) == [w["met_olga"]]
    since = (START - timedelta(days=10)).date().isoformat()
    assert _listed(client, "sessions", **{"from": since})[0] == w["past"]
    assert _listed(client, "sessions", coach=str(w["olga"])) == [w["met_olga"]]
    assert _listed(client, "sessions", status="cancelled") == []
    assert _listed(client, "sessions", order="desc")[0] == w["later"]
    assert _listed(client, "sessions", sort="coach")[-1] == w["met_olga"]  # Karl, Karl, Olga


def test_outbox_search_filters_and_sort(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    assert _listed(client, "outbox", q="MARC@") == [w["failed"], w["invite"]]  # newest first
    assert _listed(client, "outbox", q="nobody") == []
    assert _listed(client, "outbox", status="failed") == [w["failed"]]
    assert _listed(client, "outbox", kind="reminder") == [w["failed"], w["remind"]]
    assert _listed(client, "outbox", sort="queued", order="asc")[0] == w["invite"]
    assert _listed(client, "outbox", sort="recipient", order="asc")[0] == w["remind"]


def test_pages_keep_the_filters(client: TestClient, db: Session, settings: Settings) -> None:
    _world(db, settings, client)
    for n in range(55):
        add_person(db, f"P{n:02}", unit="Bulk")
    first = client.get("/hr/people", params={"unit": "Bulk", "sort": "external_id"})
    assert len(_ids(first.text)) == 50
    assert 'href="?unit=Bulk&amp;sort=external_id&amp;page=2"' in first.text
    second = _listed(client, "people", unit="Bulk", sort="external_id", page="2")
    assert len(second) == 5 and not set(second) & set(_ids(first.text))


@pytest.mark.parametrize(
    ("name", "params", "header", "rows"),
    [
        ("people", {"unit": "Finance"}, ["Id", "Name", "Email"], [["H1", "Hélène Dupré"]]),
        ("coaches", {"kind": "external", "active": "yes"}, ["Name", "Kind"], [["Olga Extern"]]),
        ("engagements", {"status": "flagged"}, ["Engagement", "Coach"], [["{second}"]]),
        ("sessions", {"coach": "{olga}"}, ["Start", "End", "Session"], [["", "", "1"]]),
        ("outbox", {"status": "failed"}, ["Id", "Kind"], [["{failed}", "reminder"]]),
    ],
)
def test_csv_has_the_pages_rows(
    client: TestClient,
    db: Session,
    settings: Settings,
    name: str,
    params: dict[str, str],
    header: list[str],
    rows: list[list[str]],
) -> None:
    w = _world(db, settings, client)
    params = {k: v.format(**w) for k, v in params.items()}
    page = client.get(f"/hr/{name}", params=params)
    link = re.search(r'href="(/hr/[a-z]+\.csv\?[^"]*)" id="export-csv"', page.text)
    assert link is not None
    table = _csv(client, name, **params)
    assert table[0][: len(header)] == header
    assert len(table) - 1 == len(_ids(page.text)) == len(rows)
    for got, wanted in zip(table[1:], rows, strict=True):
        for cell, value in zip(got, wanted, strict=False):
            assert not value or cell == value.format(**w)


def test_csv_cells_never_run_as_formulas(
    client: TestClient, db: Session, settings: Settings
) -> None:
    _world(db, settings, client)
    assert _csv(client, "people", unit="Legal")[1][1] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("people", {"sort": "salary"}, "sort"),
        ("coaches", {"kind": "robot"}, "kind"),
        ("engagements", {"status": "lost"}, "status"),
        ("sessions", {"from": "2026-13-01"}, "from"),
        ("sessions", {"from": "2026-03-10", "to": "2026-03-01"}, "to"),
        ("sessions", {"coach": "abc"}, "coach"),
        ("outbox", {"page": "0"}, "page"),
        ("outbox", {"q": "x" * 201}, "q"),
    ],
)
def test_wrong_parameters_are_said_by_the_form(
    client: TestClient,
    db: Session,
    settings: Settings,
    name: str,
    params: dict[str, str],
    field: str,
) -> None:
    _world(db, settings, client)
    response = client.get(f"/hr/{name}", params=params)
    assert response.status_code == 422
    assert 'id="list-errors"' in response.text and 'role="alert"' in response.text
    if field not in ("page",):
        assert re.search(rf'id="{field}" name="{field}"[^>]*aria-invalid="true"', response.text)
    assert 'id="export-csv"' not in response.text
    assert client.get(f"/hr/{name}.csv", params=params).status_code == 422


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_brief_or_email_body_in_any_list_or_csv(
    client: TestClient, db: Session, settings: Settings, lang: str
) -> None:
    _world(db, settings, client)
    client.cookies.set(LANG_COOKIE, lang)
    for name in LISTS:
        for path in (f"/hr/{name}", f"/hr/{name}.csv"):
            response = client.get(path, params={"from": "2026-01-01"} if "sessions" in path else {})
            assert response.status_code == 200, path
            assert SECRET not in response.content.decode("utf-8-sig"), path
    french = _csv(client, "sessions")[0]
    assert french[:2] == (["Début", "Fin"] if lang == "fr" else ["Start", "End"])


def test_hr_filters_and_exports_engagements_in_french_in_chromium(
    db: Session, settings: Settings, client: TestClient, page: Any, live_server: str
) -> None:
    w = _world(db, settings, client)
    page.context.add_cookies([{"name": LANG_COOKIE, "value": "fr", "url": live_server}])
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    site.open("/hr/engagements")
    page.locator("#kind").select_option("external")
    page.locator("#list-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"kind=external"))
    rows = page.locator("#engagements tbody tr")
    assert rows.count() == 1 and rows.first.get_attribute("id") == f"engagement-{w['second']}"
    with page.expect_download() as info:
        page.locator("#export-csv").click()
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    assert SECRET not in text
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:2] == ["Accompagnement", "Coach"]
    assert len(lines) == 2 and lines[1][1] == "Olga Extern"
    site.open("/hr/engagements?status=lost")  # a wrong value: said above the form, in French
    assert "Choisissez une valeur de la liste." in site.text()
