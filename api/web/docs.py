"""The API's documentation pages, Swagger UI at /docs and ReDoc at /redoc, from the
bundles of the `fastapi-offline` package served by the app itself (no CDN: they work
offline and under the pages' Content-Security-Policy, started by static/docs.js rather
than an inline script).

The bundles are Swagger UI (Apache-2.0) and ReDoc (MIT) as fastapi-offline (MIT) ships
them; upgrading that package upgrades them.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.web.render import ENV, HEADERS

VENDOR_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
VENDOR_URL = "/static/vendor"
FAVICON = Path(__file__).resolve().parent / "static" / "favicon.svg"
# ReDoc's bundle writes two <style> elements as it loads, before it can be given the
# nonce: perfect-scrollbar's stylesheet and an empty one. Their hashes, for this bundle
# (tests/web/test_web_site.py fails on any style the policy refuses after an upgrade).
REDOC_STYLE_HASHES = (
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
)
FAVICON_CACHE = {"Cache-Control": "public, max-age=86400"}

router = APIRouter(include_in_schema=False)


def _page(request: Request, template: str, nonce: str | None = None) -> HTMLResponse:
    app = request.app
    body = ENV.get_template(template).render(
        title=app.title, spec_url=app.openapi_url, vendor=VENDOR_URL, nonce=nonce
    )
    headers = dict(HEADERS)
    if nonce is not None:
        policy = headers["Content-Security-Policy"]
        assert "style-src 'self';" in policy, policy
        headers["Content-Security-Policy"] = policy.replace(
            "style-src 'self';", f"style-src 'self' 'nonce-{nonce}' {' '.join(REDOC_STYLE_HASHES)};"
        )
    return HTMLResponse(body, headers=headers)


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    return _page(request, "docs/swagger.html")


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """ReDoc writes its styles into <style> elements (styled-components): this page's
    policy admits those carrying its one-time nonce, which ReDoc is given, and the two
    its bundle writes as it loads; no other inline style (no 'unsafe-inline'). Its
    search runs in a blob: worker, which the policy refuses: off (docs.js)."""
    return _page(request, "docs/redoc.html", nonce=secrets.token_urlsafe(16))


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """Browsers ask for it on every page they open without a <link rel="icon">."""
    return FileResponse(FAVICON, media_type="image/svg+xml", headers=FAVICON_CACHE)


def install(app: FastAPI) -> None:
    app.include_router(router)
    # Before the app's own /static mount, which would otherwise answer these paths.
    app.mount(VENDOR_URL, StaticFiles(directory=VENDOR_DIR), name="vendor")
