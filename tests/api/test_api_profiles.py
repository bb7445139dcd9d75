"""The coach profiles the coachee chooses from, through the API (issue 14 item 4): what an
offer says of the coach and of the request, the bio the coach writes, the photo and who may
see it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from profiles_support import JPEG, KARL_BIO, PNG, WEBP, XAVIER_BIO, build_profiles
from rounds_support import SENTINEL, fast
from sqlmodel import Session

from api.models import Coach
from api.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def test_an_offer_carries_the_coach_profile_and_the_request_not_its_description(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_profiles(db, settings, client)
    response = client.get("/me/proposals", headers=w["olga_h"])
    assert response.status_code == 200
    assert SENTINEL not in response.text
    offers = {o["coach_id"]: o for o in response.json()}
    assert set(offers) == {w["karl"].id, w["xavier"].id}
    karl, xavier = offers[w["karl"].id], offers[w["xavier"].id]
    assert karl["bio"] == KARL_BIO and xavier["bio"] == XAVIER_BIO
    assert karl["sites"] == ["Lyon", "Paris"] and karl["modalities"] == ["remote", "onsite"]
    # the expired EMCC certification is left out; one with no end stays
    assert [(c["body"], c["level"]) for c in karl["certifications"]] == [("ICF", "PCC")]
    assert xavier["certifications"] == [{"body": "ICF", "level": "MCC", "valid_until": None}]
    assert (karl["accreditation"], xavier["accreditation"]) == (None, "Supervisor, EMCC")
    olga_request = w["requests"]["olga"]
    assert {o["request_id"] for o in offers.values()} == {olga_request.id}
    assert karl["request_type"] == "coaching"
    assert karl["request_submitted_at"].startswith(olga_request.submitted_at.date().isoformat())
    assert karl["photo_url"] is None


def test_the_coach_writes_their_bio_within_600_characters(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_profiles(db, settings, client)
    too_long = client.put("/me/coach/profile", json={"bio": "b" * 601}, headers=w["karl_h"])
    assert too_long.status_code == 422 and too_long.json()["field"] == "bio"
    assert db.get(Coach, w["karl"].id).bio == KARL_BIO  # type: ignore[union-attr]
    done = client.put(
        "/me/coach/profile", json={"bio": "  " + "b" * 600 + " "}, headers=w["karl_h"]
    )
    assert done.status_code == 200 and done.json()["bio"] == "b" * 600
    cleared = client.put("/me/coach/profile", json={"bio": "   "}, headers=w["karl_h"])
    assert cleared.status_code == 200 and cleared.json()["bio"] is None
    # HR edits it where it edits the coach's other fields
    hr = client.patch(f"/coaches/{w['karl'].id}", json={"bio": "Par RH."}, headers=w["hr"])
    assert hr.status_code == 200 and hr.json()["bio"] == "Par RH."
    refused = client.patch(f"/coaches/{w['karl'].id}", json={"bio": "x" * 601}, headers=w["hr"])
    assert refused.status_code == 422 and refused.json()["field"] == "bio"
    assert (
        client.put("/me/coach/profile", json={"bio": "x"}, headers=w["olga_h"]).status_code == 403
    )


def test_a_photo_is_checked_and_shown_only_to_who_may_see_the_coach(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_profiles(db, settings, client)
    url = f"/coaches/{w['xavier'].id}/photo"
    put = "/me/coach/photo"
    not_image = client.put(
        put, files={"photo": ("x.png", b"GIF89a" + bytes(40))}, headers=w["xavier_h"]
    )
    assert not_image.status_code == 422 and not_image.json()["field"] == "photo"
    big = client.put(put, files={"photo": ("x.png", PNG + bytes(1_000_000))}, headers=w["xavier_h"])
    assert big.status_code == 413 and big.json()["field"] == "photo"
    assert client.get(url, headers=w["hr"]).status_code == 404  # none yet
    for data in (JPEG, WEBP, PNG):  # the last one stays
        ok = client.put(
            put, files={"photo": ("me", data, "application/octet-stream")}, headers=w["xavier_h"]
        )
        assert ok.status_code == 204, ok.text
    for who in ("olga_h", "paul_h", "hr", "xavier_h"):
        shown = client.get(url, headers=w[who])
        assert shown.status_code == 200, who
        assert shown.content == PNG and shown.headers["content-type"] == "image/png"
        assert shown.headers["cache-control"].startswith("private")
    # a coachee it is not proposed to, and another coach
    assert client.get(url, headers=w["nadia_h"]).status_code == 403
    assert client.get(url, headers=w["karl_h"]).status_code == 403
    offer = next(
        o
        for o in client.get("/me/proposals", headers=w["olga_h"]).json()
        if o["coach_id"] == w["xavier"].id
    )
    assert offer["photo_url"] == url
    assert client.delete(put, headers=w["xavier_h"]).status_code == 204
    assert client.get(url, headers=w["olga_h"]).status_code == 404
