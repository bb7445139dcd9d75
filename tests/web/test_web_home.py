"""Each role's home page in Chromium: the coach lands on their week, the coachee and the
sponsor on their next steps, HR on the dashboard; the sponsor's sessions page shows only the
first session of each engagement (the one they attend). No brief and no objective on any of
them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from api_support import START, add_request, add_user, fresh
from engaged_support import engage, sessions_of
from fastapi.testclient import TestClient
from lifecycle_support import contract_body
from rounds_support import SENTINEL as BRIEF
from sqlmodel import Session
from web_support import Browser, as_user, bearer_token

from api.clock import FixedClock
from api.models import (
    Coach,
    CoachEvaluationTally,
    Engagement,
    EvaluationInvitation,
    MatchingRound,
    Proposal,
)
from api.models.enums import EngagementStatus, RequestStatus, Role, RoundKind, RoundStatus
from api.settings import Settings
from matcher.problem import Modality

OBJECTIVE = "SENTINEL-OBJECTIVE-home-9b2e"
ROOM = "https://meet.example.org/karl-room"
COACH, COACHEE, SPONSOR, HR = (
    "karl@example.org",
    "paul@example.org",
    "sacha@example.org",
    "hr@example.org",
)


@pytest.fixture
def world(client: TestClient, db: Session, settings: Settings) -> dict[str, Any]:
    """Paul's remote engagement with Karl (sessions planned; Karl's own room), his brief
    and draft objectives confidential; Sacha, his sponsor, with an account (HR has one)."""
    w = engage(client, db, settings, modality=Modality.REMOTE, objectives=OBJECTIVE)
    coach = db.get(Coach, w["karl"].id)
    assert coach is not None
    coach.room_url = ROOM
    db.add(coach)
    db.commit()
    add_user(db, settings, Role.sponsor, email=SPONSOR, person=w["people"]["sales"])
    return w


def _awaiting(db: Session, w: dict[str, Any], *roles: str) -> None:
    """Paul's second request, proposed with Xavier then Karl by a committed round (its
    brief the sentinel); evaluation invitations on the engagement for `roles` (an
    invitation carries the contract's objectives: the evaluation page shows them)."""
    round_ = MatchingRound(
        status=RoundStatus.done,
        kind=RoundKind.commit,
        created_at=START,
        committed_at=START,
        parameters={},
        base_version=0,
    )
    second = add_request(
        db, w["people"]["paul"], sponsor=w["people"]["sales"], description=BRIEF,
        status=RequestStatus.proposed,
    )  # fmt: skip
    db.add(round_)
    db.commit()
    for rank, coach in enumerate((w["xavier"], w["karl"]), start=1):
        db.add(Proposal(round_id=round_.id, request_id=second.id, coach_id=coach.id, rank=rank))
    for role, person in (("coachee", "paul"), ("sponsor", "sales")):
        if role in roles:
            db.add(
                EvaluationInvitation(
                    engagement_id=w["engagement"],
                    person_id=w["people"][person].id,
                    role=role,
                    objectives=1,
                    created_at=START,
                    expires_at=START + timedelta(days=365),
                )
            )
    db.commit()


def _confidential_absent(site: Browser) -> None:
    content = site.page.content()
    assert BRIEF not in content, site.page.url
    assert OBJECTIVE not in content, site.page.url


def test_each_role_lands_on_its_home(
    page: Any,
    live_server: str,
    world: dict[str, Any],
    client: TestClient,
    db: Session,
    clock: FixedClock,
) -> None:
    e = world["engagement"]
    planned = sessions_of(db, e)
    assert len(planned) >= 2
    # A day before the first session: the first is in the coach's week, the ones after
    # it (14 days apart) are not.
    clock.set(planned[0].start_at - timedelta(days=1))
    site = Browser(page, live_server)

    site.sign_in(COACH)
    assert page.url == live_server + "/coach"
    assert site.heading() == "My week"
    week = page.locator("#home-session-list li")
    assert week.count() == 1
    assert "Paul Coachee" in week.first.inner_text()
    assert "Session 1" in week.first.inner_text()
    assert page.locator(f"#home-session-list a[href='{ROOM}']").count() == 1
    awaiting = page.locator("#home-awaiting-list li")
    assert awaiting.all_inner_texts() == ["A contract to write · Paul Coachee"]
    assert page.locator(f"#home-awaiting-list a[href='/my/engagements/{e}']").count() == 1
    assert "Contract to agree (1)" in site.text()
    assert "nothing is shown yet" in page.locator("#home-evaluations").inner_text()
    _confidential_absent(site)
    site.sign_out()

    # The coach writes the contract (the objectives are the sentinel): the coachee and
    # the sponsor are to acknowledge it.
    response = client.put(
        f"/me/engagements/{e}/contract", json=contract_body(OBJECTIVE), headers=world["karl_h"]
    )
    assert response.status_code == 200, response.text
    planned = [s for s in sessions_of(fresh(db), e) if s.status.value == "planned"]
    _awaiting(db, world, "coachee")

    site.sign_in(COACHEE)
    assert page.url == live_server + "/my"
    assert site.heading() == "My next steps"
    assert page.locator("#home-awaiting-list li").all_inner_texts() == [
        "A choice of coach to make (1 request)",
        "A contract to acknowledge · With Karl Coach",
        "1 evaluation to give",
    ]
    for href in ("/my/proposals", f"/my/engagements/{e}", "/my/evaluations"):
        assert page.locator(f"#home-awaiting-list a[href='{href}']").count() == 1, href
    sessions = page.locator("#home-session-list li")
    assert sessions.count() == min(5, len(planned))
    assert "Karl Coach" in sessions.first.inner_text()
    assert page.locator(f"#home-session-list a[href='{ROOM}']").count() == sessions.count()
    _confidential_absent(site)
    # The control: the evaluation's own page shows the objective, the request's the brief.
    site.open("/my/evaluations")
    assert OBJECTIVE in page.content()
    site.open("/my/requests")
    page.locator("a[href^='/my/requests/']").last.click()
    assert BRIEF in page.content()
    site.sign_out()

    site.sign_in(SPONSOR)
    assert page.url == live_server + "/my"
    assert site.heading() == "My next steps"
    assert page.locator("#home-awaiting-list li").all_inner_texts() == [
        "A contract to acknowledge · With Karl Coach"
    ]
    # The sponsor attends the first session only (the tripartite one), with its join
    # link: never when the coachee meets the coach after it.
    sessions = page.locator("#home-session-list li")
    assert sessions.count() == 1 and "Session 1" in sessions.first.inner_text()
    assert page.locator(f"#home-session-list a[href='{ROOM}']").count() == 1
    _confidential_absent(site)
    page.click("nav >> text=Sessions")
    assert site.heading() == "Upcoming sessions"
    rows = page.locator("ul.rows li")
    assert len(planned) > 1 and rows.count() == 1
    assert "Planned" in rows.first.inner_text()
    assert page.locator("form[action$='/cancel']").count() == 0  # nothing to change
    for later in planned[1:]:
        assert f"Session {later.number}" not in site.text()
    _confidential_absent(site)
    site.sign_out()

    site.sign_in(HR)
    assert page.url == live_server + "/hr"
    _confidential_absent(site)
    for path in ("/coach", "/my"):
        assert site.open(path).status == 403, path
    assert fresh(db).get(Coach, world["karl"].id) is not None


def test_the_home_pages_in_french(
    page: Any,
    live_server: str,
    world: dict[str, Any],
    client: TestClient,
    db: Session,
    clock: FixedClock,
) -> None:
    e = world["engagement"]
    planned = sessions_of(db, e)
    clock.set(planned[0].start_at - timedelta(days=1))
    response = client.put(
        f"/me/engagements/{e}/contract", json=contract_body(OBJECTIVE), headers=world["karl_h"]
    )
    assert response.status_code == 200, response.text
    _awaiting(db, world, "sponsor")
    site = Browser(page, live_server)
    site.open("/signin")
    page.locator("form[action='/language'] button[value=fr]").click()
    page.wait_for_load_state()

    site.sign_in(COACH)
    assert site.heading() == "Ma semaine"
    assert "Séance 1" in page.locator("#home-session-list li").first.inner_text()
    assert "Rien ne vous attend pour l’instant." in site.text()  # the coach wrote it
    _confidential_absent(site)
    site.sign_out()

    site.sign_in(SPONSOR)
    assert site.heading() == "Mes prochaines étapes"
    # No choice of coach for the sponsor: the coachee chooses.
    assert page.locator("#home-awaiting-list li").all_inner_texts() == [
        "Un contrat à valider · Avec Karl Coach",
        "1 évaluation à donner",
    ]
    _confidential_absent(site)


@pytest.mark.parametrize(
    ("state", "awaits"),
    [
        (EngagementStatus.proposed, "A contract to write"),
        (EngagementStatus.midway_review, "A mid-way review to hold"),
        (EngagementStatus.closing, "A final review to hold"),
    ],
)
def test_what_awaits_the_coach_follows_the_engagement_state(
    client: TestClient,
    world: dict[str, Any],
    db: Session,
    state: EngagementStatus,
    awaits: str,
) -> None:
    if state != EngagementStatus.proposed:
        response = client.put(
            f"/me/engagements/{world['engagement']}/contract",
            json=contract_body(OBJECTIVE),
            headers=world["karl_h"],
        )
        assert response.status_code == 200, response.text
    row = db.get(Engagement, world["engagement"])
    assert row is not None
    row.status = state
    db.add(row)
    db.commit()
    as_user(client, bearer_token(world["karl_h"]))
    home = client.get("/coach")
    assert home.status_code == 200
    row_of = r'<li><a href="/my/engagements/\d+">([^<]+)</a> · Paul Coachee</li>'
    listed = re.findall(row_of, home.text)
    assert listed == [awaits]
    assert OBJECTIVE not in home.text and BRIEF not in home.text


def test_the_coach_home_gives_the_released_evaluations_count(
    client: TestClient, world: dict[str, Any], db: Session, settings: Settings
) -> None:
    k = settings.evaluation_k
    db.add(CoachEvaluationTally(coach_id=world["karl"].id, released_count=k, pending_count=1))
    db.commit()
    as_user(client, bearer_token(world["karl_h"]))
    home = client.get("/coach")
    assert f"{k} answers released" in home.text
    client.cookies.set("coachmatch_lang", "fr")  # the language switch's cookie
    assert f"{k} réponses publiées" in client.get("/coach").text
