"""The coachee books or cancels a chemistry call from a proposal card of /my/proposals
(the logic is `api.chemistry.service`; the cards are `api.web.chemistry`); HR lists all
the calls (/hr/chemistry-calls) and a coach their own (/coach/chemistry-calls)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.chemistry import service
from api.deps import ClockDep, SessionDep, SettingsDep
from api.errors import ApiError, InvalidInput, NotFound
from api.models.enums import Role
from api.rounds import review
from api.rounds.views import coach_offers
from api.types import RowId
from api.web import chemistry, lookups
from api.web.csrf import checked_form
from api.web.page_forms import PageForm
from api.web.paging import pager, with_total
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import HRPage, SignedIn, need

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
Coachee = Annotated[SignedIn, Depends(need(Role.coachee))]
CoachPage = Annotated[SignedIn, Depends(need(Role.coach))]
WHEN = ("upcoming", "past")


class CallForm(PageForm):
    """The chosen start: an ISO instant from the card's select."""

    start_at: str = ""


def _start(raw: str) -> datetime | None:
    """The chosen start (an ISO instant from the select), None when missing or not one."""
    try:
        value = datetime.fromisoformat(raw) if 0 < len(raw) <= 40 else None
    except ValueError:
        return None
    return value if value is not None and value.tzinfo is not None else None


def _refused(
    request: Request,
    viewer: SignedIn,
    session: SessionDep,
    settings: SettingsDep,
    now: datetime,
    proposal_id: int,
    exc: ApiError,
    chosen: str,
) -> Response:
    """The choice page again, the refusal in the proposal's card (its status code)."""
    session.rollback()
    proposals = review.my_proposals(session=session, user=viewer.user)
    if exc.extra.get("code") == "off":
        raise exc
    if all(p.id != proposal_id for p in proposals):  # not theirs, or no longer open
        raise NotFound(service.NOT_FOUND, field="proposal_id")
    offers = coach_offers(session, proposals, today=now.date())
    cards = chemistry.cards(session=session, settings=settings, proposals=proposals, now=now)
    shown = cards[proposal_id]
    # a slot refused: the next valid starts after it; else the free starts as they are now
    after = tuple(datetime.fromisoformat(s) for s in exc.extra.get("next_starts", ()))
    cards[proposal_id] = chemistry.Card(
        proposal_id,
        shown.minutes,
        shown.call,
        after or shown.starts,
        error=str(exc.extra.get("code", "start_at")),
        chosen=chosen,
    )
    return render(
        request,
        viewer,
        "my/proposals.html",
        status=exc.status_code,
        offers=offers,
        chemistry=cards,
    )


@router.post("/my/proposals/{proposal_id}/chemistry-call")
def book_call(
    request: Request,
    viewer: Coachee,
    form: Form,
    data: Annotated[CallForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    proposal_id: RowId,
) -> Response:
    now = clock.now()
    start = _start(data.start_at)
    chosen = data.start_at[:40]
    try:
        if start is None:
            service.minutes_of(settings)
            raise InvalidInput(service.PAST, field="start_at", code="start_at")
        service.book(
            session=session,
            settings=settings,
            proposal_id=proposal_id,
            actor=viewer.user,
            start=start,
            now=now,
        )
    except ApiError as exc:
        return _refused(request, viewer, session, settings, now, proposal_id, exc, chosen)
    return redirect(f"/my/proposals#offer-{proposal_id}", flash="flash.chemistry_booked")


@router.post("/my/proposals/{proposal_id}/chemistry-call/cancel")
def cancel_call(
    request: Request,
    viewer: Coachee,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    proposal_id: RowId,
) -> Response:
    now = clock.now()
    try:
        service.cancel(
            session=session, settings=settings, proposal_id=proposal_id, actor=viewer.user, now=now
        )
    except ApiError as exc:
        if exc.extra.get("code") == "no_call":  # cancelled already (a second click)
            return redirect(f"/my/proposals#offer-{proposal_id}")
        return _refused(request, viewer, session, settings, now, proposal_id, exc, "")
    return redirect(f"/my/proposals#offer-{proposal_id}", flash="flash.chemistry_cancelled")


def _calls_page(
    request: Request,
    viewer: SignedIn,
    session: Session,
    now: datetime,
    when_page: tuple[str, int],
    coach_id: int | None,
) -> Response:
    """The calls still to end or those over (`when`), with who, when and their state."""
    when = when_page[0] if when_page[0] in WHEN else WHEN[0]
    p = pager(when_page[1], {"when": when})
    rows, total = service.list_calls(
        session=session,
        now=now,
        upcoming=when == "upcoming",
        limit=p.limit,
        offset=p.offset,
        coach_id=coach_id,
    )
    return render(
        request,
        viewer,
        "chemistry_calls.html",
        here=request.url.path,
        calls=rows,
        when=when,
        tabs=WHEN,
        show_coach=coach_id is None,
        coachees=lookups.person_names(session, [c.coachee_id for c in rows]),
        coaches=lookups.coach_names(session, [c.coach_id for c in rows]),
        pager=with_total(p, total),
    )


@router.get("/hr/chemistry-calls")
def hr_calls_page(
    request: Request,
    viewer: HRPage,
    session: SessionDep,
    clock: ClockDep,
    when: str = "upcoming",
    page: int = 1,
) -> Response:
    return _calls_page(request, viewer, session, clock.now(), (when, page), None)


@router.get("/coach/chemistry-calls")
def coach_calls_page(
    request: Request,
    viewer: CoachPage,
    session: SessionDep,
    clock: ClockDep,
    when: str = "upcoming",
    page: int = 1,
) -> Response:
    """The coach's own calls only (an account with no coach row has none)."""
    coach_id = viewer.user.coach_id or 0
    return _calls_page(request, viewer, session, clock.now(), (when, page), coach_id)
