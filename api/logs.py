"""Logging that never carries a secret: feed URLs and invitation tokens are redacted from
the access log, whatever server writes it (uvicorn's `uvicorn.access` logger)."""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import Any

_FEED = re.compile(r"/feeds/[^/?#\s]+?\.ics")
_TOKEN = re.compile(r"(?i)\b(token|key|secret)=[^&#\s\"]+")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """`text` without feed tokens or `token=` query values."""
    return _TOKEN.sub(rf"\1={REDACTED}", _FEED.sub(f"/feeds/{REDACTED}.ics", text))


class RedactSecrets(logging.Filter):
    """Rewrites a record's message arguments (uvicorn logs the path as an argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install_redaction(logger_name: str = "uvicorn.access") -> None:
    """Idempotent: add the filter to `logger_name` once."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())


def configure_logging(log_format: str = "json", level: int = logging.INFO) -> None:
    """The processes' logging (`coachmatch serve`, `coachmatch worker`): one JSON object
    per line (structlog), with the request id, or plain text; secrets redacted either way.
    Messages never carry a brief, an objective, a note or a token: the code logs ids."""
    import structlog

    from api.middleware import RequestIdFilter

    shared: list[structlog.types.Processor] = [
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            _request_id,
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            renderer,
        ],
    )
    handler = logging.StreamHandler()
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    install_redaction()


def _request_id(
    logger: Any, method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    record = event.get("_record")
    rid = getattr(record, "request_id", None) if record is not None else None
    if rid and rid != "-":
        event["request_id"] = rid
    return event
