"""HR's list of themes, and the coaches' tags on their own engagements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from api import messages
from api.db import get_or_404
from api.errors import Conflict, InvalidInput, NotFound
from api.models import Engagement, EngagementTheme, Theme, User

from .schemas import TagsView, ThemeIn, ThemeUpdate, ThemeView


def _view(theme: Theme) -> ThemeView:
    return ThemeView.model_validate(theme.model_dump())


def list_themes(*, session: Session, active_only: bool = False) -> list[ThemeView]:
    query = select(Theme).order_by(col(Theme.code))
    if active_only:
        query = query.where(Theme.active == True)  # noqa: E712
    return [_view(t) for t in session.exec(query)]


def create_theme(*, session: Session, data: ThemeIn, now: datetime) -> ThemeView:
    if session.exec(select(Theme).where(Theme.code == data.code)).first() is not None:
        raise Conflict(messages.THEME_CODE_TAKEN, field="code")
    theme = Theme(**data.model_dump(), created_at=now)
    session.add(theme)
    session.commit()
    return _view(theme)


def update_theme(*, session: Session, theme_id: int, data: ThemeUpdate) -> ThemeView:
    theme: Theme = get_or_404(session, Theme, theme_id, "theme")
    for name, value in data.model_dump(exclude_none=True).items():
        setattr(theme, name, value)
    session.add(theme)
    session.commit()
    return _view(theme)


def delete_theme(*, session: Session, theme_id: int) -> None:
    theme: Theme = get_or_404(session, Theme, theme_id, "theme")
    if session.exec(select(EngagementTheme).where(EngagementTheme.theme_id == theme_id)).first():
        raise Conflict(messages.THEME_IN_USE, field="theme_id")
    session.delete(theme)
    session.commit()


def _coached(session: Session, user: User, engagement_id: int) -> Engagement:
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or user.coach_id is None or engagement.coach_id != user.coach_id:
        raise NotFound(messages.NOT_FOUND.format(what="engagement"))
    return engagement


def tags_of(session: Session, engagement_id: int) -> list[str]:
    return list(
        session.exec(
            select(Theme.code)
            .join(EngagementTheme, col(EngagementTheme.theme_id) == Theme.id)
            .where(EngagementTheme.engagement_id == engagement_id)
            .order_by(col(Theme.code))
        )
    )


def my_tags(*, session: Session, user: User, engagement_id: int) -> TagsView:
    _coached(session, user, engagement_id)
    return TagsView(engagement_id=engagement_id, themes=tags_of(session, engagement_id))


def set_tags(*, session: Session, user: User, engagement_id: int, codes: list[str]) -> TagsView:
    """Replace the engagement's themes with `codes`, each an active theme of HR's list."""
    _coached(session, user, engagement_id)
    wanted = sorted(set(codes))
    active = {t.code: t for t in session.exec(select(Theme).where(Theme.active == True))}  # noqa: E712
    unknown = [c for c in wanted if c not in active]
    if unknown:
        raise InvalidInput(messages.THEME_UNKNOWN.format(codes=", ".join(unknown)), field="themes")
    session.execute(
        delete(EngagementTheme).where(col(EngagementTheme.engagement_id) == engagement_id)
    )
    session.add_all(
        EngagementTheme(engagement_id=engagement_id, theme_id=active[c].id or 0) for c in wanted
    )
    session.commit()
    return TagsView(engagement_id=engagement_id, themes=wanted)
