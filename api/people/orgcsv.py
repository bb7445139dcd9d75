"""Read and check an org-chart CSV; every problem is reported with its line number.

Columns (header names are case-insensitive, spaces count as underscores):
id, name, email, manager_id, timezone (required); unit, site, language (optional).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from api import messages
from api.validation import check_email, check_language, check_timezone
from matcher.errors import OrgChartError
from matcher.orgchart import OrgChart

REQUIRED = ("id", "name", "email", "manager_id", "timezone")
OPTIONAL = ("unit", "site", "language")
ALIASES = {"manager": "manager_id", "time_zone": "timezone", "tz": "timezone"}
LIMITS = {"id": 100, "name": 200, "email": 254, "unit": 200, "site": 200, "manager_id": 100}
MAX_CYCLES_REPORTED = 50
MAX_ERRORS_LISTED = 100  # a refusal lists the first errors by line, and counts them all


@dataclass(frozen=True)
class Row:
    line: int
    external_id: str
    name: str
    email: str
    manager_id: str | None
    unit: str
    site: str
    timezone: str
    language: str


def _error(line: int | None, field: str | None, message: str) -> dict[str, Any]:
    return {"line": line, "field": field, "message": message}


class ErrorLog:
    """Every error found is counted; only the first ``keep`` by line are kept, so a file
    with a million bad lines costs neither a million dicts nor a 76 MB response."""

    def __init__(self, keep: int = MAX_ERRORS_LISTED) -> None:
        self.keep = keep
        self.count = 0
        self._kept: list[dict[str, Any]] = []

    def append(self, error: dict[str, Any]) -> None:
        self.count += 1
        self._kept.append(error)
        if len(self._kept) >= 2 * self.keep:
            self._kept = sorted(self._kept, key=_sort_key)[: self.keep]

    def extend(self, errors: list[dict[str, Any]]) -> None:
        for error in errors:
            self.append(error)

    def listed(self) -> list[dict[str, Any]]:
        """The first ``keep`` errors, by line then field."""
        return sorted(self._kept, key=_sort_key)[: self.keep]

    def __len__(self) -> int:
        return self.count


def _header(name: str) -> str:
    key = name.strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)


def _one(line: int | None, field: str, message: str) -> ErrorLog:
    errors = ErrorLog()
    errors.append(_error(line, field, message))
    return errors


def parse(content: bytes) -> tuple[list[Row], ErrorLog, OrgChart | None]:
    """The rows, the errors found (all counted, the first listed), and the org chart when
    there are no errors."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], _one(None, "file", messages.CSV_NOT_UTF8), None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], _one(1, "file", messages.CSV_EMPTY), None
    except csv.Error as exc:
        return [], _one(1, "file", str(exc)), None
    columns = [_header(h) for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    unknown = [h for h, c in zip(header, columns, strict=True) if c not in REQUIRED + OPTIONAL]
    errors = ErrorLog()
    if missing:
        errors.append(
            _error(1, "header", messages.CSV_MISSING_COLUMNS.format(columns=", ".join(missing)))
        )
    if unknown:
        errors.append(
            _error(1, "header", messages.CSV_UNKNOWN_COLUMNS.format(columns=", ".join(unknown)))
        )
    if errors:
        return [], errors, None

    rows: list[Row] = []
    first_id: dict[str, int] = {}
    first_email: dict[str, int] = {}
    manager_refs: list[tuple[int, str]] = []
    line = reader.line_num
    while True:
        start = line + 1  # a quoted field may span lines: report where the record starts
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(_error(start, None, str(exc)))
            break
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            errors.append(
                _error(
                    start, None, messages.CSV_BAD_ROW.format(got=len(values), expected=len(columns))
                )
            )
            continue
        record = {c: v.strip() for c, v in zip(columns, values, strict=True)}
        row_errors: list[dict[str, Any]] = [
            _error(start, field, messages.NUL_CHARACTER)
            for field, value in record.items()
            if "\x00" in value  # no database text can hold one
        ]
        for field in ("id", "name", "email", "timezone"):
            if not record[field]:
                row_errors.append(_error(start, field, messages.CSV_REQUIRED))
        for field, limit in LIMITS.items():
            if len(record.get(field, "")) > limit:
                row_errors.append(
                    _error(
                        start,
                        field,
                        messages.TOO_LONG.format(length=len(record[field]), limit=limit),
                    )
                )
        email = record["email"]
        if email:
            try:
                email = check_email(email)
            except ValueError as exc:
                row_errors.append(_error(start, "email", str(exc)))
        if record["timezone"]:
            try:
                check_timezone(record["timezone"])
            except ValueError as exc:
                row_errors.append(_error(start, "timezone", str(exc)))
        language = record.get("language") or "en"
        try:
            check_language(language)
        except ValueError as exc:
            row_errors.append(_error(start, "language", str(exc)))
        pid = record["id"]
        if pid in first_id:
            row_errors.append(
                _error(
                    start, "id", messages.CSV_DUPLICATE_ID.format(value=pid, first=first_id[pid])
                )
            )
        elif pid:
            first_id[pid] = start
        if email and email in first_email:
            row_errors.append(
                _error(
                    start,
                    "email",
                    messages.CSV_DUPLICATE_EMAIL.format(value=email, first=first_email[email]),
                )
            )
        elif email:
            first_email[email] = start
        if pid and record["manager_id"] == pid:
            row_errors.append(_error(start, "manager_id", messages.CSV_SELF_MANAGER))
        elif record["manager_id"]:
            manager_refs.append((start, record["manager_id"]))
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            Row(
                line=start,
                external_id=pid,
                name=record["name"],
                email=email,
                manager_id=record["manager_id"] or None,
                unit=record.get("unit", ""),
                site=record.get("site", ""),
                timezone=record["timezone"],
                language=language,
            )
        )

    # Managers are checked against every id in the file, valid row or not, so one bad
    # row does not cascade into "unknown manager" errors for its reports.
    for ref_line, manager in manager_refs:
        if manager not in first_id:
            errors.append(
                _error(ref_line, "manager_id", messages.CSV_UNKNOWN_MANAGER.format(value=manager))
            )
    if errors:
        return rows, errors, None
    chart, cycle_errors = _build_chart(rows)
    errors.extend(cycle_errors)
    return rows, errors, chart


def _sort_key(error: dict[str, Any]) -> tuple[int, str]:
    return (error["line"] or 0, error["field"] or "")


def _build_chart(rows: list[Row]) -> tuple[OrgChart | None, list[dict[str, Any]]]:
    """OrgChart.build validates the forest; cut each cycle it reports and retry, so every
    cycle is listed rather than only the first."""
    line_of = {r.external_id: r.line for r in rows}
    links: dict[str, str | None] = {r.external_id: r.manager_id for r in rows}
    errors: list[dict[str, Any]] = []
    for _ in range(MAX_CYCLES_REPORTED):
        try:
            chart = OrgChart.build(links.items())
        except OrgChartError as exc:
            people = list(exc.people)
            if not people:
                errors.append(_error(None, "manager_id", str(exc)))
                break
            label = " -> ".join(people + people[:1])
            for person in people:
                errors.append(
                    _error(
                        line_of.get(person), "manager_id", messages.CSV_CYCLE.format(people=label)
                    )
                )
                links[person] = None
            continue
        return (chart if not errors else None), sorted(errors, key=_sort_key)
    return None, sorted(errors, key=_sort_key)
