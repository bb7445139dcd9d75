"""The pages in a real browser (headless Chromium) against the real app over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import ICS, PASSWORD, add_coach, add_person, add_request, add_user, fresh
from rounds_support import build_programme, fast
from sqlmodel import Session, select
from web_support import Browser

from api.models import CoachingRequest, MatchingRound, Proposal, WeeklyWindow
from api.models.enums import Role
from api.settings import Settings

SENTINEL = "SENTINEL-CONFIDENTIAL-7f3a"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The API tests' settings with small solver limits (rounds run in seconds)."""
    return fast(settings)


def test_sign_in_and_out(page: Any, live_server: str, db: Session, settings: Settings) -> None:
    add_user(db, settings, Role.hr, email="hr@example.org")
    site = Browser(page, live_server)
    site.open("/hr/requests")
    assert site.heading() == "Sign in"
    site.page.locator("#email").fill("hr@example.org")
    site.page.locator("#password").fill("not the password")
    site.page.locator("form.card button[type=submit]").click()
    assert "Wrong email or password." in site.text()
    assert site.page.locator("#email").input_value() == "hr@example.org"
    site.page.locator("#password").fill(PASSWORD)
    site.page.locator("form.card button[type=submit]").click()
    assert site.heading() == "Coaching requests"  # back where the visitor was going
    site.sign_out()
    assert site.heading() == "Sign in"
    assert "You are signed out." in site.text()
    site.open("/hr")
    assert site.heading() == "Sign in"


def test_forged_posts_write_nothing(
    page: Any, live_server: str, db: Session, settings: Settings
) -> None:
    add_user(db, settings, Role.hr, email="hr@example.org")
    add_person(db, "P1")
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    # Another site's auto-submitted form: the session cookie (SameSite=Lax) is not sent.
    page.set_content(
        f'<form method="post" action="{live_server}/hr/requests/new">'
        '<input name="coachee_id" value="P1"><input name="language" value="en">'
        '<button id="go">go</button></form>'
    )
    page.click("#go")
    page.wait_for_load_state()
    # The same browser, cookies and all, without the form's token.
    forged = page.request.post(
        live_server + "/hr/requests/new", form={"coachee_id": "P1", "language": "en"}
    )
    assert forged.status == 403
    assert "did not come from this site" in forged.text()
    wrong = page.request.post(
        live_server + "/hr/requests/new",
        form={"coachee_id": "P1", "language": "en", "csrf": "guessed"},
    )
    assert wrong.status == 403
    assert fresh(db).exec(select(CoachingRequest)).all() == []


ORG_BAD = (
    "id,name,email,manager_id,timezone\n"
    "B1,Boss,boss@example.org,,Europe/Paris\n"
    "P1,Paul,not-an-email,B9,Europe/Paris\n"
)
ORG = (
    "id,name,email,manager_id,timezone,language\n"
    "B1,Béatrice Boss,boss@example.org,,Europe/Paris,fr\n"
    "P1,Paul Coachee,paul@example.org,B1,Europe/Paris,fr\n"
)


def test_hr_imports_the_org_and_submits_a_request(
    page: Any, live_server: str, db: Session, settings: Settings
) -> None:
    add_user(db, settings, Role.hr, email="hr@example.org")
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    site.open("/hr/people")
    page.set_input_files(
        "#file", files=[{"name": "org.csv", "mimeType": "text/csv", "buffer": ORG_BAD.encode()}]
    )
    page.click("form[action='/hr/people/import'] button[type=submit]")
    errors = page.locator("table.errors")
    assert "2 errors in the file" in errors.inner_text()
    rows = errors.locator("tbody tr").all_inner_texts()
    assert any(r.startswith("3\temail") for r in rows), rows
    assert any(r.startswith("3\tmanager_id") and "B9" in r for r in rows), rows
    page.set_input_files(
        "#file", files=[{"name": "org.csv", "mimeType": "text/csv", "buffer": ORG.encode()}]
    )
    page.click("form[action='/hr/people/import'] button[type=submit]")
    assert "2 created" in site.text()
    page.fill("#q", "paul")
    page.click("form.filters button")
    assert "Paul Coachee" in page.locator("table").inner_text()
    # Béatrice's own row is filtered out (her name stays as Paul's manager)
    assert "boss@example.org" not in page.locator("table").inner_text()

    site.open("/hr/requests/new")
    page.fill("#coachee_id", "P1")
    page.fill("#sponsor_id", "NOBODY")
    page.fill("#themes", "leadership, prise de poste")
    page.fill("#description", SENTINEL)
    page.click("form.card button[type=submit]")
    # refused next to the field; the brief is not shown back, even now
    assert "No one has the org-chart id “NOBODY”." in page.locator(".field.invalid").inner_text()
    assert SENTINEL not in page.content()
    assert page.locator("#description").input_value() == ""
    page.fill("#sponsor_id", "B1")
    page.fill("#description", SENTINEL)
    page.click("form.card button[type=submit]")
    assert site.heading() == "Coaching requests"
    assert "Request submitted." in site.text()
    table = page.locator("table").inner_text()
    assert "Paul Coachee" in table and "leadership, prise de poste" in table
    for path in ("/hr/requests", "/hr", "/hr/engagements", "/hr/requests?status=open"):
        site.open(path)
        assert SENTINEL not in page.content(), path
    stored = fresh(db).exec(select(CoachingRequest)).one()
    assert stored.description == SENTINEL


