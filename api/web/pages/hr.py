"""HR's dashboard. The other HR pages are in the modules named after what they list:
`hr_people`, `hr_accounts`, `hr_coaches`, `hr_pipeline` and `hr_requests`,
`hr_engagements`, `hr_sessions`, `hr_outbox`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from api.coaches import service as coaches
from api.deps import ClockDep, SessionDep, SettingsDep
from api.engagements import service as engagements
from api.models.enums import EngagementStatus, RequestStatus, SessionStatus
from api.reports import dashboard as report_dashboard
from api.reports import service as report_service
from api.requests import service as requests
from api.web import lookups
from api.web.render import render
from api.web.route import page_router
from api.web.viewer import HRPage

router = page_router()


@router.get("/hr")
def dashboard(
    request: Request,
    viewer: HRPage,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    year: Annotated[int | None, Query(ge=1970, le=9999)] = None,
) -> Response:
    def requests_in(status: RequestStatus) -> int:
        return requests.list_requests(
            session=session, status=status, coachee_id=None, sponsor_id=None, limit=1, offset=0
        )[1]

    waiting = (RequestStatus.open, RequestStatus.proposed, RequestStatus.matched)
    counts = {status.value: requests_in(status) for status in waiting}
    counts["coaches"] = coaches.list_coaches(
        session=session, kind=None, active=True, q=None, limit=1, offset=0
    )[1]
    upcoming, counts["sessions"] = engagements.list_sessions(
        session=session,
        user=None,
        engagement_id=None,
        start=clock.now(),
        end=None,
        status=SessionStatus.planned,
        limit=5,
        offset=0,
    )
    # who each upcoming session is for (at most five: one look-up each)
    of = {
        s.engagement_id: engagements.get_engagement(session=session, engagement_id=s.engagement_id)
        for s in upcoming
    }
    flagged, _ = engagements.list_engagements(
        session=session, status=EngagementStatus.flagged, coach_id=None, limit=100, offset=0
    )
    return render(
        request,
        viewer,
        "hr/dashboard.html",
        counts=counts,
        flagged=flagged,
        upcoming=[(s, of[s.engagement_id]) for s in upcoming],
        names=lookups.person_names(session, [e.coachee_id for e in [*flagged, *of.values()]]),
        reports=report_dashboard.build(
            session=session,
            settings=settings,
            today=clock.now().astimezone(report_service.zone(settings)).date(),
            lang=viewer.lang,
            year=year,
        ),
    )
