"""The emailed invitation link in a real browser: its token travels in the fragment,
which the page puts into the form (issue 8 item 3), and the address bar drops it."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default
from typing import Any

from api_support import add_person, add_user, fresh
from sqlmodel import Session, select
from web_support import Browser

from api.models import OutboxMessage, User
from api.models.enums import Role
from api.settings import Settings


def test_the_invitation_link_opens_the_account_without_the_token_reaching_a_server(
    page: Any, live_server: str, db: Session, settings: Settings, client: Any
) -> None:
    hr = add_user(db, settings, Role.hr, email="hr@example.org")
    person = add_person(db, "N1", name="Nora New")
    from api_support import login

    sent = client.post(
        "/users/invitations",
        headers=login(client, hr.email),
        json={"role": "coachee", "person_id": person.id},
    )
    assert sent.status_code == 201, sent.text
    [row] = fresh(db).exec(select(OutboxMessage).where(OutboxMessage.kind == "invitation"))
    body = next(
        p.get_content()
        for p in message_from_bytes(row.raw_mime, policy=default).walk()
        if p.get_content_type() == "text/plain"
    )
    link = re.search(r"(http\S+#token=[A-Za-z0-9_-]+)", body)
    assert link is not None, body
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    site = Browser(page, live_server)
    page.goto(link.group(1).replace("http://testserver", live_server))
    assert "#" not in page.url and "token" not in page.url  # dropped from the address bar
    assert page.locator("[data-invitation-code]").is_hidden()
    page.locator("#password").fill("a long enough password")
    page.locator("#password_again").fill("a long enough password")
    page.locator("form.card button[type=submit]").click()
    assert site.heading() == "My next steps"  # signed in, on the coachee's home
    assert fresh(db).exec(select(User).where(User.person_id == person.id)).one().active
    token = link.group(1).rsplit("=", 1)[1]
    assert requested and not any(token in url for url in requested)
