"""Reading uploaded files with a size limit."""

from __future__ import annotations

from starlette.datastructures import UploadFile  # FastAPI's is a subclass

from api import messages
from api.errors import PayloadTooLarge


def read_limited(upload: UploadFile, *, limit: int, what: str, field: str = "file") -> bytes:
    """The file's bytes; 413 past `limit` (reads at most one byte more than the limit)."""
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(messages.TOO_LARGE.format(what=what, limit=limit), field=field)
    return data
