"""HR's history of one request (/hr/requests/{id}/history), linked from the request's
page: what happened to it, in time order, each line in the reader's words and dates
(the events are `api.requests.history`'s)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from api.deps import SessionDep
from api.i18n import t, t_or
from api.i18n.dates import format_datetime
from api.models import CoachingRequest
from api.requests.history import Event, request_history
from api.types import RowId
from api.web import lookups
from api.web.render import render
from api.web.route import page_router
from api.web.viewer import HRPage

router = page_router()


@dataclass(frozen=True)
class Line:
    """One event as the page shows it."""

    at: str
    what: str
    by: str
    link: str


def _field(name: str, lang: str) -> str:
    if name == "sponsor_id":
        return t("col.sponsor", lang)
    return t_or(f"field.{name}", lang, name)


def describe(event: Event, lang: str, zone: str | None) -> str:
    """The event in the reader's words (its times in their zone)."""
    start = format_datetime(event.start, lang, zone) if event.start else ""
    coach, number, reason = event.coach, event.number, event.reason
    match event.kind:
        case "submitted":
            return t("history.submitted", lang)
        case "edited":
            fields = ", ".join(_field(f, lang) for f in event.fields)
            return t("history.edited", lang, fields=fields)
        case "cancelled" if reason:
            return t("history.cancelled_because", lang, reason=reason)
        case "cancelled":
            return t("history.cancelled", lang)
        case "restored":
            return t("history.restored", lang)
        case "proposed":
            return t("history.proposed", lang, coaches=", ".join(event.coaches))
        case "rejected" if reason:
            return t("history.rejected_because", lang, coach=coach, reason=reason)
        case "rejected":
            return t("history.rejected", lang, coach=coach)
        case "call_booked":
            return t("history.call_booked", lang, coach=coach, start=start)
        case "call_cancelled":
            return t("history.call_cancelled", lang, coach=coach, start=start)
        case "confirmed":
            return t("history.confirmed", lang, coach=coach)
        case "chosen":
            return t("history.chosen", lang, coach=coach)
        case "coach_changed":
            return t("history.coach_changed", lang, coach=coach)
        case "contract":
            return t("history.contract", lang, number=number)
        case "acknowledged":
            role = t_or(f"party.{event.code}", lang, event.code)
            return t("history.acknowledged", lang, number=number, name=coach, role=role)
        case "session_booked" if start:
            return t("history.session_booked", lang, number=number, start=start)
        case "session_booked":
            return t("history.session_booked_plain", lang, number=number)
        case "session_moved" if start:
            return t("history.session_moved", lang, number=number, start=start)
        case "session_moved":
            return t("history.session_moved_plain", lang, number=number)
        case "session_ended":
            status = t_or(f"status.session.{event.code}", lang, event.code)
            return t("history.session_ended", lang, number=number, start=start, status=status)
        case "engagement_completed":
            return t("history.engagement_completed", lang, coach=coach)
        case "engagement_ended_early":
            why = t_or(f"reason.end.{event.code}", lang, event.code or "—")
            return t("history.engagement_ended_early", lang, coach=coach, reason=why)
        case "engagement_reassigned":
            return t("history.engagement_reassigned", lang, coach=coach)
        case "closed":
            return t("history.closed", lang)
    raise ValueError(f"unknown history event {event.kind!r}")


def _by(event: Event, lang: str) -> str:
    if event.actor:
        return event.actor
    return t_or(f"role.{event.actor_role}", lang, "—") if event.actor_role else "—"


@router.get("/hr/requests/{request_id}/history")
def history_page(
    request: Request, viewer: HRPage, session: SessionDep, request_id: RowId
) -> Response:
    events = request_history(session=session, request_id=request_id)
    row = session.get_one(CoachingRequest, request_id)
    name = lookups.person_names(session, [row.coachee_id]).get(row.coachee_id, "—")
    lines = [
        Line(
            at=format_datetime(e.at, viewer.lang, viewer.zone),
            what=describe(e, viewer.lang, viewer.zone),
            by=_by(e, viewer.lang),
            link=e.link,
        )
        for e in events
    ]
    return render(
        request,
        viewer,
        "hr/request_history.html",
        here=f"/hr/requests/{request_id}/history",
        request_id=request_id,
        coachee=name,
        lines=lines,
    )
