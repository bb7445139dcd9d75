"""The coach profiles the coachee chooses from, on the pages (issue 14 item 4): the cards
on /my/proposals, the coach's own profile page and HR's, and a French coachee's choice in
Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import fresh
from fastapi.testclient import TestClient
from profiles_support import KARL_BIO, PNG, XAVIER_BIO, build_profiles
from rounds_support import SENTINEL, fast
from sqlmodel import Session, select
from web_support import Browser, as_user, bearer_token

from api.i18n.dates import format_date
from api.models import Coach, CoachPhoto, Engagement
from api.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def _cards(client: TestClient, headers: dict[str, str]) -> str:
    as_user(client, bearer_token(headers))
    page = client.get("/my/proposals")
    assert page.status_code == 200
    return page.text


def test_the_cards_show_the_profile_and_the_request_but_never_its_description(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_profiles(db, settings, client)
    html = _cards(client, w["paul_h"])  # Paul reads English
    assert SENTINEL not in html
    assert f'<p class="bio">{KARL_BIO}</p>' in html and XAVIER_BIO in html
    assert "<h2>Karl Coach <small>(Internal)</small></h2>" in html
    assert "<h2>Xavier External <small>(External)</small></h2>" in html
    assert "<dd>en, fr</dd>" in html  # languages
    assert "<dd>leadership, prise de poste</dd>" in html  # themes
    assert "<dd>Remote, On site — sites: Lyon, Paris</dd>" in html  # modalities, sites served
    assert "PCC, ICF — valid until" in html and "<li>MCC, ICF</li>" in html  # valid ones
    assert "EIA Senior Practitioner" not in html  # expired yesterday
    assert "Supervisor, EMCC" in html  # accreditation
    submitted = format_date(w["requests"]["paul"].submitted_at.date(), "en")
    assert html.count(f"For your request: Coaching, submitted on {submitted}") == 2


def test_the_bio_is_length_checked_on_the_coach_and_hr_pages(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_profiles(db, settings, client)
    karl = w["karl"].id
    csrf = as_user(client, bearer_token(w["karl_h"]))
    shown = client.get("/coach/profile")
    assert shown.status_code == 200 and "Short presentation" in shown.text
    refused = client.post("/coach/profile/bio", data={"csrf": csrf, "bio": "b" * 601})
    assert refused.status_code == 422
    assert 'id="bio-error"' in refused.text and 'aria-invalid="true"' in refused.text
    assert fresh(db).get(Coach, karl).bio == KARL_BIO  # type: ignore[union-attr]
    saved = client.post(
        "/coach/profile/bio", data={"csrf": csrf, "bio": "Nouveau."}, follow_redirects=False
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/coach/profile"
    assert fresh(db).get(Coach, karl).bio == "Nouveau."  # type: ignore[union-attr]
    csrf = as_user(client, bearer_token(w["hr"]))
    assert f'href="/hr/coaches/{karl}/profile"' in client.get(f"/hr/coaches/{karl}").text
    refused = client.post(f"/hr/coaches/{karl}/profile/bio", data={"csrf": csrf, "bio": "x" * 601})
    assert refused.status_code == 422 and 'id="bio-error"' in refused.text
    client.post(f"/hr/coaches/{karl}/profile/bio", data={"csrf": csrf, "bio": "Par les RH."})
    assert fresh(db).get(Coach, karl).bio == "Par les RH."  # type: ignore[union-attr]
    assert "Par les RH." in _cards(client, w["olga_h"])


def test_the_photo_upload_refuses_what_is_not_a_small_image(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_profiles(db, settings, client)
    csrf = as_user(client, bearer_token(w["xavier_h"]))
    for data, status in ((b"%PDF-1.7 not an image", 422), (PNG + bytes(1_000_000), 413)):
        refused = client.post(
            "/coach/profile/photo", data={"csrf": csrf}, files={"photo": ("me.png", data)}
        )
        assert refused.status_code == status
        assert 'id="photo-error"' in refused.text
    assert fresh(db).exec(select(CoachPhoto)).all() == []
    done = client.post(
        "/coach/profile/photo",
        data={"csrf": csrf},
        files={"photo": ("me.png", PNG, "image/png")},
        follow_redirects=False,
    )
    assert done.status_code == 303
    url = f"/coaches/{w['xavier'].id}/photo"
    assert f'src="{url}"' in client.get("/coach/profile").text
    html = _cards(client, w["olga_h"])
    assert f'<img src="{url}" alt="Photo de Xavier External"' in html
    for who, status in (("olga_h", 200), ("hr", 200), ("nadia_h", 403), ("karl_h", 403)):
        as_user(client, bearer_token(w[who]))
        response = client.get(url)
        assert response.status_code == status, who
        if status == 200:
            assert response.content == PNG
            assert response.headers["cache-control"].startswith("private")


def test_a_french_coachee_reads_two_cards_and_chooses(
    page: Any, live_server: str, db: Session, settings: Settings, client: TestClient
) -> None:
    w = build_profiles(db, settings, client)
    put = client.put("/me/coach/photo", files={"photo": ("x.png", PNG)}, headers=w["xavier_h"])
    assert put.status_code == 204
    site = Browser(page, live_server)
    site.sign_in("olga@example.org")  # French: Olga's org-chart language
    page.click("nav >> text=Coachs proposés")
    assert site.heading() == "Les coachs qui me sont proposés"
    cards = page.locator("li.coach-profile")
    assert cards.count() == 2
    karl = cards.filter(has_text="Karl Coach")
    xavier = cards.filter(has_text="Xavier External")
    assert KARL_BIO in karl.inner_text()
    assert "sites\u00a0: Lyon, Paris" in karl.inner_text()
    assert "PCC, ICF" in karl.inner_text() and "EIA" not in karl.inner_text()
    assert "Pour votre demande\u00a0: Coaching, déposée le" in xavier.inner_text()
    photo = xavier.locator("img.coach-photo")
    assert photo.get_attribute("alt") == "Photo de Xavier External"
    photo.evaluate("i => i.decode()")  # the browser fetched and drew it, signed in
    assert photo.evaluate("i => i.naturalWidth") == 8
    assert karl.locator("img").count() == 0
    assert SENTINEL not in page.content()
    xavier.locator("form[action$='/choose'] button").click()
    assert "Merci\u00a0: votre choix est enregistré." in site.text()
    assert site.heading() == "Séances à venir"
    chosen = (
        fresh(db)
        .exec(select(Engagement).where(Engagement.request_id == w["requests"]["olga"].id))
        .one()
    )
    assert chosen.coach_id == w["xavier"].id
