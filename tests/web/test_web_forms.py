"""Forms through the real app (TestClient): what they write, the errors they show next to
the fields, in the reader's language, and what HR pages never show."""

from __future__ import annotations

from typing import Any

from api_support import ICS, add_person, build_world, fresh, row_counts
from fastapi.testclient import TestClient
from lifecycle_support import add_lifecycle
from sqlmodel import Session, select
from test_web_access import HR, PAGES
from web_support import as_user, bearer_token

from api.models import BusyCalendar, Coach, CoachingRequest, User
from api.models.enums import CoachKind
from api.settings import Settings
from api.web.viewer import LANG_COOKIE


def _error(html: str, field: str) -> str:
    """The error paragraph shown under `field`."""
    marker = f'id="{field}-error">'
    assert marker in html, f"no error shown for {field}"
    return html.split(marker, 1)[1].split("</p>", 1)[0]


def test_hr_pages_never_show_a_brief(client: TestClient, db: Session, settings: Settings) -> None:
    world = build_world(db, settings, client)  # request R1's description is SENTINEL-R1
    add_lifecycle(world, db)  # its engagement's contract has SENTINEL-OBJECTIVE-world
    as_user(client, bearer_token(world["headers"][HR]))
    pages = [
        path for (method, path), spec in PAGES.items() if method == "GET" and spec.roles == {HR}
    ]
    assert len(pages) >= 8
    for template in pages:
        path = template.format(
            coach_id=world["coach"],
            round_id=world["round"],
            request_id=world["request"],
            engagement_id=world["engagement"],
            person_id=world["person"],
        )
        html = client.get(path).text
        assert "SENTINEL-R1" not in html, path
        assert "SENTINEL-OBJECTIVE" not in html, path
    # the coachee reads their own brief
    as_user(client, bearer_token(world["headers"]["coachee"]))
    assert "SENTINEL-R1" in client.get(f"/my/requests/{world['request']}").text
    engagement = client.get(f"/my/engagements/{world['engagement']}").text
    assert "SENTINEL-OBJECTIVE-world" in engagement


