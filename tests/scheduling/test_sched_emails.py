"""The one email rule (issue 8 item 15) as the calendar core applies it."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduling.emails import normalise_email
from scheduling.errors import InvalidEmailError
from scheduling.ical_common import Mailbox
from scheduling.invites import Attendee, SessionInvite, invite_ics

U = dt.UTC


def test_an_internationalised_domain_is_written_in_its_ascii_form():
    coachee = Mailbox("Ann@Bücher.de", "Ann")
    assert coachee.email == "ann@xn--bcher-kva.de"
    invite = SessionInvite(
        uid="u-1@coachmatch.example",
        sequence=0,
        stamp=dt.datetime(2026, 3, 1, tzinfo=U),
        start=dt.datetime(2026, 3, 30, 7, tzinfo=U),
        end=dt.datetime(2026, 3, 30, 8, tzinfo=U),
        zone="UTC",
        index=1,
        total=1,
        organizer=Mailbox("coaching@corp.example"),
        attendees=(Attendee(coachee),),
    )
    data = invite_ics(invite)
    assert b"mailto:ann@xn--bcher-kva.de" in data.replace(b"\r\n ", b"")  # unfolded
    data.decode("ascii")  # nothing but ASCII in the file


@pytest.mark.parametrize(
    ("address", "characters"),
    [("paul.hélène@example.org", "éè"), ("李@example.org", "李"), ("a@b", ""), ("", "")],
)
def test_refusals_say_why(address: str, characters: str):
    with pytest.raises(InvalidEmailError) as err:
        normalise_email(address, field="attendees")
    assert err.value.characters == characters and err.value.field == "attendees"
    with pytest.raises(InvalidEmailError):
        Mailbox(address)
