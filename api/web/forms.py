"""Form input for the service functions: strings in, schemas out, errors per field.

A page reads its form into a dict named after the service schema's fields, validates it
with that schema and calls the service; any refusal (validation, service rule, scheduling
core) becomes `FormInvalid` with a translated message per field, shown next to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

from api.errors import ApiError, ImportRejected
from api.i18n import t
from api.i18n.dates import zone
from api.i18n.errors import translate_message, translate_validation
from scheduling.errors import SchedulingError

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
FORM = "_form"  # the key of an error that names no field


class FormInvalid(Exception):
    def __init__(
        self,
        errors: dict[str, str],
        lines: list[dict[str, Any]] | None = None,
        status: int = 422,
        line_count: int | None = None,
    ) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors
        self.lines = lines or []  # a refused file: its first errors with their line
        self.line_count = len(self.lines) if line_count is None else line_count  # all of them
        self.status = status  # the page's HTTP status (413 for a file over the limit...)


def attempt(action: Callable[[], T], lang: str, *, aliases: Mapping[str, str] | None = None) -> T:
    """Run `action`; a refusal becomes FormInvalid (fields renamed by `aliases`)."""
    aliases = aliases or {}

    def name(field: str | None) -> str:
        return aliases.get(field, field) if field else FORM

    try:
        return action()
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            loc = error.get("loc") or ()
            errors.setdefault(name(str(loc[0]) if loc else None), translate_validation(error, lang))
        raise FormInvalid(errors) from exc
    except ImportRejected as exc:
        lines = [
            {**line, "message": translate_message(str(line.get("message", "")), lang)}
            for line in exc.errors
        ]
        message = translate_message(exc.message, lang)
        raise FormInvalid(
            {name(exc.field): message}, lines, exc.status_code, exc.error_count
        ) from exc
    except ApiError as exc:
        message = translate_message(exc.message, lang)
        raise FormInvalid({name(exc.field): message}, status=exc.status_code) from exc
    except SchedulingError as exc:
        raise FormInvalid({name(exc.field): translate_message(exc.message, lang)}) from exc


def validate(schema: type[M], values: Mapping[str, Any]) -> M:
    return schema.model_validate(dict(values))


def invalid(field: str, key: str, lang: str, **values: object) -> FormInvalid:
    return FormInvalid({field: t(key, lang, **values)})


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def fields(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    """The non-empty text fields among `names` (empty ones are left to the defaults)."""
    return {n: v for n in names if (v := text(form, n))}


def local_moment(raw: str, zone_name: str) -> str | None:
    """A `datetime-local` field's value read in `zone_name`, as ISO 8601 with its offset."""
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return raw  # left to the schema, which names the field
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(zone_name))
    return moment.isoformat()


def listed(form: FormData, name: str) -> list[str]:
    """A comma-separated field as a list ("fr, en" -> ["fr", "en"])."""
    return [part.strip() for part in text(form, name).split(",") if part.strip()]


def checked(form: FormData, name: str) -> list[str]:
    """The values of a group of checkboxes."""
    return [v for v in form.getlist(name) if isinstance(v, str) and v]


def upload(form: FormData, name: str) -> UploadFile | None:
    value = form.get(name)
    if isinstance(value, UploadFile) and value.filename:
        return value
    return None


def shown(form: FormData, *hidden: str) -> dict[str, Any]:
    """What to put back in the fields after a refusal (never the `hidden` ones)."""
    out: dict[str, Any] = {}
    for key in form:
        if key in hidden or key == "csrf":
            continue
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        out[key] = values if len(values) > 1 else (values[0] if values else "")
    return out


def refusal(exc: FormInvalid, form: FormData, *hidden: str) -> dict[str, Any]:
    """What a page shows again after a refusal: its status, the errors next to their
    fields, and the input kept (never the `hidden` fields)."""
    return {"status": exc.status, "errors": exc.errors, "values": shown(form, *hidden)}


def section_refusal(section: str, exc: FormInvalid, form: FormData) -> dict[str, Any]:
    """The same for one form (`section`) of a page with several."""
    return {
        "status": exc.status,
        "errors": {section: exc.errors},
        "values": {section: shown(form)},
    }