def test_coach_forms_write_and_refuse_by_field(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    csrf = as_user(client, bearer_token(world["headers"][HR]))
    client.cookies.set(LANG_COOKIE, "fr")
    before = row_counts(db)
    bad = client.post(
        "/hr/coaches/new",
        data={
            "csrf": csrf,
            "kind": "internal",
            "person_id": "B1",
            "languages": "français",
            "modalities": "remote",
        },
    )
    assert bad.status_code == 422
    assert "n’est pas un code de langue" in _error(bad.text, "languages")
    assert 'value="B1"' in bad.text  # the input is kept
    assert row_counts(db) == before
    ok = client.post(
        "/hr/coaches/new",
        data={
            "csrf": csrf,
            "kind": "external",
            "name": "Jeanne Externe",
            "email": "jeanne@cabinet.example",
            "vendor": "Cabinet A",
            "rate": "250,50",
            "currency": "eur",
            "languages": "fr, en",
            "modalities": "remote",
            "coaching_types": ["coaching", "mediation"],
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    coach = fresh(db).exec(select(Coach).where(Coach.name == "Jeanne Externe")).one()
    assert (coach.kind, coach.rate_per_session_cents, coach.currency) == (
        CoachKind.EXTERNAL,
        25050,
        "EUR",
    )
    assert coach.coaching_types == ["coaching", "mediation"]
    page = client.get(ok.headers["location"])
    assert "Coach enregistré." in page.text and 'value="250.50"' in page.text
    rate = client.post(
        f"/hr/coaches/{coach.id}",
        data={
            "csrf": csrf,
            "name": "Jeanne Externe",
            "email": "jeanne@cabinet.example",
            "vendor": "Cabinet A",
            "rate": "beaucoup",
            "languages": "fr",
            "modalities": "remote",
        },
    )
    assert rate.status_code == 422 and _error(rate.text, "rate") == "Saisissez un nombre."


def test_invitation_link_opens_the_account(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    token = world["invitation_tokens"][0]
    csrf = as_user(client, None)
    page = client.get("/accept-invitation", params={"token": token})
    assert page.status_code == 200 and f'value="{token}"' in page.text
    assert page.headers["referrer-policy"] == "no-referrer"  # the token stays here
    differ = client.post(
        "/accept-invitation",
        data={
            "csrf": csrf,
            "token": token,
            "password": "a long password",
            "password_again": "another long one",
        },
    )
    assert differ.status_code == 422
    assert _error(differ.text, "password_again") == "The two passwords differ."
    short = client.post(
        "/accept-invitation",
        data={"csrf": csrf, "token": token, "password": "short", "password_again": "short"},
    )
    assert _error(short.text, "password") == "Use at least 10 characters."
    done = client.post(
        "/accept-invitation",
        data={
            "csrf": csrf,
            "token": token,
            "password": "a long password",
            "password_again": "a long password",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/my"  # the coachee's home
    assert client.cookies.get("coachmatch_session")
    user = fresh(db).exec(select(User).where(User.email == "n0@example.org")).one()
    assert user.active
    again = client.post(
        "/accept-invitation",
        data={
            "csrf": csrf,
            "token": token,
            "password": "a long password",
            "password_again": "a long password",
        },
    )
    assert "invalid, already used or expired" in again.text


def test_hr_invites_a_coachee_by_org_id(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    olga = add_person(db, "Q1", name="Olga Newhire")
    csrf = as_user(client, bearer_token(world["headers"][HR]))
    unknown = client.post(
        "/hr/accounts",
        data={"csrf": csrf, "email": "olga@example.org", "role": "coachee", "person_id": "P9"},
    )
    assert unknown.status_code == 422
    assert _error(unknown.text, "person_id") == "No one has the org-chart id “P9”."
    elsewhere = client.post(
        "/hr/accounts",
        data={"csrf": csrf, "email": "olga@hr.example", "role": "sponsor", "person_id": "Q1"},
    )
    assert elsewhere.status_code == 422  # never another address than the person's own
    assert "own email address" in _error(elsewhere.text, "email")
    done = client.post(
        "/hr/accounts",
        data={"csrf": csrf, "role": "sponsor", "person_id": "Q1", "language": "fr"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    user = fresh(db).exec(select(User).where(User.email == "q1@example.org")).one()
    assert (user.person_id, user.language, user.active) == (olga.id, "fr", False)


def test_unknown_rows_and_bad_filters_are_pages_not_json(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world: dict[str, Any] = build_world(db, settings, client)
    as_user(client, bearer_token(world["headers"][HR]))
    missing = client.get("/hr/coaches/999999")
    assert missing.status_code == 404 and "<h1>Page not found</h1>" in missing.text
    assert client.get("/hr/requests", params={"status": "nonsense"}).status_code == 200
    bad_page = client.get("/hr/people", params={"page": "x"})  # said above the list's form
    assert bad_page.status_code == 422 and 'id="list-errors"' in bad_page.text


def test_a_refused_form_page_switches_language_back_to_a_page(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    csrf = as_user(client, bearer_token(world["headers"]["coach"]))
    refused = client.post(
        "/coach/availability/weekly",
        data={"csrf": csrf, "weekday": "9", "start_time": "09:00", "end_time": "12:00"},
    )
    assert refused.status_code == 422
    assert _error(refused.text, "weekday") == "Enter a value of at most 6."
    assert 'name="next" value="/coach/availability"' in refused.text
    switched = client.post(
        "/language", data={"csrf": csrf, "lang": "fr", "next": "/coach/availability"}
    )
    assert switched.status_code == 200 and "<h1>Mes disponibilités</h1>" in switched.text


def test_a_coachee_s_brief_too_long_is_refused_next_to_it(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    request_id = world["request_open"]
    csrf = as_user(client, bearer_token(world["headers"]["coachee"]))
    before = fresh(db).get_one(CoachingRequest, request_id).description
    url = f"/my/requests/{request_id}"
    long = client.post(url, data={"csrf": csrf, "description": "x" * 1001, "objectives": "grow"})
    assert long.status_code == 422
    assert (
        _error(long.text, "description") == "This text is 1001 characters long; the limit is 1000."
    )
    assert fresh(db).get_one(CoachingRequest, request_id).description == before
    done = client.post(
        url, data={"csrf": csrf, "description": "  my words  ", "objectives": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == url
    stored = fresh(db).get_one(CoachingRequest, request_id)
    assert (stored.description, stored.objectives) == ("my words", "")


def test_a_calendar_upload_without_a_file_is_refused_next_to_it(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """No file part, a text value in its place, or no file chosen: "Choose a file." by the
    field, nothing stored; a calendar file is taken."""
    world = build_world(db, settings, client)
    csrf = as_user(client, bearer_token(world["headers"]["coach"]))
    url = "/coach/availability/ics"
    before = row_counts(db)
    for files in ({}, {"file": ("", b"", "application/octet-stream")}):
        refused = client.post(url, data={"csrf": csrf}, files=files)
        assert refused.status_code == 422
        assert _error(refused.text, "file") == "Choose a file."
    text = client.post(url, data={"csrf": csrf, "file": "busy.ics"})
    assert text.status_code == 422 and _error(text.text, "file") == "Choose a file."
    assert row_counts(db) == before
    taken = client.post(
        url, data={"csrf": csrf}, files={"file": ("busy.ics", ICS.encode(), "text/calendar")},
        follow_redirects=False,
    )  # fmt: skip
    assert taken.status_code == 303
    assert fresh(db).exec(select(BusyCalendar)).all() != []
