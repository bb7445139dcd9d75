"""The chemistry call on the coachee's choice page (issue 14 item 4): each proposal card
offers the next free starts in a small form, then shows the booked call with a cancel
button; a refusal is shown in the card with the next valid starts, never a 500; setting 0
hides it all. A French coachee books one in Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest
from api_support import fresh
from fastapi.testclient import TestClient
from profiles_support import build_profiles
from rounds_support import SENTINEL, fast
from sqlmodel import Session, select
from web_support import Browser, as_user, bearer_token

from api.models import OutboxMessage
from api.models.chemistry import CallState, ChemistryCall
from api.settings import Settings


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    return fast(settings, chemistry_call_minutes=getattr(request, "param", 20))


def _proposals(client: TestClient, headers: dict[str, str]) -> dict[int, int]:
    response = client.get("/me/proposals", headers=headers)
    return {o["coach_id"]: o["id"] for o in response.json()}


def _options(html: str, proposal: int) -> list[str]:
    select_html = html.split(f'id="slot-{proposal}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]+)"', select_html)


def test_a_card_books_shows_and_cancels_the_call_and_refuses_in_place(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_profiles(db, settings, client)
    karl = w["karl"].id
    paul, olga = _proposals(client, w["paul_h"]), _proposals(client, w["olga_h"])
    csrf = as_user(client, bearer_token(w["paul_h"]))
    html = client.get("/my/proposals").text
    assert html.count("Book a 20-minute chemistry call") == 2
    starts = _options(html, paul[karl])
    assert len(starts) == 6
    booked = client.post(
        f"/my/proposals/{paul[karl]}/chemistry-call",
        data={"csrf": csrf, "start_at": starts[0]},
        follow_redirects=False,
    )
    assert booked.status_code == 303, booked.text
    assert booked.headers["location"] == f"/my/proposals#offer-{paul[karl]}"
    html = client.get("/my/proposals").text
    assert "Chemistry call booked:" in html and "Your chemistry call is booked" in html
    assert f'action="/my/proposals/{paul[karl]}/chemistry-call/cancel"' in html
    assert f'id="slot-{paul[karl]}"' not in html  # booked: no second form for this coach
    assert SENTINEL not in html
    # a start that is no longer a time: refused in the card, the form shown again
    junk = client.post(
        f"/my/proposals/{paul[w['xavier'].id]}/chemistry-call",
        data={"csrf": csrf, "start_at": "lundi"},
    )
    assert junk.status_code == 422 and "Choose a time from the list." in junk.text
    assert f'aria-describedby="chemistry-{paul[w["xavier"].id]}-error"' in junk.text

    # Olga (French) tries the same time with the same coach: the card says why, in French,
    # with the next free starts to choose from
    csrf = as_user(client, bearer_token(w["olga_h"]))
    assert starts[0] not in _options(client.get("/my/proposals").text, olga[karl])
    clash = client.post(
        f"/my/proposals/{olga[karl]}/chemistry-call", data={"csrf": csrf, "start_at": starts[0]}
    )
    assert clash.status_code == 409, clash.text
    assert "Ce créneau n’est pas libre, pour le coach ou pour vous." in clash.text
    assert "Prochains créneaux libres\u00a0:" in clash.text
    offered = _options(clash.text, olga[karl])
    assert offered and starts[0] not in offered
    assert "Réserver un entretien découverte de 20 minutes" in clash.text and "<h1>" in clash.text

    # Paul cancels: the form comes back, the call is cancelled and both are told
    csrf = as_user(client, bearer_token(w["paul_h"]))
    cancelled = client.post(
        f"/my/proposals/{paul[karl]}/chemistry-call/cancel",
        data={"csrf": csrf},
        follow_redirects=False,
    )
    assert cancelled.status_code == 303
    html = client.get("/my/proposals").text
    assert f'id="slot-{paul[karl]}"' in html and "Your chemistry call is cancelled." in html
    call = fresh(db).exec(select(ChemistryCall)).one()
    assert call.state == CallState.cancelled
    kinds = sorted(
        m.kind
        for m in fresh(db).exec(select(OutboxMessage))
        if m.dedupe_key.startswith(f"chemistry:{call.id}:")
    )
    assert kinds == ["invite.cancel", "invite.cancel", "invite.request", "invite.request"]


@pytest.mark.parametrize("settings", [0], indirect=True)
def test_setting_0_hides_the_call_and_refuses_it(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_profiles(db, settings, client)
    proposal = _proposals(client, w["paul_h"])[w["karl"].id]
    csrf = as_user(client, bearer_token(w["paul_h"]))
    html = client.get("/my/proposals").text
    assert "chemistry" not in html.lower() and "Karl Coach" in html
    refused = client.post(
        f"/my/proposals/{proposal}/chemistry-call",
        data={"csrf": csrf, "start_at": "2026-03-03T10:00:00+00:00"},
    )
    assert refused.status_code == 404
    assert fresh(db).exec(select(ChemistryCall)).first() is None


def test_a_french_coachee_books_a_chemistry_call_in_the_browser(
    page: Any, live_server: str, db: Session, settings: Settings, client: TestClient
) -> None:
    w = build_profiles(db, settings, client)
    site = Browser(page, live_server)
    site.sign_in("olga@example.org")
    site.open("/my/proposals")
    xavier = page.locator("li.coach-profile").filter(has_text="Xavier External")
    assert "Réserver un entretien découverte de 20 minutes" in xavier.inner_text()
    choice = xavier.locator("select[name=start_at]")
    assert choice.locator("option").count() == 6
    second = choice.locator("option").nth(1).get_attribute("value")
    choice.select_option(second)
    xavier.locator("form.chemistry-form button").click()
    assert "Votre entretien découverte est réservé" in site.text()
    xavier = page.locator("li.coach-profile").filter(has_text="Xavier External")
    assert "Entretien découverte réservé\u00a0:" in xavier.inner_text()
    assert xavier.locator("button", has_text="Annuler l’entretien").count() == 1
    call = fresh(db).exec(select(ChemistryCall)).one()
    assert call.start_at.isoformat() == second and call.coach_id == w["xavier"].id
