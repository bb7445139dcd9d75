"""Issue 8, items 1-2: no account HR can create reaches a brief.

The attack: HR opens a second account for someone (a coachee, a sponsor, a coach) at an
address HR controls, accepts the invitation from that mailbox and reads the person's
brief, or cancels their sessions. Here HR tries every role for every person and coach of
a programme with every address it could choose; every account whose mailbox HR controls
is then signed in and walks every page and API endpoint that can be read (every path
parameter filled with every id of the programme). The brief the coachee wrote through
the API never shows, and no such account can change a session.
"""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes
from email.policy import default
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
    fresh,
    login,
)
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.models import CoachingSession, OutboxMessage, User
from api.models.enums import RequestStatus, Role, SessionStatus
from api.settings import Settings

BRIEF = "SENTINEL-brief-words-of-the-coachee"
GOALS = "SENTINEL-objectives-of-the-coachee"
EVIL = "hr-controlled@evil.example"


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route, API and pages alike."""
    found: list[tuple[str, str]] = []

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.extend((m, route.path) for m in route.methods)
            elif hasattr(route, "original_router"):
                walk(route.original_router.routes)

    walk(app.routes)
    return sorted(set(found))


def _fill(path: str, ids: dict[str, list[int]]) -> list[str]:
    """Every way to fill `path`'s parameters with the programme's ids."""
    names = re.findall(r"{(\w+)}", path)
    paths = [path]
    for name in names:
        values = ids.get(name, [1, 2, 3])
        paths = [p.replace("{" + name + "}", str(v)) for p in paths for v in values]
    return paths


@pytest.fixture
def programme(db: Session, settings: Settings, client: TestClient) -> dict[str, Any]:
    boss = add_person(db, "B1", name="Beatrice Boss")
    coachee = add_person(db, "P1", manager=boss, name="Paul Coachee")
    outsider = add_person(db, "O1", name="Oscar Outsider")
    hr_person = add_person(db, "H1", name="Hélène HR", email="helene.hr@example.org")
    coach_person = add_person(db, "K1", name="Karl Coach")
    internal = add_coach(db, person=coach_person)
    external = add_coach(db)
    spare = add_coach(db, person=add_person(db, "K2", name="Kim Spare"))
    matched = add_request(db, coachee, sponsor=boss, status=RequestStatus.matched)
    waiting = add_request(db, coachee, sponsor=boss)  # open: HR may still edit it
    engagement = add_engagement(db, matched, internal)
    session = add_session(db, engagement, number=1, start=START + timedelta(days=5))
    coachee_user = add_user(db, settings, Role.coachee, person=coachee)
    hr_user = add_user(db, settings, Role.hr, email="hr@example.org")

    # The coachee writes the brief themselves, through the API.
    me = login(client, coachee_user.email)
    for request in (matched, waiting):
        written = client.patch(
            f"/me/requests/{request.id}",
            headers=me,
            json={"description": BRIEF, "objectives": GOALS},
        )
        assert written.status_code == 200, written.text
        assert written.json()["description"] == BRIEF
    return {
        "hr": login(client, hr_user.email),
        "people": [boss, coachee, outsider, hr_person, coach_person],
        "coaches": [internal, external, spare],
        "requests": [matched, waiting],
        "hr_person": hr_person,
        "engagement": engagement,
        "session": session,
    }


def _token_sent_to(db: Session, email: str) -> str | None:
    """The invitation token in the mail sent to `email`, read as its recipient would."""
    for row in fresh(db).exec(select(OutboxMessage).where(OutboxMessage.kind == "invitation")):
        if row.recipient.lower() != email.lower():
            continue
        message = message_from_bytes(row.raw_mime, policy=default)
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                found = re.search(r"token=([A-Za-z0-9_-]{20,})", part.get_content())
                if found:
                    return found.group(1)
    return None


def test_no_account_hr_can_create_reaches_a_brief(
    client: TestClient, app: FastAPI, db: Session, programme: dict[str, Any]
) -> None:
    hr = programme["hr"]
    hr_person = programme["hr_person"]
    # Mailboxes HR controls: an outside address, and HR's own (HR is in the org chart).
    controlled = {EVIL, hr_person.email}

    # HR makes itself the sponsor of the open request (an HR partner may sponsor).
    waiting = programme["requests"][1]
    moved = client.patch(f"/requests/{waiting.id}", headers=hr, json={"sponsor_id": hr_person.id})
    assert moved.status_code == 200

    created: list[dict[str, Any]] = []
    for role in ("coachee", "sponsor", "coach", "hr"):
        targets: list[dict[str, Any]] = [{}]
        if role in ("coachee", "sponsor"):
            targets = [{"person_id": p.id} for p in programme["people"]]
        if role == "coach":
            targets = [{"coach_id": c.id} for c in programme["coaches"]]
        for target in targets:
            for email in (EVIL, None, "p1@example.org", hr_person.email):
                body = {"role": role, **target}
                if email is not None:
                    body["email"] = email
                response = client.post("/users/invitations", headers=hr, json=body)
                assert response.status_code < 500, response.text
                if response.status_code == 201:
                    created.append(response.json())
                else:
                    assert response.status_code in (409, 422), response.text
                    assert response.json()["field"] in ("email", "person_id", "coach_id")

    # No account HR opened for someone else has an address HR controls, but for HR's own
    # person: a person is never given an address other than their own.
    for account in created:
        if account["role"] == "hr":
            continue
        if account["email"] in controlled:
            assert account["person_id"] == hr_person.id, account
    # At most one account per person and role.
    pairs = [(a["person_id"], a["role"]) for a in created if a["person_id"] is not None]
    assert len(pairs) == len(set(pairs))
    stored = fresh(db).exec(select(User.person_id, User.role)).all()
    assert len([p for p in stored if p[0] is not None]) == len(
        {p for p in stored if p[0] is not None}
    )

    # Every account whose mailbox HR controls is taken over: accept, sign in, walk.
    taken: list[dict[str, str]] = [hr]
    for account in created:
        if account["email"] not in controlled:
            continue
        token = _token_sent_to(db, account["email"])
        assert token is not None, account
        accepted = client.post(
            "/invitations/accept", json={"token": token, "password": "hr took this over"}
        )
        assert accepted.status_code == 200, accepted.text
        taken.append({"Authorization": f"Bearer {accepted.json()['token']}"})
    assert len(taken) >= 3  # HR, an HR account at the outside address, HR's own sponsor

    ids: dict[str, list[int]] = {
        "request_id": [r.id for r in programme["requests"]],
        "engagement_id": [programme["engagement"].id],
        "session_id": [programme["session"].id],
        "person_id": [p.id for p in programme["people"]],
        "coach_id": [c.id for c in programme["coaches"]],
        "user_id": [1, 2, 3, 4, 5, 6],
    }
    reads = 0
    for headers in taken:
        for method, path in _routes(app):
            if method != "GET" or "{token}" in path:
                continue
            for url in _fill(path, ids):
                client.cookies.clear()
                response = client.get(url, headers=headers)
                assert response.status_code < 500, (url, response.text)
                assert BRIEF not in response.text and GOALS not in response.text, url
                reads += 1
        # ...and the pages, with the cookie the browser would hold.
        client.cookies.set("coachmatch_session", headers["Authorization"].split()[1])
        for method, path in _routes(app):
            if method == "GET" and "{token}" not in path:
                for url in _fill(path, ids):
                    text = client.get(url, follow_redirects=False).text
                    assert BRIEF not in text and GOALS not in text, url
        client.cookies.clear()
        # No account HR holds can cancel or move the coachee's session.
        sid = programme["session"].id
        for action in ("cancel", "reschedule"):
            done = client.post(f"/me/sessions/{sid}/{action}", headers=headers, json={})
            assert done.status_code in (403, 404), (action, done.text)
    assert reads > 100
    assert fresh(db).get(CoachingSession, programme["session"].id).status == SessionStatus.planned


def test_a_second_account_for_a_person_is_refused(
    client: TestClient, db: Session, programme: dict[str, Any]
) -> None:
    hr = programme["hr"]
    coachee = programme["people"][1]
    again = client.post(
        "/users/invitations", headers=hr, json={"role": "coachee", "person_id": coachee.id}
    )
    assert again.status_code == 409 and again.json()["field"] in ("email", "person_id")
    elsewhere = client.post(
        "/users/invitations",
        headers=hr,
        json={"role": "coachee", "person_id": coachee.id, "email": EVIL},
    )
    assert elsewhere.status_code == 422 and elsewhere.json()["field"] == "email"
    # The database holds the rule too, whatever a future code path forgets.
    with pytest.raises(IntegrityError):
        db.add(User(email=EVIL, role=Role.coachee, person_id=coachee.id, created_at=START))
        db.commit()
    db.rollback()


def test_reactivating_an_account_checks_it_is_still_its_persons(
    client: TestClient, db: Session, settings: Settings, programme: dict[str, Any]
) -> None:
    """An account whose address is no longer its person's (a shadow account from before
    the rule, say) cannot be switched back on."""
    hr = programme["hr"]
    outsider = programme["people"][2]
    shadow = add_user(db, settings, Role.sponsor, person=outsider, email=EVIL, active=False)
    refused = client.patch(f"/users/{shadow.id}", headers=hr, json={"active": True})
    assert refused.status_code == 409 and refused.json()["field"] == "email"
    assert fresh(db).get(User, shadow.id).active is False


def _org_csv(people: list[Any], changed: dict[str, str]) -> bytes:
    lines = ["id,name,email,manager_id,timezone"]
    ids = {p.id: p.external_id for p in people}
    for p in people:
        email = changed.get(p.external_id, p.email)
        lines.append(f"{p.external_id},{p.name},{email},{ids.get(p.manager_id, '')},UTC")
    return ("\n".join(lines) + "\n").encode()


def test_changing_an_address_in_the_org_chart_is_told_to_the_previous_one(
    client: TestClient, db: Session, programme: dict[str, Any]
) -> None:
    """The one way left for HR to reach someone's account is to change their address in
    the org chart: the account follows the org chart, and the old address is told."""
    hr = programme["hr"]
    coachee = programme["people"][1]
    outsider = programme["people"][2]  # no account, no request: nothing to protect
    people = programme["people"]
    body = _org_csv(people, {"P1": EVIL, "O1": "oscar.new@example.org"})

    dry = client.post(
        "/people/import?dry_run=true",
        headers=hr,
        files={"file": ("org.csv", body, "text/csv")},
    )
    assert dry.status_code == 200 and dry.json()["previous_addresses_notified"] == 1
    assert (
        fresh(db).exec(select(OutboxMessage).where(OutboxMessage.kind == "email-change")).all()
        == []
    )

    done = client.post("/people/import", headers=hr, files={"file": ("org.csv", body, "text/csv")})
    assert done.status_code == 200, done.text
    assert done.json()["previous_addresses_notified"] == 1
    [notice] = fresh(db).exec(select(OutboxMessage).where(OutboxMessage.kind == "email-change"))
    assert notice.recipient == "p1@example.org"  # the previous address, not HR's new one
    text = message_from_bytes(notice.raw_mime, policy=default).get_body().get_content()
    assert EVIL in text and "p1@example.org" in text
    account = fresh(db).exec(select(User).where(User.person_id == coachee.id)).one()
    assert account.email == EVIL  # the account follows its person's address
    assert (
        not fresh(db)
        .exec(select(OutboxMessage).where(OutboxMessage.recipient == "o1@example.org"))
        .all()
    )
    assert outsider.id


def test_an_address_already_anothers_account_refuses_the_import(
    client: TestClient, db: Session, programme: dict[str, Any]
) -> None:
    hr = programme["hr"]
    people = programme["people"]
    body = _org_csv(people, {"P1": "hr@example.org"})  # the HR account's address
    refused = client.post(
        "/people/import", headers=hr, files={"file": ("org.csv", body, "text/csv")}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "email"
    assert refused.json()["errors"][0]["line"] == 3
    coachee = fresh(db).exec(select(User).where(User.person_id == people[1].id)).one()
    assert coachee.email == "p1@example.org"


def test_a_new_email_for_an_external_coach_moves_the_account_and_tells_the_old_one(
    client: TestClient, db: Session, settings: Settings, programme: dict[str, Any]
) -> None:
    external = programme["coaches"][1]
    old = external.email
    user = add_user(db, settings, Role.coach, coach=external)
    assert user.email == old
    changed = client.patch(f"/coaches/{external.id}", headers=programme["hr"], json={"email": EVIL})
    assert changed.status_code == 200, changed.text
    assert fresh(db).get(User, user.id).email == EVIL
    [notice] = fresh(db).exec(select(OutboxMessage).where(OutboxMessage.kind == "email-change"))
    assert notice.recipient == old
    taken = client.patch(
        f"/coaches/{external.id}", headers=programme["hr"], json={"email": "hr@example.org"}
    )
    assert taken.status_code == 409 and taken.json()["field"] == "email"