def test_coach_publishes_a_weekly_window_and_a_calendar(
    page: Any, live_server: str, db: Session, settings: Settings
) -> None:
    coach = add_coach(db, person=add_person(db, "K1", name="Karl Coach"))
    add_user(db, settings, Role.coach, email="coach@example.org", coach=coach)
    site = Browser(page, live_server)
    site.sign_in("coach@example.org")
    assert site.heading() == "My week"  # the coach's home; the form is one click away
    assert "No session in the next 7 days." in site.text()
    page.click("nav >> text=My availability")
    assert site.heading() == "My availability"
    assert "Europe/Paris" in site.text()
    page.select_option("#weekday", "2")
    page.fill("#weekly-start", "17:00")
    page.fill("#weekly-end", "14:00")
    page.click("form[action='/coach/availability/weekly'] button[type=submit]")
    assert "The end must be after the start." in page.locator(".field.invalid").inner_text()
    page.fill("#weekly-start", "14:00")
    page.fill("#weekly-end", "17:30")
    page.click("form[action='/coach/availability/weekly'] button[type=submit]")
    assert "Window added." in site.text()
    assert "Wednesday 14:00–17:30" in site.text()
    window = fresh(db).exec(select(WeeklyWindow)).one()
    assert (window.weekday, window.timezone) == (2, "Europe/Paris")

    page.set_input_files(
        "#ics-file",
        files=[{"name": "work.ics", "mimeType": "text/calendar", "buffer": ICS.encode()}],
    )
    page.click("form[action='/coach/availability/ics'] button[type=submit]")
    assert "Calendar uploaded" in site.text()
    assert "work.ics" in site.text()
    too_big = b"BEGIN:VCALENDAR\r\n" + b"X" * settings.ics_max_bytes
    page.set_input_files(
        "#ics-file",
        files=[{"name": "huge.ics", "mimeType": "text/calendar", "buffer": too_big}],
    )
    page.click("form[action='/coach/availability/ics'] button[type=submit]")
    assert (
        "The calendar file is larger than 1000000 bytes."
        in page.locator(".field.invalid").inner_text()
    )
    assert "work.ics" in site.text()  # the previous calendar stays


def test_language_follows_the_person_and_the_switch(
    page: Any, live_server: str, db: Session, settings: Settings
) -> None:
    boss = add_person(db, "B1", name="Béatrice Boss", language="fr")
    paul = add_person(db, "P1", manager=boss, name="Paul Coachee", language="fr")
    add_request(db, paul, sponsor=boss, description=SENTINEL)
    add_user(db, settings, Role.coachee, email="paul@example.org", person=paul)
    site = Browser(page, live_server)
    site.open("/signin")
    assert site.heading() == "Sign in"  # the browser asks for English
    page.click("button[name=lang][value=fr]")
    assert site.heading() == "Connexion"
    page.fill("#email", "paul@example.org")
    page.fill("#password", "pas le bon mot de passe")
    page.click("form.card button[type=submit]")
    assert "Adresse e-mail ou mot de passe incorrect." in site.text()
    site.sign_in("paul@example.org")
    assert site.heading() == "Mes prochaines étapes"  # the coachee's home
    page.click("nav >> text=Mes demandes")
    assert site.heading() == "Mes demandes"
    assert "Coaching pour Paul Coachee" in site.text()
    assert "Ouverte · déposée le 2\u00a0mars\u00a02026" in site.text()
    page.click("text=Coaching pour Paul Coachee")
    assert page.locator("#description").input_value() == SENTINEL  # the coachee's own brief
    page.fill("#objectives", "Prendre sa place de manager")
    page.click("form[action^='/my/requests/'] button[type=submit]")
    assert "Cahier des charges enregistré." in site.text()
    assert fresh(db).exec(select(CoachingRequest)).one().objectives == (
        "Prendre sa place de manager"
    )
    page.click("button[name=lang][value=en]")
    assert site.heading() == "Coaching for Paul Coachee"


