"""Org-chart CSV import over HTTP: line-numbered errors, all or nothing, re-import diff,
engagement flagging."""

from __future__ import annotations

from api_support import (
    PASSWORD,
    add_coach,
    add_engagement,
    add_request,
    add_user,
    fresh,
    login,
    row_counts,
)
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Engagement, Person, User
from api.models.enums import EngagementStatus, Role
from api.settings import Settings

HEADER = "id,name,email,manager_id,unit,site,timezone,language\n"
ORG = HEADER + (
    "E1,Alice Boss,alice@example.org,,Board,Paris,Europe/Paris,fr\n"
    "E2,Bob Lead,bob@example.org,E1,Ops,Paris,Europe/Paris,en\n"
    "E3,Carol Dev,carol@example.org,E2,Ops,Lyon,Europe/Paris,fr\n"
    "E4,Dan Sales,dan@example.org,E1,Sales,London,Europe/London,en\n"
)


def upload(client: TestClient, headers: dict[str, str], text: str, **params: str):
    return client.post(
        "/people/import",
        headers=headers,
        params=params,
        files={"file": ("org.csv", text.encode(), "text/csv")},
    )


def people(db: Session) -> dict[str, Person]:
    fresh(db)
    return {p.external_id: p for p in db.exec(select(Person))}


def test_import_creates_people_with_managers(client: TestClient, hr: dict, db: Session) -> None:
    response = upload(client, hr, ORG)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["updated"], report["deactivated"]) == (4, 0, 0)
    rows = people(db)
    assert rows["E3"].manager_id == rows["E2"].id
    assert rows["E1"].manager_id is None
    assert rows["E4"].timezone == "Europe/London" and rows["E3"].language == "fr"
    listed = client.get("/people", headers=hr, params={"q": "carol"}).json()
    assert listed["total"] == 1 and listed["items"][0]["manager_external_id"] == "E2"


def test_every_error_is_listed_with_its_line_and_nothing_is_written(
    client: TestClient, hr: dict, db: Session
) -> None:
    bad = HEADER + (
        "E1,Alice,alice@example.org,,Board,Paris,Europe/Paris,fr\n"  # line 2: fine
        "E2,Bob,not-an-email,E1,Ops,Paris,Europe/Paris,en\n"  # 3: email
        "E3,Carol,carol@example.org,E9,Ops,Lyon,Mars/Olympus,fr\n"  # 4: manager, timezone
        "E1,Alice again,alice2@example.org,,Board,Paris,Europe/Paris,fr\n"  # 5: duplicate id
        "E5,,eve@example.org,E1,Ops,Paris,Europe/Paris,en\n"  # 6: name missing
        "E6,Frank,frank@example.org,E6,Ops,Paris,Europe/Paris,en\n"  # 7: self manager
    )
    before = row_counts(db)
    response = upload(client, hr, bad)
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "file"
    found = {(e["line"], e["field"]) for e in body["errors"]}
    assert found == {
        (3, "email"),
        (4, "manager_id"),
        (4, "timezone"),
        (5, "id"),
        (6, "name"),
        (7, "manager_id"),
    }
    assert "6 error(s)" in body["detail"]
    assert row_counts(db) == before


def test_cycles_are_reported_on_each_line(client: TestClient, hr: dict, db: Session) -> None:
    cyclic = HEADER + (
        "E1,A,a@example.org,E3,X,P,UTC,en\n"
        "E2,B,b@example.org,E1,X,P,UTC,en\n"
        "E3,C,c@example.org,E2,X,P,UTC,en\n"
        "E4,D,d@example.org,,X,P,UTC,en\n"
        "E5,E,e@example.org,E6,X,P,UTC,en\n"
        "E6,F,f@example.org,E5,X,P,UTC,en\n"
    )
    response = upload(client, hr, cyclic)
    assert response.status_code == 422
    lines = sorted(e["line"] for e in response.json()["errors"])
    assert lines == [2, 3, 4, 6, 7]  # both cycles, every member
    assert all("cycle" in e["message"] for e in response.json()["errors"])
    assert people(db) == {}


def test_missing_and_unknown_columns(client: TestClient, hr: dict) -> None:
    response = upload(client, hr, "id,name,mail,manager_id\nE1,A,a@example.org,\n")
    assert response.status_code == 422
    messages = " ".join(e["message"] for e in response.json()["errors"])
    assert "email" in messages and "timezone" in messages and "mail" in messages
    assert {e["line"] for e in response.json()["errors"]} == {1}


def test_not_utf8_and_ragged_rows(client: TestClient, hr: dict) -> None:
    response = upload(client, hr, "")
    assert response.status_code == 422
    content = (HEADER + "E1,Zoé,z@example.org,,U,S,UTC,fr\n").encode("latin-1")
    latin = client.post("/people/import", headers=hr, files={"file": ("org.csv", content)})
    assert latin.status_code == 422 and "UTF-8" in latin.json()["errors"][0]["message"]
    ragged = upload(client, hr, HEADER + "E1,A,a@example.org,,U\n")
    assert ragged.status_code == 422 and ragged.json()["errors"][0]["line"] == 2


