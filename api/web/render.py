"""Rendering pages: the Jinja2 environment, flash messages, redirects and headers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.i18n import has, plural_form, t, t_or
from api.i18n.dates import format_date, format_datetime, format_span, format_time, weekday_name
from api.i18n.numbers import format_number
from api.models.requests import DESCRIPTION_MAX, OBJECTIVES_MAX
from api.web import csrf
from api.web.viewer import LANG_COOKIE, Viewer

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FLASH_COOKIE = "coachmatch_flash"
FLASH_KINDS = ("success", "error")

ENV = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

# Pages hold personal data: never cached, never framed, scripts and styles from here only.
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def _flash(request: Request) -> tuple[str, str] | None:
    """The flash message left by the previous POST: (kind, catalog key)."""
    raw = request.cookies.get(FLASH_COOKIE, "")
    kind, _, key = raw.partition(":")
    if kind in FLASH_KINDS and key.startswith("flash.") and has(key):
        return kind, key
    return None


def _helpers(viewer: Viewer) -> dict[str, Any]:
    lang, zone = viewer.lang, viewer.zone

    def dt(value: datetime | None) -> str:
        return format_datetime(value, lang, zone) if value else "—"

    def day(value: date | None) -> str:
        return format_date(value, lang) if value else "—"

    def clock_time(value: time) -> str:
        return format_time(value, lang)

    def span(start: datetime, end: datetime) -> str:
        return format_span(start, end, lang, zone)

    def label(prefix: str, value: object) -> str:
        """A vocabulary word (status, type, reason code...), as is when not in the catalog."""
        raw = getattr(value, "value", value)
        return t_or(f"{prefix}.{raw}", lang, str(raw))

    def options(prefix: str, items: Iterable[object]) -> list[tuple[str, str]]:
        """(value, label) pairs for a select or checkboxes."""
        return [(str(getattr(v, "value", v)), label(prefix, v)) for v in items]

    return {
        "options": options,
        "t": lambda key, **kw: t(key, lang, **kw),
        # The raw text of a plural entry's form for `count` ({count} left for a script).
        "plural_form": lambda key, count: plural_form(key, lang, count),
        "label": label,
        "dt": dt,
        "day": day,
        "clock": clock_time,
        "span": span,
        "weekday": lambda n: weekday_name(n, lang),
        "number": lambda value, digits=None: format_number(value, lang, digits=digits),
        "left": lambda count: chars_left(count, lang),
        "text_limits": TEXT_LIMITS,
    }


# The limits the brief's text areas show (their maxlength and live counter) and the API
# enforces: one number for both.
TEXT_LIMITS = {"description": DESCRIPTION_MAX, "objectives": OBJECTIVES_MAX}


def chars_left(count: int, lang: str) -> str:
    """ "12 characters left" in `lang` (the catalog's plural forms, as the page script's
    Intl.PluralRules picks them)."""
    return t("counter.left", lang, count=count)


def render(
    request: Request, viewer: Viewer, template: str, *, status: int = 200, **context: Any
) -> HTMLResponse:
    flash = _flash(request)
    body = ENV.get_template(template).render(
        request=request,
        viewer=viewer,
        user=viewer.user,
        lang=viewer.lang,
        csrf_field=csrf.FIELD,
        csrf_token=viewer.csrf_token,
        flash=flash,
        path=request.url.path,
        # where the language switch comes back to: a GET page (a form's refusal names it)
        here=context.pop("here", _here(request)),
        errors=context.pop("errors", {}),
        values=context.pop("values", {}),
        **_helpers(viewer),
        **context,
    )
    response = HTMLResponse(body, status_code=status, headers=HEADERS)
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE)
    if viewer.new_csrf_secret is not None:
        response.set_cookie(
            csrf.CSRF_COOKIE,
            viewer.new_csrf_secret,
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.cookie_secure,
        )
    return response


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def redirect(url: str, *, flash: str | None = None, kind: str = "success") -> RedirectResponse:
    """303 to `url` (a local path), with a flash message (a `flash.*` catalog key)."""
    response = RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})
    if flash is not None:
        assert kind in FLASH_KINDS and flash.startswith("flash.") and has(flash), flash
        response.set_cookie(FLASH_COOKIE, f"{kind}:{flash}", httponly=True, samesite="lax")
    return response


def local_path(target: str | None, default: str = "/") -> str:
    """`target` when it is a path on this site (never another host: no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def sign_in_url(request: Request) -> str:
    """/signin, then back to the page (a form's target is no page: home instead)."""
    if request.method != "GET":
        return "/signin"
    return "/signin?" + urlencode({"next": _here(request)}, quote_via=quote)


def set_language_cookie(response: Response, lang: str) -> None:
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
