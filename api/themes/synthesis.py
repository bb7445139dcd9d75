"""The coaches' team's synthesis notes: a document they write from the theme report of
one published period. Every figure the text quotes is checked against that report:

- a number from 1 to k-1 is refused (a group below k, whatever it counts);
- any other number must be the value of a visible cell of the period's theme report
  (the total, or a unit); else it is refused with the same words whether it is a
  suppressed cell or no cell at all, so probing a note's text tells nothing of what is
  hidden. Zero and the period's own year are allowed; so are dates written as
  2027-03-31 or 31/03/2027 and period labels (2027-Q1, 2027-03), which count nobody.
A number glued to letters (Q3, T2, k5) is a name, not a figure.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlmodel import Session, col, select

from api import messages
from api.db import get_or_404
from api.errors import InvalidInput, NotFound
from api.models import SynthesisNote, User
from api.models.enums import Role
from api.reports import periods
from api.reports.service import period_of
from api.reports.themes import load_themes, theme_tables, visible_values
from api.settings import Settings

from .schemas import NoteIn, NoteView

_NOT_FIGURES = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-(?:Q[1-4]|\d{2})\b"
)
_FIGURE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?![\w]|[.,]\d)")


def figures(text: str) -> list[tuple[str, float]]:
    """The numbers the text quotes, as written and as values."""
    text = _NOT_FIGURES.sub(" ", text)
    return [(m.group(0), float(m.group(0).replace(",", "."))) for m in _FIGURE.finditer(text)]


def check(text: str, *, visible: set[float], k: int, period: periods.Period) -> None:
    """Refuse (422 on `body`, naming the figure) the first figure that fails the k rule."""
    allowed = visible | {0.0, float(period.start.year), float(period.end.year)}
    for written, value in figures(text):
        if 0 < value < k:
            raise InvalidInput(
                messages.SYNTHESIS_FIGURE_SMALL.format(figure=written, k=k),
                field="body",
                figure=written,
            )
        if value not in allowed:
            raise InvalidInput(
                messages.SYNTHESIS_FIGURE_UNKNOWN.format(figure=written, period=period.label),
                field="body",
                figure=written,
            )


def _checked(session: Session, settings: Settings, data: NoteIn, today: date) -> periods.Period:
    period = period_of(data.from_, data.to, today)
    facts = load_themes(session=session, settings=settings)
    tables = theme_tables(facts, period.start.year, k=settings.report_k, today=today)
    check(
        f"{data.title}\n{data.body}",
        visible=visible_values(tables, period),
        k=settings.report_k,
        period=period,
    )
    return period


def view(note: SynthesisNote) -> NoteView:
    found = periods.snap(note.period_start, note.period_end)
    return NoteView(
        id=note.id or 0,
        title=note.title,
        period=found.label if found else f"{note.period_start}/{note.period_end}",
        from_=note.period_start,
        to=note.period_end,
        body=note.body,
        published=note.published,
    )


def list_notes(*, session: Session, user: User) -> list[NoteView]:
    query = select(SynthesisNote).order_by(
        col(SynthesisNote.period_start).desc(), col(SynthesisNote.id).desc()
    )
    if user.role != Role.coach:
        query = query.where(SynthesisNote.published == True)  # noqa: E712
    return [view(n) for n in session.exec(query)]


def get_note(*, session: Session, user: User, note_id: int) -> NoteView:
    note = session.get(SynthesisNote, note_id)
    if note is None or (user.role != Role.coach and not note.published):
        raise NotFound(messages.NOT_FOUND.format(what="synthesis note"))
    return view(note)


def create_note(
    *, session: Session, settings: Settings, data: NoteIn, now: datetime, today: date
) -> NoteView:
    period = _checked(session, settings, data, today)
    note = SynthesisNote(
        title=data.title,
        period_start=period.start,
        period_end=period.end,
        body=data.body,
        published=data.published,
        created_at=now,
        updated_at=now,
    )
    session.add(note)
    session.commit()
    return view(note)


def update_note(
    *,
    session: Session,
    settings: Settings,
    note_id: int,
    data: NoteIn,
    now: datetime,
    today: date,
) -> NoteView:
    note: SynthesisNote = get_or_404(session, SynthesisNote, note_id, "synthesis note")
    period = _checked(session, settings, data, today)
    note.title, note.body, note.published = data.title, data.body, data.published
    note.period_start, note.period_end = period.start, period.end
    note.updated_at = now
    session.add(note)
    session.commit()
    return view(note)
