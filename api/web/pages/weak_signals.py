"""Testimonials and weak signals on the web (issue 12 items 3-4), over the same services
as the API: a coachee gives a testimonial, a coach reviews them (redact or reject), HR
reads the released batches; HR keeps the list of themes, a coach tags their engagements
from it, the coaches' team writes synthesis notes from the theme report (every figure
checked), HR reads the published ones."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from pydantic import Field
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import ClockDep, SessionDep, SettingsDep
from api.engagements.service import my_engagements
from api.evaluations.schemas import TESTIMONIAL_MAX
from api.models.enums import Role
from api.reports import periods
from api.reports.service import zone
from api.reports.themes import themes_for
from api.settings import Settings
from api.testimonials import service as testimonials
from api.testimonials.schemas import TestimonialIn
from api.themes import service as themes
from api.themes import synthesis
from api.themes.schemas import NOTE_MAX, NoteIn, NoteView, ThemeIn, ThemeUpdate
from api.types import RowId
from api.web import forms, lookups
from api.web.csrf import checked_form
from api.web.page_forms import PageForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import CoachPage, HRPage, SignedIn, need

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
CoacheePage = Annotated[SignedIn, Depends(need(Role.coachee))]
GIVE, REVIEW, BATCHES = "/my/testimonials", "/coach/testimonials", "/hr/testimonials"
THEMES, TAGS, NOTES, HR_NOTES = "/hr/themes", "/coach/themes", "/coach/syntheses", "/hr/syntheses"
LABELS = ("label_en", "label_fr")


def _today(settings: Settings, clock: Any) -> date:
    today: date = clock.now().astimezone(zone(settings)).date()
    return today


# Testimonials ------------------------------------------------------------------------------


def _give_page(
    request: Request, viewer: SignedIn, session: Session, *, status: int = 200, **context: Any
) -> Response:
    mine = testimonials.open_to(session=session, user=viewer.user)
    return render(
        request,
        viewer,
        "my/testimonials.html",
        status=status,
        here=GIVE,
        choices=[
            (str(o.engagement_id), f"{o.coach_name or '—'} (#{o.engagement_id})") for o in mine
        ],
        limit=TESTIMONIAL_MAX,
        **context,
    )


@router.get(GIVE)
def give_page(request: Request, viewer: CoacheePage, session: SessionDep) -> Response:
    return _give_page(request, viewer, session)


class GiveForm(PageForm):
    """A coachee's testimonial (`TestimonialIn` validates it)."""

    engagement_id: str = ""
    text: str = ""
    quotable: str = ""  # "yes" when the box that allows quoting is ticked


