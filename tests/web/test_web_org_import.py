"""Issue 8 item 11 on HR's people page: an import deactivating more than the set share asks
for the checkbox, and a file with many errors shows the first ones and the count."""

from __future__ import annotations

from api_support import add_user, login
from fastapi.testclient import TestClient
from sqlmodel import Session
from test_api_org_import_limits import HEADER, active, staff
from web_support import as_user, bearer_token

from api.models.enums import Role
from api.settings import Settings
from api.web.viewer import LANG_COOKIE


def test_the_web_page_asks_for_the_checkbox(
    client: TestClient, db: Session, settings: Settings
) -> None:
    staff(db, settings)
    hr = login(client, add_user(db, settings, Role.hr, email="hr@example.org").email)
    csrf = as_user(client, bearer_token(hr))
    files = {"file": ("org.csv", HEADER.encode(), "text/csv")}
    refused = client.post("/hr/people/import", data={"csrf": csrf}, files=files)
    assert refused.status_code == 409
    assert "would deactivate 10 of 10 people" in refused.text.replace("\n", " ")
    assert 'name="confirm_deactivations"' in refused.text
    assert active(db) == (10, 3)
    done = client.post(
        "/hr/people/import", data={"csrf": csrf, "confirm_deactivations": "on"}, files=files
    )
    assert done.status_code == 200, done.text
    assert active(db) == (0, 1)

    bad = HEADER + "".join(f"E{i},N,bad{i},,Europe/Paris\n" for i in range(150))
    page = client.post(
        "/hr/people/import", data={"csrf": csrf}, files={"file": ("o.csv", bad.encode())}
    )
    assert page.status_code == 422
    assert "150 errors in the file; the first 100:" in page.text


def test_an_import_without_a_file_says_so_by_the_file_field(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """No file chosen (the browser sends the field empty): refused by the file's field in
    the reader's language, nobody changed."""
    staff(db, settings)
    hr = login(client, add_user(db, settings, Role.hr, email="hr@example.org").email)
    csrf = as_user(client, bearer_token(hr))
    client.cookies.set(LANG_COOKIE, "fr")
    empty = {"file": ("", b"", "application/octet-stream")}
    refused = client.post("/hr/people/import", data={"csrf": csrf, "dry_run": "on"}, files=empty)
    assert refused.status_code == 422
    assert 'id="file-error">Choisissez un fichier.</p>' in refused.text.replace("\n", "")
    assert active(db) == (10, 3)
