"""Pages' forms parsed by FastAPI into pydantic models (`Annotated[Model, Form()]`, issue
14 item 7) rather than read field by field.

Every field is a string with a default, so parsing itself refuses nothing: the service
schema then validates the filled fields (`forms.validate`) and a refusal is translated
next to its field, as before. The CSRF token is checked by `checked_form`, not here."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from api.web import forms


class PageForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    def filled(self, *names: str) -> dict[str, str]:
        """The non-empty fields (all, or those among `names`): empty ones take defaults."""
        values = self.model_dump()
        return {n: v for n, v in values.items() if v and (not names or n in names)}


class ConfirmForm(PageForm):
    """A destructive action's form: `confirm=yes` from its confirmation, and a reason
    where the action keeps one."""

    confirm: str = ""
    reason: str = ""

    @property
    def confirmed(self) -> bool:
        return self.confirm == "yes"


class UndoForm(PageForm):
    """An "Undo" button: what it undoes (a signed token, or the time of the action)."""

    token: str = ""
    at: str = ""


class WeeklyForm(PageForm):
    """A weekly window (a coach's, or a coachee's or sponsor's own)."""

    weekday: str = ""
    start_time: str = ""
    end_time: str = ""


class IntervalForm(PageForm):
    """Time away or an extra window: two `datetime-local` fields, read in the zone of
    whose availability it is, and a reason where it keeps one."""

    start_at: str = ""
    end_at: str = ""
    reason: str = ""

    def moments(self, zone_name: str) -> dict[str, str | None]:
        return {
            "start_at": forms.local_moment(self.start_at, zone_name),
            "end_at": forms.local_moment(self.end_at, zone_name),
        }


class ConflictForm(PageForm):
    coach_id: str = ""
    person_id: str = ""
    reason: str = ""


class AdjustmentForm(PageForm):
    coach_id: str = ""
    request_id: str = ""
    kind: str = ""
    weight: str = ""
    reason: str = ""


class RequestEditForm(PageForm):
    """HR's edit of an open request (`RequestUpdate` validates it)."""

    coaching_type: str = ""
    language: str = ""
    modality: str = ""
    sessions: str = ""
    session_minutes: str = ""
    cadence_days: str = ""
    priority: str = ""
    themes: str = ""  # comma-separated
    sponsor_id: str = ""  # a person picked by name, email or id

    def theme_list(self) -> list[str]:
        return [part.strip() for part in self.themes.split(",") if part.strip()]
