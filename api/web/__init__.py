"""Server-rendered web pages for HR, coaches, coachees and sponsors, in French and English.

Plain HTML from Jinja2 templates (`templates/`), one stylesheet and a few lines of
optional script (`static/`). Pages sign in with the accounts' session cookie, check a
CSRF token on every form POST (`api.web.csrf`), and call the same service functions as
the API: no business rule lives here. Page routes are left out of the OpenAPI document.

    /signin, /signout, /accept-invitation, /language     anyone
    /hr/...                                               HR (home: the dashboard, /hr)
    /coach/...                                            coaches (home: their week, /coach)
    /my                                                   coachees, sponsors (home: next steps)
    /my/requests, /my/sessions, /my/engagements[/{id}]    coachees, sponsors (and coaches)
    /my/windows, /my/evaluations                          coachees, sponsors
    /coach/record, /coach/evaluations                     coaches
    /my/feed, /my/notifications                           everyone signed in
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"


def install(app: FastAPI) -> None:
    """Add the pages and their static files to the app."""
    from api.web import docs
    from api.web.pages import router

    app.include_router(router)
    docs.install(app)  # /docs, /redoc and their bundles, /favicon.ico
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
