"""A programme whose two coaches have filled in their profiles, and a committed round that
proposes both of them to Olga (French) and to Paul (issue 14 item 4)."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from typing import Any

from api_support import add_person, add_user, login, now_of
from fastapi.testclient import TestClient
from rounds_support import build_programme, post_round
from sqlmodel import Session

from api.models import Certification, CoachRecord
from api.models.enums import Role
from api.settings import Settings

KARL_BIO = "Ancien DSI, j’accompagne les managers qui prennent un premier poste."
XAVIER_BIO = "Coach certified since 2012; I work with leaders through change."


def _png(width: int, height: int) -> bytes:
    """A real PNG (grey pixels), so that a browser draws it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = _png(8, 8)
# Other images as their magic bytes say: what the upload checks (no image library here).
JPEG = b"\xff\xd8\xff\xe0" + bytes(64)
WEBP = b"RIFF\x40\x00\x00\x00WEBPVP8 " + bytes(64)


def build_profiles(db: Session, settings: Settings, client: TestClient) -> dict[str, Any]:
    w = build_programme(db, settings, client)
    now = now_of(db)
    today = now.date()
    karl, xavier = w["karl"], w["xavier"]
    karl.bio, karl.themes = KARL_BIO, ["leadership", "prise de poste"]
    karl.modalities, karl.sites = ["remote", "onsite"], ["Lyon", "Paris"]
    xavier.bio = XAVIER_BIO
    db.add_all([karl, xavier])
    db.add_all(
        [
            Certification(
                coach_id=karl.id, body="ICF", level="PCC", obtained=today - timedelta(days=900),
                valid_until=today + timedelta(days=400), created_at=now,
            ),
            Certification(
                coach_id=karl.id, body="EMCC", level="EIA Senior Practitioner",
                obtained=today - timedelta(days=2000), valid_until=today - timedelta(days=1),
                created_at=now,
            ),
            Certification(
                coach_id=xavier.id, body="ICF", level="MCC", obtained=today - timedelta(days=3000),
                valid_until=None, created_at=now,
            ),
            CoachRecord(coach_id=xavier.id, accreditation="Supervisor, EMCC", updated_at=now),
        ]
    )  # fmt: skip
    db.commit()
    nadia = add_person(db, "E9", manager=w["people"]["ceo"], name="Nadia Nobody", unit="DG")
    add_user(db, settings, Role.coachee, email="nadia@example.org", person=nadia)
    w["nadia_h"] = login(client, "nadia@example.org")
    view = post_round(client, w["hr"], commit=True, proposals=2)
    assert view["status"] == "done", view
    return w