def test_a_coachee_cannot_open_hr_pages(
    page: Any, live_server: str, db: Session, settings: Settings
) -> None:
    paul = add_person(db, "P1", name="Paul Coachee")
    add_user(db, settings, Role.coachee, email="paul@example.org", person=paul)
    site = Browser(page, live_server)
    site.sign_in("paul@example.org")
    for path in ("/hr", "/hr/requests", "/hr/people", "/coach/availability"):
        response = site.open(path)
        assert response.status == 403, path
        assert site.heading() == "You do not have access to this page"
    assert "Requests" not in page.locator("nav").inner_text()


def test_a_round_is_previewed_committed_and_its_proposals_decided(
    page: Any, live_server: str, db: Session, settings: Settings, client: Any
) -> None:
    programme = build_programme(db, settings, client)
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    page.click("nav >> text=Matching")
    assert site.heading() == "Matching"
    page.fill("#proposals", "2")
    page.click("button[value=preview]")
    round_id = fresh(db).exec(select(MatchingRound)).one().id
    assert site.heading() == f"Preview {round_id}"
    # The round runs as a job: the page follows it and shows the result when done.
    page.wait_for_selector("section[data-status=done]", timeout=60_000)
    review = page.locator("section#review table")
    for summary in review.locator("details summary").all():
        summary.click()  # the score breakdowns, folded by default
    matches = review.inner_text()
    assert "Paul Coachee" in matches and "Olga Other" in matches
    assert "internal coach" in matches  # the score breakdown, in words
    assert fresh(db).exec(select(Proposal)).all() == []  # a preview stores no proposal
    page.click("button:has-text('Commit this round as shown')")
    assert "Round committed: the proposals are out." in site.text()
    assert site.heading() == f"Round {round_id}"
    assert SENTINEL not in page.content()
    paul_request = programme["requests"]["paul"].id
    row = page.locator(f"tr#request-{paul_request}")
    row.locator("button", has_text="Confirm").first.click()
    assert "Match confirmed." in site.text()
    site.open("/hr/engagements")
    assert "Paul Coachee" in page.locator("table").inner_text()
    site.sign_out()

    site.sign_in("olga@example.org")  # French: Olga's org-chart language
    page.click("nav >> text=Coachs proposés")
    assert site.heading() == "Les coachs qui me sont proposés"
    page.locator("form[action$='/choose'] button").first.click()
    assert "Merci\u00a0: votre choix est enregistré." in site.text()
    assert site.heading() == "Séances à venir"
    assert "Séance 1" in site.text()


def test_a_coachee_asks_for_coaching_for_themselves(
    page: Any, live_server: str, db: Session, settings: Settings
) -> None:
    boss = add_person(db, "B1", name="Béatrice Boss")
    paul = add_person(db, "P1", manager=boss, name="Paul Coachee")
    add_user(db, settings, Role.coachee, email="paul@example.org", person=paul)
    site = Browser(page, live_server)
    site.sign_in("paul@example.org")
    site.open("/my/requests")
    page.click("a[href='/my/requests/new']")
    assert site.heading() == "Ask for coaching"
    assert page.locator("#sponsor_id").input_value() == "B1"  # the manager by default
    page.fill("#themes", "confiance, prise de parole")
    page.fill("#sessions", "0")
    page.fill("#description", SENTINEL)
    page.click("form.card button[type=submit]")
    assert "Enter a value of at least 1." in page.locator(".field.invalid").inner_text()
    assert page.locator("#description").input_value() == SENTINEL  # their own words, kept
    page.fill("#sessions", "5")
    page.select_option("#modality", "remote")
    page.click("form.card button[type=submit]")
    assert "Request submitted." in site.text()
    # the brief, on the coachee's own request page, where they may edit it
    assert page.locator("#description").input_value() == SENTINEL
    stored = fresh(db).exec(select(CoachingRequest)).one()
    assert (stored.coachee_id, stored.sponsor_id, stored.sessions) == (paul.id, boss.id, 5)
    assert stored.themes == ["confiance", "prise de parole"]
