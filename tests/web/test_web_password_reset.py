"""The forgotten-password story in Chromium, in French, with the email delivered by the
outbox to a real SMTP server (aiosmtpd): the sign-in page links to the form, any address
gets the same answer, the emailed link's token travels in its fragment (never to the
server), the new password signs in, the old one and a second use of the link do not."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from api_support import PASSWORD, add_user
from sqlmodel import Session
from test_api_outbox import Server
from web_support import Browser

from api.models.enums import Role
from api.settings import Settings
from api.web.viewer import LANG_COOKIE

NEW = "un tout nouveau mot de passe"


@pytest.fixture
def smtp() -> Iterator[Server]:
    server = Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def settings(settings: Settings, smtp: Server) -> Settings:
    # mail is sent by the app's worker right after the change (the tests' default is off)
    return settings.model_copy(update={"smtp_url": smtp.url, "outbox_interval_seconds": 30})


def _mail(smtp: Server, count: int) -> list[Any]:
    """The messages the SMTP server received, once there are `count` (the outbox's job
    sends them right after the change commits)."""
    deadline = time.monotonic() + 60  # the periodic delivery, every 30 s, at the latest
    while len(smtp.recorder.messages) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(smtp.recorder.messages)} of {count} messages arrived")
        time.sleep(0.1)
    return list(smtp.recorder.messages)


def test_a_forgotten_password_is_replaced_from_the_emailed_link(
    page: Any, live_server: str, db: Session, settings: Settings, smtp: Server
) -> None:
    add_user(db, settings, Role.hr, email="rh@example.org")
    page.context.add_cookies([{"name": LANG_COOKIE, "value": "fr", "url": live_server}])
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    site = Browser(page, live_server)

    site.open("/signin")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    assert site.heading() == "Mot de passe oublié"
    # an unknown address: the same answer, and no mail
    page.locator("#email").fill("personne@example.org")
    page.get_by_role("button", name="M’envoyer un lien").click()
    assert site.heading() == "Connexion"
    answer = page.locator(".flash").inner_text()
    assert answer.startswith("Si un compte a cette adresse, nous lui avons envoyé un lien")
    site.open("/forgot-password")
    page.locator("#email").fill("RH@example.org")
    page.get_by_role("button", name="M’envoyer un lien").click()
    assert page.locator(".flash").inner_text() == answer

    [message] = _mail(smtp, 1)
    assert message["To"] == "rh@example.org"
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http\S+/reset-password#token=([A-Za-z0-9_-]+)", body)
    assert link is not None, body
    token = link.group(1)
    page.goto(link.group(0).replace(settings.base_url, live_server))
    assert "#" not in page.url and "token" not in page.url  # dropped from the address bar
    assert site.heading() == "Choisir un nouveau mot de passe"
    assert page.locator("[data-invitation-code]").is_hidden()
    page.locator("#password").fill(NEW)
    page.locator("#password_again").fill(NEW + " typo")
    page.get_by_role("button", name="Enregistrer mon nouveau mot de passe").click()
    assert page.locator("#password_again[aria-invalid=true]").count() == 1
    page.locator("#password").fill(NEW)
    page.locator("#password_again").fill(NEW)
    page.get_by_role("button", name="Enregistrer mon nouveau mot de passe").click()
    assert page.url == live_server + "/hr"
    assert "Votre nouveau mot de passe est enregistré" in page.locator(".flash").inner_text()
    assert not any(token in url for url in requested)

    site.sign_out()
    site.sign_in("rh@example.org", PASSWORD)  # the old password no longer works
    assert "Adresse e-mail ou mot de passe incorrect" in site.text()
    site.sign_in("rh@example.org", NEW)
    assert page.url == live_server + "/hr"
    site.sign_out()
    # the same link again: refused in the form, in French
    page.goto(link.group(0).replace(settings.base_url, live_server))
    page.locator("#password").fill("encore un autre mot de passe")
    page.locator("#password_again").fill("encore un autre mot de passe")
    page.get_by_role("button", name="Enregistrer mon nouveau mot de passe").click()
    assert "Ce lien n’est pas valide, a déjà servi ou a expiré" in site.text()
    assert page.locator("[data-invitation-code]").is_visible()  # the refused code is shown