def test_reimport_updates_in_place_and_reports_the_diff(
    client: TestClient, hr: dict, db: Session
) -> None:
    assert upload(client, hr, ORG).status_code == 200
    ids_before = {k: p.id for k, p in people(db).items()}
    changed = HEADER + (
        "E1,Alice Boss,alice@example.org,,Board,Paris,Europe/Paris,fr\n"
        "E2,Bob Lead,bob@example.org,E1,Ops,Paris,Europe/Paris,en\n"
        "E3,Carol Dev,carol@example.org,E4,Sales,Lyon,Europe/Paris,fr\n"  # moved to Dan
        "E5,Erin New,erin@example.org,E2,Ops,Paris,Europe/Paris,en\n"  # new; E4 missing
    )
    # E4 is Carol's new manager but absent: the file is refused
    assert upload(client, hr, changed).status_code == 422
    changed = changed.replace("E4,Sales", "E1,Sales")
    # Dan leaving is 1 of 4 people, more than COACHMATCH_ORG_MAX_DEACTIVATION_SHARE (20 %)
    assert upload(client, hr, changed).status_code == 409
    report = upload(client, hr, changed, confirm_deactivations="true").json()
    assert (report["created"], report["updated"], report["deactivated"]) == (1, 1, 1)
    assert report["unchanged"] == 2
    by_id = {c["external_id"]: c for c in report["changes"]}
    assert by_id["E3"]["fields"] == {
        "unit": {"old": "Ops", "new": "Sales"},
        "manager_id": {"old": "E2", "new": "E1"},
    }
    assert by_id["E3"]["line"] == 4
    assert by_id["E4"]["change"] == "deactivated"
    rows = people(db)
    assert rows["E3"].id == ids_before["E3"]  # updated in place
    assert rows["E4"].active is False
    # E4 is back: reactivated, not duplicated
    report = upload(client, hr, ORG, confirm_deactivations="true").json()
    assert report["reactivated"] == 1 and report["deactivated"] == 1
    assert people(db)["E4"].id == ids_before["E4"]


def test_dry_run_reports_without_saving(client: TestClient, hr: dict, db: Session) -> None:
    report = upload(client, hr, ORG, dry_run="true").json()
    assert report["dry_run"] is True and report["created"] == 4
    assert people(db) == {}


def test_reimport_flags_engagement_when_coach_enters_reporting_line(
    client: TestClient, hr: dict, db: Session
) -> None:
    assert upload(client, hr, ORG).status_code == 200
    rows = people(db)
    # Dan (E4, Sales) coaches Carol (E3, Ops; sponsor Bob): neutral today.
    coach = add_coach(db, person=rows["E4"])
    request = add_request(db, rows["E3"], sponsor=rows["E2"])
    engagement = add_engagement(db, request, coach, status=EngagementStatus.in_progress)
    other = add_request(db, rows["E2"])
    done = add_engagement(db, other, coach, status=EngagementStatus.completed)
    # Bob (Carol's sponsor and Dan's peer) now reports to Dan.
    moved = ORG.replace("E2,Bob Lead,bob@example.org,E1", "E2,Bob Lead,bob@example.org,E4")
    report = upload(client, hr, moved).json()
    assert [f["engagement_id"] for f in report["flagged"]] == [engagement.id]
    assert "E4" in report["flagged"][0]["reason"] and "coachee E3" in report["flagged"][0]["reason"]
    fresh(db)
    flagged = db.get(Engagement, engagement.id)
    assert flagged.status == EngagementStatus.flagged
    assert flagged.status_before_flag == EngagementStatus.in_progress
    assert flagged.flag_reason == report["flagged"][0]["reason"]
    assert db.get(Engagement, done.id).status == EngagementStatus.completed  # not live
    # Importing again does not flag it twice.
    assert upload(client, hr, moved).json()["flagged"] == []


def test_flagging_in_a_dry_run_is_not_saved(client: TestClient, hr: dict, db: Session) -> None:
    upload(client, hr, ORG)
    rows = people(db)
    coach = add_coach(db, person=rows["E4"])
    engagement = add_engagement(db, add_request(db, rows["E3"]), coach)
    moved = ORG.replace("E3,Carol Dev,carol@example.org,E2", "E3,Carol Dev,carol@example.org,E4")
    report = upload(client, hr, moved, dry_run="1").json()
    assert len(report["flagged"]) == 1
    fresh(db)
    assert db.get(Engagement, engagement.id).status == EngagementStatus.in_progress


def test_reimport_deactivates_the_accounts_of_people_who_left(
    client: TestClient, hr: dict, db: Session, settings: Settings
) -> None:
    assert upload(client, hr, ORG).status_code == 200
    rows = people(db)
    carol = add_user(db, settings, Role.coachee, email="carol@example.org", person=rows["E3"])
    bob = add_user(db, settings, Role.sponsor, email="bob@example.org", person=rows["E2"])
    carol_headers = login(client, carol.email)
    bob_headers = login(client, bob.email)
    without_carol = ORG.replace("E3,Carol Dev,carol@example.org,E2,Ops,Lyon,Europe/Paris,fr\n", "")

    # A dry run reports the change and saves none of it.
    dry = upload(client, hr, without_carol, dry_run="true").json()
    assert (dry["deactivated"], dry["accounts_deactivated"]) == (1, 1)
    assert dry["confirmation_required"] is True  # 1 of 4 people: more than 20 %
    assert client.get("/me", headers=carol_headers).status_code == 200

    report = upload(client, hr, without_carol, confirm_deactivations="true").json()
    assert (report["deactivated"], report["accounts_deactivated"]) == (1, 1)
    # Carol is signed out and cannot sign in again; Bob, still listed, is untouched.
    assert client.get("/me", headers=carol_headers).status_code == 401
    again = client.post("/auth/login", json={"email": carol.email, "password": PASSWORD})
    assert again.status_code == 401
    assert client.get("/me", headers=bob_headers).status_code == 200
    fresh(db)
    assert db.get(User, carol.id).active is False and db.get(User, bob.id).active is True

    # Listed again: the person comes back, the account stays off until HR turns it on.
    back = upload(client, hr, ORG).json()
    assert (back["reactivated"], back["accounts_deactivated"]) == (1, 0)
    fresh(db)
    assert db.get(User, carol.id).active is False
