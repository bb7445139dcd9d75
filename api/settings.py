"""Service configuration, read once from `COACHMATCH_*` environment variables."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from api.validation import Email, TimeZoneName

_DATABASE_SCHEMES = {"sqlite", "postgresql+psycopg"}
_SMTP_SCHEMES = {"smtp", "smtps", "smtp+starttls"}
_IMAP_SCHEMES = {"imap", "imaps", "imap+starttls"}


class Settings(BaseSettings):
    """Every knob of the service; see the configuration table in README.md."""

    model_config = SettingsConfigDict(env_prefix="COACHMATCH_", extra="ignore")

    database_url: str = Field(
        "sqlite:///./coachmatch.db",
        description="SQLAlchemy URL: sqlite:///FILE or postgresql+psycopg://USER@HOST/DB",
    )
    migrate_on_start: bool = Field(True, description="apply Alembic migrations at start-up")
    base_url: str = Field("http://127.0.0.1:8000", description="public URL used in links")
    default_timezone: TimeZoneName = Field(
        "Europe/Paris",
        description="IANA zone of users without a person (HR): their pages and feeds",
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="addresses or networks of reverse proxies whose X-Forwarded-For is "
        "believed (comma-separated); none by default",
    )

    # Mail: SMTP when smtp_url is set, else .eml files in outbox_dir.
    smtp_url: str | None = Field(None, description="smtp://[user:pass@]host:port, smtps://...")
    smtp_timeout_seconds: float = Field(10.0, gt=0)
    outbox_dir: Path = Path("./outbox")
    programme_mailbox: Email = Field(
        "coaching@example.org", description="sender address of every message"
    )
    outbox_interval_seconds: float = Field(
        30.0, ge=0, description="delivery loop period; 0 disables the background loop"
    )
    outbox_batch_size: int = Field(100, ge=1)
    outbox_backoff_base_seconds: float = Field(30.0, gt=0)
    outbox_backoff_max_seconds: float = Field(3600.0, gt=0)
    outbox_max_attempts: int = Field(
        20, ge=1, description="a permanently rejected message is given up after this many"
    )
    outbox_lease_seconds: float = Field(300.0, gt=0, description="claim held while sending")

    # Where to meet: the join link of a remote session whose coach has no room URL.
    meeting_url_template: str | None = Field(
        None,
        description="https URL of an online room with {uid}, a random id per engagement "
        "(e.g. https://meet.example.org/{uid})",
    )

    # Replies to the invites: the programme mailbox read over IMAP (a periodic job).
    imap_url: str | None = Field(
        None,
        description="imaps://user:pass@host[:port]/MAILBOX or imap+starttls://...; unset: no poll",
    )
    imap_timeout_seconds: float = Field(30.0, gt=0)
    imap_batch_size: int = Field(100, ge=1, description="messages read per poll")
    reply_max_bytes: int = Field(1_000_000, ge=1, description="a larger reply is quarantined")

    # The coach's own calendar (private ICS URL or CalDAV), read for busy times.
    calendar_fetch_timeout_seconds: float = Field(20.0, gt=0)
    calendar_allow_private_networks: bool = Field(
        False,
        description="let calendar URLs reach loopback and private addresses and plain http "
        "(an on-premise CalDAV server, tests); off, only public https addresses are fetched",
    )

    metrics_token: str | None = Field(
        None, description="if set, GET /metrics needs it as a bearer token"
    )
    log_format: str = Field("json", pattern="^(json|text)$", description="json or text")
    web_threads: int = Field(
        15,
        ge=1,
        le=200,
        description="requests one web process serves at once; its connection pool holds "
        "as many, and 5 more for its job worker (PostgreSQL: mind max_connections)",
    )

    # Jobs: on SQLite a worker runs inside `coachmatch serve`; on PostgreSQL `coachmatch
    # worker` processes run them (true runs one in the web process as well).
    embedded_worker: bool | None = Field(
        None, description="run a job worker in the web process (default: on SQLite only)"
    )
    lifecycle_chores: bool = Field(
        True,
        description="the worker runs the engagement lifecycle's periodic chores (reminders, "
        "lapses, evaluations, digest, retention); tests turn them off and run them by hand",
    )

    # Accounts.
    session_ttl: timedelta = Field(timedelta(hours=12), description="sign-in lifetime")
    invitation_ttl: timedelta = Field(timedelta(days=7))
    cookie_secure: bool = False
    password_min_length: int = Field(10, ge=8)
    argon2_time_cost: int = Field(3, ge=1)
    argon2_memory_cost_kib: int = Field(65536, ge=8)
    argon2_parallelism: int = Field(4, ge=1)
    login_max_failures: int = Field(
        5, ge=1, description="failed sign-ins of one account (email) before slowing down"
    )
    login_max_failures_per_client: int = Field(
        20, ge=1, description="failed sign-ins from one address, any account, before slowing down"
    )
    login_lockout_base_seconds: float = Field(30.0, gt=0)
    login_lockout_max_seconds: float = Field(3600.0, gt=0)
    login_failure_window: timedelta = Field(
        timedelta(hours=1), description="failures older than this are forgotten"
    )
    password_reset_ttl: timedelta = Field(
        timedelta(hours=1), description="a forgotten-password link works this long"
    )
    password_reset_max_per_account: int = Field(
        3, ge=1, description="reset links asked for one email (known or not) before slowing down"
    )
    password_reset_max_per_client: int = Field(
        10, ge=1, description="reset links asked from one address before slowing down"
    )

    # Feeds: unknown or revoked tokens count as misses per client IP.
    feed_miss_limit: int = Field(20, ge=1, description="misses per window before 429")
    feed_miss_window_seconds: float = Field(60.0, gt=0)

    # Uploads.
    ics_max_bytes: int = Field(1_000_000, ge=1)
    ics_max_occurrences: int = Field(
        5_000, ge=1, description="events (repeats counted) read from a calendar in the busy horizon"
    )
    busy_horizon_days: int = Field(365, ge=1, description="busy times read this far ahead")
    org_csv_max_bytes: int = Field(20_000_000, ge=1)
    org_max_deactivation_share: float = Field(
        0.2,
        ge=0,
        le=1,
        description="an import deactivating more of the active people asks "
        "for confirm_deactivations",
    )

    # Matching rounds and session planning.
    round_horizon_weeks: int = Field(12, ge=1, le=104, description="default round horizon")
    round_time_limit_seconds: float = Field(
        10.0, gt=0, description="CP-SAT deterministic seconds per round"
    )
    round_proposals: int = Field(3, ge=1, le=10, description="coaches proposed per request")
    round_stalled_seconds: int = Field(
        120,
        ge=2,
        description="a running round without a heartbeat this long has lost its worker: the "
        "minute's sweep fails it",
    )
    round_rematch_attempts: int = Field(
        3, ge=0, le=20, description="re-solves replacing pairs whose sessions cannot be placed"
    )
    full_time_hours_per_week: float = Field(35.0, gt=0, description="a coach's time_share base")
    first_session_within_days: int = Field(21, ge=1, description="after confirmation")
    session_notice_hours: int = Field(24, ge=0, description="no session planned sooner")
    cadence_tolerance_days: int = Field(3, ge=0, description="cadence_days plus or minus this")
    coach_buffer_minutes: int = Field(15, ge=0, description="between two sessions of a coach")
    chemistry_call_minutes: int = Field(
        20,
        description="length of the chemistry call a coachee may book with a proposed coach "
        "before choosing: 15 to 30 minutes, 0 turns the calls off",
    )
    coach_max_sessions_per_day: int = Field(4, ge=1)
    planner_time_limit_seconds: float = Field(
        1.0, gt=0, description="planner CP-SAT deterministic seconds per group"
    )
    coachee_cancel_notice_hours: int = Field(48, ge=0, description="a coachee cancels this early")

    # The engagement's lifecycle, evaluations and the coach's record (issue 11).
    midway_review: bool = Field(
        True, description="half the sessions over, the engagement enters its mid-way review"
    )
    evaluation_k: int = Field(
        5, ge=3, le=100, description="answers released together at least; a coach sees theirs"
    )
    evaluation_unit_level: int = Field(
        1, ge=0, le=10, description="the org-chart level whose unit an answer keeps (0: none)"
    )
    evaluation_days: int = Field(60, ge=1, le=365, description="an evaluation stays open")
    supervision_hours_per_year: float = Field(10.0, ge=0, le=1000)

    # Reports (issue 12): indicators with small groups suppressed.
    report_k: int = Field(
        5, ge=3, le=100, description="a report cell describing fewer people is suppressed"
    )
    report_external_budget: float | None = Field(
        None, ge=0, description="external coaching budget a year, in currency units"
    )

    # Data rights (issue 12 item 6): engagements over this long ago are pseudonymised.
    retention_years: int = Field(
        3,
        ge=1,
        le=50,
        description="a request whose engagements ended this long ago is "
        "pseudonymised by the retention job",
    )

    @field_validator(
        "session_ttl",
        "invitation_ttl",
        "login_failure_window",
        "password_reset_ttl",
        mode="before",
    )
    @classmethod
    def _seconds(cls, value: object) -> object:
        # Environment values are strings: "3600" means seconds (ISO 8601 "PT1H" works too).
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list):
            for item in value:
                try:
                    ipaddress.ip_network(str(item), strict=False)
                except ValueError as exc:
                    raise ValueError(f"{item!r} is not an IP address or network") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme in {"postgresql", "postgres"}:
            # psycopg 3 is the driver we ship; say so in the URL for SQLAlchemy.
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        if scheme not in _DATABASE_SCHEMES:
            raise ValueError("must start with sqlite:/// or postgresql+psycopg://")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in _SMTP_SCHEMES or not parts.hostname:
            raise ValueError("must look like smtp://host:port, smtps://... or smtp+starttls://...")
        try:
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError as exc:
            raise ValueError("has an invalid port") from exc
        return value

    @field_validator("meeting_url_template")
    @classmethod
    def _meeting_url_template(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith("https://") or "{uid}" not in value or " " in value:
            raise ValueError("must be an https:// URL with {uid}")
        try:
            value.format(uid="x")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError("may hold no other {placeholder} than {uid}") from exc
        return value

    @field_validator("imap_url")
    @classmethod
    def _imap_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in _IMAP_SCHEMES or not parts.hostname:
            raise ValueError("must look like imaps://user:pass@host/INBOX or imap+starttls://...")
        try:
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError as exc:
            raise ValueError("has an invalid port") from exc
        return value

    @field_validator("chemistry_call_minutes")
    @classmethod
    def _chemistry_call_minutes(cls, value: int) -> int:
        if value != 0 and not 15 <= value <= 30:
            raise ValueError("must be 0 (no chemistry calls) or between 15 and 30 minutes")
        return value

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError("must be an absolute http(s) URL")
        return value.rstrip("/")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def run_embedded_worker(self) -> bool:
        return self.is_sqlite if self.embedded_worker is None else self.embedded_worker


@lru_cache(maxsize=1)
def load_settings() -> Settings:
    """The process-wide settings (CLI and `serve`); the app keeps its own copy."""
    return Settings()
