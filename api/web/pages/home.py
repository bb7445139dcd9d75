"""Home pages per role (issue 14, item 8): the coach's week, the coachee's and the
sponsor's next steps. HR's home is the dashboard (`/hr`).

Every row comes from the services the other pages use (`api.engagements.service`,
`.contract`, `api.rounds.review`, `api.evaluations.service`, `api.sessions.invites`).
These pages never show a brief nor a contract's objectives: what awaits the reader is
named and linked, the text stays on the engagement's or the request's own page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from api.deps import ClockDep, SessionDep, SettingsDep
from api.engagements import contract
from api.engagements import service as engagements
from api.engagements.lifecycle import ALLOWED, LIVE, Action
from api.engagements.schemas import EngagementView
from api.evaluations import service as evaluations
from api.i18n import t
from api.models import Coach, CoachingRequest, CoachingSession, Engagement, User
from api.models.enums import EngagementStatus, Role, SessionStatus
from api.rounds import review
from api.sessions.invites import Place, place
from api.settings import Settings
from api.web import lookups
from api.web.render import render
from api.web.route import page_router
from api.web.viewer import CoachPage, SignedIn, need

router = page_router()
PartyHome = Annotated[SignedIn, Depends(need(Role.coachee, Role.sponsor))]
WEEK = timedelta(days=7)
SHOWN = 100  # sessions listed on a home page at most (a week's, or the next few)
NEXT = 5  # the coachee's and sponsor's next sessions


@dataclass(frozen=True)
class Awaiting:
    """One thing the reader has to do on an engagement: a catalog key and the link."""

    key: str
    href: str


@dataclass
class Item:
    engagement: EngagementView
    awaits: list[Awaiting] = field(default_factory=list)


def _awaits(session: Session, user: User, view: EngagementView) -> list[Awaiting]:
    """What the engagement waits for from `user` (by their part in it), from its state
    and its contract's acknowledgements."""
    if view.state not in LIVE:
        return []
    engagement = session.get_one(Engagement, view.id)
    request = session.get_one(CoachingRequest, view.request_id)
    party = contract.party_role(user, request)
    href = f"/my/engagements/{view.id}"
    shown = contract.contract_view(session, engagement, request)
    out = []
    if party == "coach" and shown.version == 0 and view.state in ALLOWED[Action.contract]:
        out.append(Awaiting("home.await.contract_write", href))
    elif shown.version > 0 and party in shown.pending:
        out.append(Awaiting("home.await.acknowledge", href))
    if party == "coach" and view.state in ALLOWED[Action.review]:
        out.append(Awaiting("home.await.review", href))
    if party == "coach" and view.state in ALLOWED[Action.close]:
        out.append(Awaiting("home.await.close", href))
    return out


def _items(session: Session, user: User) -> list[Item]:
    return [
        Item(v, _awaits(session, user, v))
        for v in engagements.my_engagements(session=session, user=user)
    ]


def _places(session: Session, settings: Settings, rows: list[CoachingSession]) -> dict[int, Place]:
    """Each engagement's place or join link, read only (as the feed does)."""
    out: dict[int, Place] = {}
    for row in rows:
        if row.engagement_id in out:
            continue
        engagement = session.get_one(Engagement, row.engagement_id)
        request = session.get_one(CoachingRequest, engagement.request_id)
        coach = session.get_one(Coach, engagement.coach_id)
        out[row.engagement_id] = place(session, settings, request, coach, engagement, create=False)
    return out


def counted(key: str, count: int, lang: str) -> str:
    """`key` with `count`, in the plural form the count takes (the catalog's CLDR rule)."""
    return t(key, lang, count=count)


def _by_state(items: list[Item]) -> list[tuple[EngagementStatus, list[Item]]]:
    return [
        (s, [i for i in items if i.engagement.state == s])
        for s in EngagementStatus
        if any(i.engagement.state == s for i in items)
    ]


@router.get("/coach")
def coach_home(
    request: Request,
    viewer: CoachPage,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    """My week: the next seven days' sessions, the engagements by state with what awaits."""
    user = viewer.user
    now: datetime = clock.now()
    rows, total = engagements.list_sessions(
        session=session, user=user, engagement_id=None, start=now, end=now + WEEK,
        status=SessionStatus.planned, limit=SHOWN, offset=0,
    )  # fmt: skip
    items = _items(session, user)
    mine = {i.engagement.id: i.engagement for i in items}
    return render(
        request,
        viewer,
        "coach/home.html",
        sessions=rows,
        more=total - len(rows),
        engagements=mine,
        places=_places(session, settings, rows),
        by_state=_by_state(items),
        awaiting=[a for i in items for a in i.awaits],
        # Released answers only (k at least, anonymous): `api.evaluations.service`.
        evaluations=evaluations.coach_summary(session=session, settings=settings, user=user),
        names=lookups.person_names(session, [e.coachee_id for e in mine.values()]),
        counted=lambda key, count: counted(key, count, viewer.lang),
    )


@router.get("/my")
def party_home(
    request: Request,
    viewer: PartyHome,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    """Next steps: the next sessions, and what awaits the coachee or the sponsor."""
    user = viewer.user
    now = clock.now()
    rows, total = engagements.list_sessions(
        session=session, user=user, engagement_id=None, start=now, end=None,
        status=SessionStatus.planned, limit=NEXT, offset=0, attended=True,
    )  # fmt: skip
    items = _items(session, user)
    mine = {i.engagement.id: i.engagement for i in items}
    proposals = review.my_proposals(session=session, user=user) if user.role == Role.coachee else []
    # Counted only: an invitation carries the contract's objectives, shown on its own page.
    open_evaluations = len(evaluations.open_evaluations(session=session, user=user, now=now))
    return render(
        request,
        viewer,
        "my/home.html",
        sessions=rows,
        more=total - len(rows),
        engagements=mine,
        places=_places(session, settings, rows),  # a sponsor's: the first sessions they attend
        followed=items,
        awaiting=[a for i in items for a in i.awaits],
        proposal_requests=len({p.request_id for p in proposals}),
        open_evaluations=open_evaluations,
        names=lookups.person_names(session, [e.coachee_id for e in mine.values()]),
        counted=lambda key, count: counted(key, count, viewer.lang),
    )
