"""The site's own pages in Chromium (issue 14 item 8): error pages in the reader's
language for a path no route serves (never the raw JSON), the favicon, and the API's
documentation rendered from the app's own bundles with every other host blocked."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import add_user
from sqlmodel import Session
from web_support import Browser

from api.models.enums import Role
from api.settings import Settings
from api.web.viewer import LANG_COOKIE

LOOPBACK = ("http://127.0.0.1:", "http://localhost:")


def _offline(page: Any) -> tuple[list[str], list[str]]:
    """Block every request not for the test server; (blocked URLs, console errors)."""
    blocked: list[str] = []
    errors: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(LOOPBACK) or url.startswith(("data:", "blob:")):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return blocked, errors


@pytest.mark.parametrize(
    ("lang", "title", "heading"),
    [("en", "Page not found", "Page not found"), ("fr", "Page introuvable", "Page introuvable")],
)
def test_an_unknown_page_is_an_html_page_in_the_readers_language(
    page: Any, live_server: str, lang: str, title: str, heading: str
) -> None:
    # the language switch's cookie (the browser context's own locale is en-GB)
    page.context.add_cookies([{"name": LANG_COOKIE, "value": lang, "url": live_server}])
    response = page.goto(live_server + "/no/such/page")
    assert response.status == 404
    assert response.headers["content-type"].startswith("text/html")
    # axe's document-title and html-has-lang/html-lang-valid rules
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.title().startswith(title)
    assert page.locator("h1").inner_text() == heading
    body = page.locator("body").inner_text()
    assert '"detail"' not in body and "Not Found" not in body
    assert page.locator("a[href='/signin']").count() == 1  # anonymous: a way in
    # the icon the page names is served
    icon = page.evaluate("document.querySelector('link[rel=icon]').href")
    assert page.request.get(icon).status == 200


def test_a_signed_in_reader_gets_the_page_in_their_language_with_their_menu(
    page: Any, live_server: str, db: Session, settings: Settings
) -> None:
    hr = add_user(db, settings, Role.hr, email="hr@example.org")
    hr.language = "fr"  # the account's language (HR has no person in the org chart)
    db.add(hr)
    db.commit()
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    response = site.open("/hr/nothing-here")
    assert response.status == 404
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert site.heading() == "Page introuvable"
    assert page.locator("nav a[href='/hr/requests']").count() == 1
    assert page.locator("main a[href='/']").inner_text() == "Retour à l’accueil"
    # a method the path does not take, opened in the browser: a page too
    response = site.open("/signout")
    assert response.status == 405
    assert site.heading() == "Page introuvable"


def test_the_api_keeps_its_json_errors(page: Any, live_server: str) -> None:
    """An API client (no text/html in Accept) and the API's own routes answer JSON."""
    unknown = page.request.get(live_server + "/no/such/endpoint")
    assert unknown.status == 404
    assert unknown.json() == {"detail": "Not Found", "field": None}
    me = page.request.get(live_server + "/me", headers={"Accept": "text/html"})
    assert me.status == 401 and me.json()["detail"]


def test_swagger_ui_renders_offline_under_the_pages_policy(page: Any, live_server: str) -> None:
    blocked, errors = _offline(page)
    response = page.goto(live_server + "/docs")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".swagger-ui .info .title").wait_for()
    assert "coachmatch" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-tag", has_text="accounts").first.wait_for()
    assert page.locator(".opblock").count() > 20
    assert page.evaluate("document.documentElement.lang") == "en"
    assert blocked == [] and errors == [], (blocked, errors)


def test_redoc_renders_offline_under_the_pages_policy(page: Any, live_server: str) -> None:
    blocked, errors = _offline(page)
    response = page.goto(live_server + "/redoc")
    assert response.status == 200
    page.locator("h1", has_text="coachmatch").wait_for()
    page.get_by_text("/auth/login").first.wait_for(state="attached")
    assert page.locator("[role=menuitem]", has_text="accounts").count() >= 1
    # ReDoc's sidebar always shows its maker's logo from their CDN: the page's policy
    # refuses it (and it hides itself); nothing else is asked of another host, and no
    # other style or script is refused.
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert set(blocked) <= {logo}, blocked
    assert all(logo in e and "Content Security Policy" in e for e in errors), errors


def test_a_page_refused_by_a_state_or_failing_is_a_page_with_its_reference(
    settings: Settings,
) -> None:
    """A 409 and a server fault on a page route: the error page in the reader's language,
    the fault's reference the X-Request-ID its log lines carry, never a traceback."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.errors import Conflict
    from api.web.route import page_router

    app = create_app(settings)
    router = page_router()

    @router.get("/test-conflict")
    def conflict() -> None:
        raise Conflict("the session has already started")

    @router.get("/test-fault")
    def fault() -> None:
        raise RuntimeError("secret detail of a bug")

    app.include_router(router)
    with TestClient(app) as client:
        client.cookies.set(LANG_COOKIE, "fr")
        refused = client.get("/test-conflict")
        assert refused.status_code == 409
        assert "<title>Cette action n’est pas possible pour le moment ·" in refused.text
        assert "La séance a déjà commencé." in refused.text
        failed = client.get("/test-fault", headers={"X-Request-ID": "req-0123456789"})
        assert failed.status_code == 500
        assert '<html lang="fr">' in failed.text
        reference = "donnez cette référence à l’équipe du programme\u00a0: req-0123456789."
        assert reference in failed.text
        assert "secret detail" not in failed.text and "Traceback" not in failed.text