@router.post(GIVE)
def give(
    request: Request,
    viewer: CoacheePage,
    form: Form,
    data: Annotated[GiveForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    user = viewer.user
    values = {
        "engagement_id": data.engagement_id,
        "text": data.text,
        "quotable": data.quotable == "yes",
    }
    try:
        forms.attempt(
            lambda: testimonials.give(
                session=session, settings=settings, user=user,
                data=forms.validate(TestimonialIn, values),
            ),
            viewer.lang,
        )  # fmt: skip
    except forms.FormInvalid as exc:
        session.rollback()
        return _give_page(
            request, viewer, session, status=exc.status, errors=exc.errors, values=forms.shown(form)
        )
    return redirect(GIVE, flash="flash.testimonial_recorded")


def _review_page(
    request: Request,
    viewer: SignedIn,
    session: Session,
    settings: Settings,
    *,
    status: int = 200,
    **context: Any,
) -> Response:
    return render(
        request,
        viewer,
        "coach/testimonials.html",
        status=status,
        here=REVIEW,
        queue=testimonials.queue(session=session, settings=settings),
        limit=TESTIMONIAL_MAX,
        **context,
    )


@router.get(REVIEW)
def review_page(
    request: Request, viewer: CoachPage, session: SessionDep, settings: SettingsDep
) -> Response:
    return _review_page(request, viewer, session, settings)


class ReviewForm(PageForm):
    """A reviewer's decision on one testimonial, with the text as edited."""

    decision: str = ""  # "reject", else approve
    text: str = ""


@router.post(REVIEW + "/{testimonial_id}")
def review(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[ReviewForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    testimonial_id: str,
) -> Response:
    decision = data.decision
    # the page always sends the text: emptied, it is not "as it is" (the original, names
    # and all), so it is refused; only a form without the field approves the text unedited.
    # FastAPI gives an empty field its default, so whether it was sent is asked of the form.
    text = data.text if "text" in form else None
    try:
        if decision == "reject":
            forms.attempt(
                lambda: testimonials.reject(session=session, testimonial_id=testimonial_id),
                viewer.lang,
            )
            return redirect(REVIEW, flash="flash.testimonial_rejected")
        if text == "":
            raise forms.invalid("text", "invalid.testimonial_emptied", viewer.lang)
        if text is not None and len(text) > TESTIMONIAL_MAX:
            raise forms.invalid("text", "invalid.too_long", viewer.lang, limit=TESTIMONIAL_MAX)
        forms.attempt(
            lambda: testimonials.approve(
                session=session, settings=settings, testimonial_id=testimonial_id, text=text
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        session.rollback()
        return _review_page(
            request, viewer, session, settings, status=exc.status,
            errors={testimonial_id: exc.errors},
        )  # fmt: skip
    return redirect(REVIEW, flash="flash.testimonial_approved")


@router.get(BATCHES)
def batches_page(
    request: Request, viewer: HRPage, session: SessionDep, settings: SettingsDep
) -> Response:
    result = testimonials.batches(session=session, settings=settings)
    return render(request, viewer, "hr/testimonials.html", result=result)


# Themes ------------------------------------------------------------------------------------


def _themes_page(
    request: Request, viewer: SignedIn, session: Session, *, status: int = 200, **context: Any
) -> Response:
    return render(
        request,
        viewer,
        "hr/themes.html",
        status=status,
        here=THEMES,
        themes=themes.list_themes(session=session),
        **context,
    )


@router.get(THEMES)
def themes_page(request: Request, viewer: HRPage, session: SessionDep) -> Response:
    return _themes_page(request, viewer, session)


class ThemeForm(PageForm):
    """A new theme (`ThemeIn` validates it)."""

    code: str = ""
    label_en: str = ""
    label_fr: str = ""


@router.post(THEMES)
def create_theme(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[ThemeForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    values = data.filled()
    try:
        forms.attempt(
            lambda: themes.create_theme(
                session=session, data=forms.validate(ThemeIn, values), now=clock.now()
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        session.rollback()
        return _themes_page(
            request, viewer, session, status=exc.status, errors=exc.errors, values=forms.shown(form)
        )
    return redirect(THEMES, flash="flash.theme_saved")


class ThemeEditForm(PageForm):
    """A theme's row: its button sends `active`, its relabelling form both labels."""

    label_en: str = ""
    label_fr: str = ""
    active: str = ""  # "yes" to activate


@router.post(THEMES + "/{theme_id}")
def update_theme(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[ThemeEditForm, Fields()],
    session: SessionDep,
    theme_id: RowId,
) -> Response:
    """(De)activate a theme (its row's button sends `active`), or relabel it (its
    relabelling form sends both labels); its code, the report's column, stays. A label
    sent empty is refused, one not sent is kept: FastAPI gives an empty field its
    default, so which fields were sent is asked of the form."""
    values: dict[str, Any] = {name: getattr(data, name) for name in LABELS if name in form}
    if "active" in form:
        values["active"] = data.active == "yes"
    try:
        forms.attempt(
            lambda: themes.update_theme(
                session=session, theme_id=theme_id, data=forms.validate(ThemeUpdate, values)
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        session.rollback()
        return _themes_page(
            request, viewer, session, status=exc.status,
            row=theme_id, row_errors=exc.errors, row_values=forms.shown(form),
        )  # fmt: skip
    return redirect(THEMES, flash="flash.theme_saved")


def _tags_page(
    request: Request, viewer: SignedIn, session: Session, *, status: int = 200, **context: Any
) -> Response:
    mine = my_engagements(session=session, user=viewer.user)
    return render(
        request,
        viewer,
        "coach/themes.html",
        status=status,
        here=TAGS,
        engagements=[(e, themes.tags_of(session, e.id)) for e in mine],
        names=lookups.person_names(session, [e.coachee_id for e in mine]),
        themes=themes.list_themes(session=session, active_only=True),
        **context,
    )


@router.get(TAGS)
def tags_page(request: Request, viewer: CoachPage, session: SessionDep) -> Response:
    return _tags_page(request, viewer, session)


class TagsForm(PageForm):
    """The themes ticked for one engagement (their codes)."""

    themes: list[str] = Field(default_factory=list)


@router.post(TAGS + "/{engagement_id}")
def tag(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[TagsForm, Fields()],
    session: SessionDep,
    engagement_id: RowId,
) -> Response:
    user = viewer.user
    themes.my_tags(session=session, user=user, engagement_id=engagement_id)  # else 404
    try:
        forms.attempt(
            lambda: themes.set_tags(
                session=session, user=user, engagement_id=engagement_id,
                codes=[code for code in data.themes if code],
            ),
            viewer.lang,
        )  # fmt: skip
    except forms.FormInvalid as exc:
        session.rollback()
        return _tags_page(
            request, viewer, session, status=exc.status, errors={str(engagement_id): exc.errors}
        )
    return redirect(TAGS, flash="flash.tags_saved")


# Synthesis notes ---------------------------------------------------------------------------


def _closed_periods(today: date) -> list[periods.Period]:
    """The published periods that are over, of this year and the last, newest first."""
    found = [
        p for y in (today.year, today.year - 1) for p in periods.closed(periods.of_year(y), today)
    ]
    return sorted(found, key=lambda p: (p.end, -(p.end - p.start).days), reverse=True)


def _notes_page(
    request: Request,
    viewer: SignedIn,
    session: Session,
    settings: Settings,
    today: date,
    period: periods.Period | None,
    *,
    note: NoteView | None = None,
    status: int = 200,
    **context: Any,
) -> Response:
    """The theme report of `period` (the newest closed one by default) beside the note's
    form: a new note, or `note` being rewritten (its period stays)."""
    options = _closed_periods(today)
    if period is None and note is None:
        period = options[0] if options else None
    rows = columns = None
    if period is not None:
        result, _, facts = themes_for(
            session=session, settings=settings, start=period.start, end=period.end,
            by="unit", today=today,
        )  # fmt: skip
        rows = result.rows
        label = 1 if viewer.lang == "en" else 2
        columns = [("engagements", None)] + [(f"theme_{f[0]}", f[label]) for f in facts.themes]
    return render(
        request,
        viewer,
        "coach/syntheses.html",
        status=status,
        here=f"{NOTES}/{note.id}" if note else NOTES,
        k=settings.report_k,
        period_options=options,
        period=period,
        rows=rows,
        columns=columns,
        note=note,
        notes=[] if note else synthesis.list_notes(session=session, user=viewer.user),
        editable=True,
        limit=NOTE_MAX,
        **context,
    )


def _chosen(today: date, label: str | None) -> periods.Period | None:
    return next((p for p in _closed_periods(today) if p.label == label), None)


@router.get(NOTES)
def notes_page(
    request: Request,
    viewer: CoachPage,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    period: str | None = None,
) -> Response:
    today = _today(settings, clock)
    return _notes_page(request, viewer, session, settings, today, _chosen(today, period))


class NoteForm(PageForm):
    """A synthesis note (`NoteIn` validates it); a new one names its period."""

    title: str = ""
    body: str = ""
    published: str = ""  # "yes" when ticked
    period: str = ""  # a closed period's label, for a new note


def _note_values(data: NoteForm, period: periods.Period | None) -> dict[str, Any]:
    return {
        "title": data.title,
        "body": data.body,
        "published": data.published == "yes",
        "from": period.start.isoformat() if period else "",
        "to": period.end.isoformat() if period else "",
    }


def _save_note(
    request: Request,
    viewer: SignedIn,
    form: FormData,
    data: NoteForm,
    session: Session,
    settings: Settings,
    clock: Any,
    period: periods.Period | None,
    note: NoteView | None = None,
) -> Response:
    """Write a new note for `period`, or rewrite `note`; a figure that fails the check
    (or a bad field) is refused next to its field, nothing written."""
    today = _today(settings, clock)

    def save() -> NoteView:
        note_in = forms.validate(NoteIn, _note_values(data, period))
        common: dict[str, Any] = {"session": session, "settings": settings, "data": note_in,
                                  "now": clock.now(), "today": today}  # fmt: skip
        if note is None:
            return synthesis.create_note(**common)
        return synthesis.update_note(note_id=note.id, **common)

    try:
        forms.attempt(save, viewer.lang, aliases={"from": "period", "to": "period"})
    except forms.FormInvalid as exc:
        session.rollback()
        return _notes_page(
            request, viewer, session, settings, today, period, note=note, status=exc.status,
            errors=exc.errors, values=forms.shown(form),
        )  # fmt: skip
    return redirect(f"{NOTES}?period={period.label if period else ''}", flash="flash.note_saved")


@router.post(NOTES)
def write_note(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[NoteForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    period = _chosen(_today(settings, clock), data.period)
    return _save_note(request, viewer, form, data, session, settings, clock, period)


def _note_period(note: NoteView) -> periods.Period | None:
    return periods.snap(note.from_, note.to)


@router.get(NOTES + "/{note_id}")
def edit_note_page(
    request: Request,
    viewer: CoachPage,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    note_id: RowId,
) -> Response:
    """A note's form filled with the note, beside its period's theme report."""
    note = synthesis.get_note(session=session, user=viewer.user, note_id=note_id)
    values = {"title": note.title, "body": note.body, "published": "yes" if note.published else ""}
    return _notes_page(
        request, viewer, session, settings, _today(settings, clock), _note_period(note),
        note=note, values=values,
    )  # fmt: skip


@router.post(NOTES + "/{note_id}")
def rewrite_note(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[NoteForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    note_id: RowId,
) -> Response:
    """Rewrite a note, for the same period; its figures are checked again."""
    note = synthesis.get_note(session=session, user=viewer.user, note_id=note_id)
    return _save_note(
        request, viewer, form, data, session, settings, clock, _note_period(note), note=note
    )


@router.get(HR_NOTES)
def hr_notes(request: Request, viewer: HRPage, session: SessionDep) -> Response:
    notes = synthesis.list_notes(session=session, user=viewer.user)
    return render(request, viewer, "hr/syntheses.html", notes=notes)
