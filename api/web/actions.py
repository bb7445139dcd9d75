"""One-button actions (confirm, cancel, revoke...): done, or the refusal as a page."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response

from api.web import forms
from api.web.render import redirect
from api.web.route import error_page
from api.web.viewer import Viewer


def refused(request: Request, exc: forms.FormInvalid) -> Response:
    """Why the action was refused (e.g. the match no longer holds), in the reader's words."""
    return error_page(request, exc.status, "error.not_done", " ".join(exc.errors.values()))


def act(
    request: Request, viewer: Viewer, action: Callable[[], object], *, done: str, flash: str
) -> Response:
    """Run `action` (a service call); then go to `done` with the `flash` message."""
    try:
        forms.attempt(action, viewer.lang)
    except forms.FormInvalid as exc:
        return refused(request, exc)
    return redirect(done, flash=flash)
