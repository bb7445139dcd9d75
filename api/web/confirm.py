"""Destructive one-row actions (delete a window, revoke a feed...) confirmed inline: the
page's <details> form sends confirm=yes (templates/_confirm.html); a post without it (an
old page, a forged form) changes nothing and comes back to the page with a message."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api import messages
from api.errors import NotFound
from api.web import forms
from api.web.render import redirect


def confirmed(form: FormData) -> bool:
    return forms.text(form, "confirm") == "yes"


def ask_first(page: str) -> Response:
    """Back to `page`, nothing done, saying the action needs its confirmation."""
    return redirect(page, flash="flash.confirm_first", kind="error")


def ask_first_owned(
    page: str,
    *,
    session: Session,
    model: type[Any],
    row_id: int,
    owner: str,
    owner_id: int,
    what: str,
) -> Response:
    """`ask_first`, once the row is the viewer's: anyone else's is "not found", as the
    delete itself says (its existence is never revealed)."""
    row = session.get(model, row_id)
    if row is None or getattr(row, owner) != owner_id:
        raise NotFound(messages.NOT_FOUND.format(what=what))
    return ask_first(page)
