"""Load the demo programme into a database through the service functions (org import,
coaches, availability, accounts, requests), once: a database that already holds it is
left alone, one that holds anything else is refused unless reset, and a load cut short
leaves the database empty, as it found it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from api.accounts.service import create_admin, create_user
from api.availability.schemas import ExceptionCreate, WeeklyWindowCreate
from api.availability.service import add_exception, add_weekly
from api.coaches.schemas import CoachCreate
from api.coaches.service import create_coach
from api.db import downgrade_database, upgrade_database
from api.errors import Conflict
from api.models import Coach, CoachingRequest, Person, User
from api.models.enums import Role
from api.people.service import import_org_chart
from api.requests.schemas import RequestCreate
from api.requests.service import create_request
from api.security import Passwords
from api.settings import Settings
from api.travel.service import set_travel

from .content import ACCOUNTS, REQUESTS, DemoProgramme, build

log = logging.getLogger(__name__)

NOT_EMPTY = (
    "the database already holds data that is not the complete demo programme; "
    "run `coachmatch demo --reset` to erase it and load the demo"
)


@dataclass(frozen=True)
class DemoCounts:
    people: int
    internal_coaches: int
    external_coaches: int
    requests: int
    users: int


@dataclass(frozen=True)
class DemoLoad:
    loaded: bool  # False: the demo was already there
    counts: DemoCounts


def demo_start(now: datetime) -> date:
    """The programme's first day: the Monday after `now`."""
    today = now.date()
    return today + timedelta(days=7 - today.weekday())


def counts(session: Session) -> DemoCounts:
    def count(model: type, *where: Any) -> int:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())

    return DemoCounts(
        people=count(Person),
        internal_coaches=count(Coach, col(Coach.person_id).is_not(None)),
        external_coaches=count(Coach, col(Coach.person_id).is_(None)),
        requests=count(CoachingRequest),
        users=count(User),
    )


def demo_present(session: Session) -> bool:
    """Every demo sign-in exists (they are written last)."""
    emails = [a.email for a in ACCOUNTS]
    found = session.exec(select(func.count()).where(col(User.email).in_(emails))).one()
    return int(found) == len(emails)


def load_demo(
    *,
    engine: Engine,
    settings: Settings,
    now: datetime,
    reset: bool = False,
    requests: int = REQUESTS,
) -> DemoLoad:
    """Migrate the database and load the demo programme, unless it is already there.
    `reset` erases the database first (every table, down to an empty schema); fewer
    `requests` (tests) keep the same org, coaches, accounts and first requests."""
    if reset:
        downgrade_database(engine, "base")
        log.info("database erased for the demo")
    upgrade_database(engine)
    with Session(engine, expire_on_commit=False) as session:
        if demo_present(session):
            return DemoLoad(loaded=False, counts=counts(session))
        if any(n for n in _sizes(session)):
            raise Conflict(NOT_EMPTY)
        programme = build(start=demo_start(now), requests=requests)
        try:
            _write(session, settings=settings, programme=programme, now=now)
        except BaseException:
            # The service functions commit step by step; the database was empty, so a
            # load cut short (an error, Ctrl-C) is undone by emptying it again.
            session.rollback()
            session.close()
            log.error("demo load failed: erasing what it wrote")
            downgrade_database(engine, "base")
            upgrade_database(engine)
            raise
        log.info("demo programme loaded")
        return DemoLoad(loaded=True, counts=counts(session))


def _sizes(session: Session) -> tuple[int, int, int, int]:
    c = counts(session)
    return (c.people, c.internal_coaches + c.external_coaches, c.requests, c.users)


def _write(
    session: Session, *, settings: Settings, programme: DemoProgramme, now: datetime
) -> None:
    passwords = Passwords(settings)
    import_org_chart(  # an empty database: nobody to deactivate, no address changes
        session=session, content=programme.org_csv, now=now, settings=settings
    )
    person_id = dict(session.exec(select(Person.external_id, Person.id)).all())
    for a, b, minutes in programme.travel:
        set_travel(session=session, a=a, b=b, minutes=minutes, now=now)

    coach_id: dict[str, int] = {}
    for demo in programme.coaches:
        coach_data = CoachCreate.model_validate(
            demo.fields | ({"person_id": person_id[demo.person]} if demo.person else {})
        )
        coach = create_coach(session=session, data=coach_data, now=now)
        assert coach.id is not None
        coach_id[demo.key] = coach.id
        zone = demo.fields["timezone"]
        for weekday, start, end in demo.weekly:
            window = WeeklyWindowCreate(
                weekday=weekday, start_time=start, end_time=end, timezone=zone
            )
            add_weekly(session=session, coach_id=coach.id, data=window, now=now)
        for start_at, end_at, reason in demo.leave:
            away = ExceptionCreate(start_at=start_at, end_at=end_at, reason=reason)
            add_exception(session=session, coach_id=coach.id, data=away, now=now)

    hr_account, coach_account, coachee_account, sponsor_account = ACCOUNTS
    hr = create_admin(
        session=session,
        passwords=passwords,
        settings=settings,
        email=hr_account.email,
        password=hr_account.password,
        name="Service RH (démo)",
        now=now,
    )
    for demo_request in programme.requests:
        data = RequestCreate.model_validate(
            demo_request.fields
            | {
                "coachee_id": person_id[demo_request.coachee],
                "sponsor_id": person_id[demo_request.sponsor] if demo_request.sponsor else None,
            }
        )
        create_request(session=session, data=data, actor=hr, now=now)

    # The demo sign-ins last: their presence says the demo is complete.
    people = {
        Role.coach: (None, coach_id[programme.account_coach], coach_account),
        Role.coachee: (person_id[programme.account_people["coachee"]], None, coachee_account),
        Role.sponsor: (person_id[programme.account_people["sponsor"]], None, sponsor_account),
    }
    for role, (pid, cid, account) in people.items():
        linked = session.get_one(Person, pid) if pid else None
        account_coach = session.get_one(Coach, cid) if cid else None
        create_user(
            session=session,
            passwords=passwords,
            settings=settings,
            email=account.email,
            password=account.password,
            name=(linked.name if linked else account_coach.name if account_coach else "") or "",
            role=role,
            language="fr",
            person_id=pid,
            coach_id=cid,
            now=now,
        )
