"""iTIP replies as the four big client families send them (RFC 5546 over RFC 6047 iMIP),
shaped after their real messages: MIME layout, transfer encodings, PRODID, extra
properties and parameters, their own VTIMEZONE (Outlook's Windows zone names).

Each builder gives the raw bytes an MTA would deliver to `coachmatch mail-in`.
"""

from __future__ import annotations

import base64
import quopri
from datetime import UTC, datetime

CRLF = "\r\n"

OUTLOOK_TZ = """BEGIN:VTIMEZONE
TZID:Romance Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE"""


def _crlf(text: str) -> str:
    return CRLF.join(text.replace(CRLF, "\n").strip("\n").split("\n")) + CRLF


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _paris(at: datetime) -> str:
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y%m%dT%H%M%S")


def outlook(
    *,
    uid: str,
    sequence: int,
    attendee: str,
    name: str,
    partstat: str,
    organizer: str,
    start: datetime,
    end: datetime,
    counter: tuple[datetime, datetime] | None = None,
    message_id: str = "<outlook-1@EX01.corp.example>",
) -> bytes:
    """Outlook / Exchange: multipart/alternative, text/calendar base64 with method, a
    Windows zone VTIMEZONE; a proposed time is METHOD:COUNTER with the new DTSTART."""
    method = "COUNTER" if counter else "REPLY"
    when = counter or (start, end)
    ics = _crlf(f"""BEGIN:VCALENDAR
METHOD:{method}
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
{OUTLOOK_TZ}
BEGIN:VEVENT
ATTENDEE;PARTSTAT={partstat};CN={name}:mailto:{attendee.upper()}
COMMENT;LANGUAGE=fr-FR:\\n
SUMMARY;LANGUAGE=fr-FR:Accepté: Séance de coaching 1 sur 6
DTSTART;TZID=Romance Standard Time:{_paris(when[0])}
DTEND;TZID=Romance Standard Time:{_paris(when[1])}
UID:{uid}
CLASS:PRIVATE
PRIORITY:5
DTSTAMP:{_stamp(start)}
TRANSP:OPAQUE
STATUS:CONFIRMED
SEQUENCE:{sequence}
LOCATION;LANGUAGE=fr-FR:
X-MICROSOFT-CDO-APPT-SEQUENCE:{sequence}
X-MICROSOFT-CDO-OWNERAPPTID:2117394586
X-MICROSOFT-CDO-CHANGEKEY:4
X-MS-OLK-PROPOSEDSTART:{_paris(when[0]) if counter else ""}
END:VEVENT
END:VCALENDAR""")
    body = base64.encodebytes(ics.encode()).decode().replace("\n", CRLF)
    return _crlf(f"""From: {name} <{attendee}>
To: Coaching programme <{organizer}>
Subject: =?utf-8?Q?Accept=C3=A9=C2=A0:_S=C3=A9ance_de_coaching?=
Thread-Topic: Invitation
Date: {start.strftime("%a, %d %b %Y %H:%M:%S +0000")}
Message-ID: {message_id}
Accept-Language: fr-FR, en-US
Content-Language: fr-FR
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="_000_outlook_"

--_000_outlook_
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

{base64.encodebytes("Réponse.".encode()).decode().strip()}

--_000_outlook_
Content-Type: text/calendar; charset="utf-8"; method={method}
Content-Transfer-Encoding: base64

{body}
--_000_outlook_--""").encode()


def google(
    *,
    uid: str,
    sequence: int,
    attendee: str,
    name: str,
    partstat: str,
    organizer: str,
    start: datetime,
    end: datetime,
    message_id: str = "<0000000000001a2b3c@google.com>",
) -> bytes:
    """Google Calendar: multipart/mixed around multipart/alternative (plain, html,
    text/calendar 7bit), plus invite.ics base64; UTC times, X-NUM-GUESTS."""
    ics = _crlf(f"""BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:REPLY
BEGIN:VEVENT
DTSTART:{_stamp(start)}
DTEND:{_stamp(end)}
DTSTAMP:{_stamp(start)}
ORGANIZER;CN=Coaching programme:mailto:{organizer}
UID:{uid}
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};CN={name};X-NUM-GUESTS=0:mailto:{attendee}
CREATED:{_stamp(start)}
LAST-MODIFIED:{_stamp(start)}
LOCATION:
SEQUENCE:{sequence}
STATUS:CONFIRMED
SUMMARY:Coaching session 1 of 6
TRANSP:OPAQUE
END:VEVENT
END:VCALENDAR""")
    attachment = base64.encodebytes(ics.encode()).decode().replace("\n", CRLF)
    return _crlf(f"""MIME-Version: 1.0
Date: {start.strftime("%a, %d %b %Y %H:%M:%S +0000")}
Reply-To: {attendee}
Sender: Google Calendar <calendar-notification@google.com>
Message-ID: {message_id}
Subject: Accepted: Coaching session 1 of 6
From: {name} <{attendee}>
To: {organizer}
Content-Type: multipart/mixed; boundary="mixed0001"

--mixed0001
Content-Type: multipart/alternative; boundary="alt0001"

--alt0001
Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes

{name} has accepted this invitation.

--alt0001
Content-Type: text/html; charset="UTF-8"

<p>{name} has accepted this invitation.</p>

--alt0001
Content-Type: text/calendar; charset="UTF-8"; method=REPLY
Content-Transfer-Encoding: 7bit

{ics}
--alt0001--

--mixed0001
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

{attachment}
--mixed0001--""").encode()


def apple(
    *,
    uid: str,
    sequence: int,
    attendee: str,
    name: str,
    partstat: str,
    organizer: str,
    start: datetime,
    end: datetime,
    message_id: str = "<5F1A2B3C-0000-4D5E-8F9A-000000000001@corp.example>",
) -> bytes:
    """Apple Calendar (macOS/iOS Mail): the calendar only as an attachment, quoted-
    printable, an Olson VTIMEZONE with X-LIC-LOCATION, EMAIL= on the attendee."""
    ics = _crlf(f"""BEGIN:VCALENDAR
METHOD:REPLY
VERSION:2.0
PRODID:-//Apple Inc.//macOS 14.5//EN
CALSCALE:GREGORIAN
BEGIN:VTIMEZONE
TZID:Europe/Paris
X-LIC-LOCATION:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
DTSTART:19810329T020000
TZNAME:UTC+2
TZOFFSETTO:+0200
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
DTSTART:19961027T030000
TZNAME:UTC+1
TZOFFSETTO:+0100
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
ATTENDEE;CN="{name}";CUTYPE=INDIVIDUAL;EMAIL="{attendee}";PARTSTAT={partstat};ROLE=REQ-PARTICIPANT:mailto:{attendee}
DTEND;TZID=Europe/Paris:{_paris(end)}
DTSTAMP:{_stamp(start)}
DTSTART;TZID=Europe/Paris:{_paris(start)}
ORGANIZER;CN="Coaching programme":mailto:{organizer}
REQUEST-STATUS:2.0;Success
SEQUENCE:{sequence}
SUMMARY:Séance de coaching 1 sur 6
UID:{uid}
X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC
END:VEVENT
END:VCALENDAR""")
    qp = quopri.encodestring(ics.encode()).decode()
    return _crlf(f"""Content-Type: multipart/mixed; boundary="Apple-Mail=_1B2C"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))
Subject: =?utf-8?Q?Invitation_accept=C3=A9e?=
From: {name} <{attendee}>
Date: {start.strftime("%a, %d %b %Y %H:%M:%S +0100")}
Message-Id: {message_id}
To: {organizer}
X-Mailer: Apple Mail (2.3774.600.62)

--Apple-Mail=_1B2C
Content-Transfer-Encoding: 7bit
Content-Type: text/plain; charset=us-ascii

Accepted.

--Apple-Mail=_1B2C
Content-Disposition: attachment; filename=iCal-20260301-120000.ics
Content-Type: application/ics; name="iCal-20260301-120000.ics"
Content-Transfer-Encoding: quoted-printable

{qp}
--Apple-Mail=_1B2C--""").encode()


def thunderbird(
    *,
    uid: str,
    sequence: int,
    attendee: str,
    name: str,
    partstat: str,
    organizer: str,
    start: datetime,
    end: datetime,
    message_id: str = "<c0ffee00-1234-5678-9abc-def012345678@corp.example>",
) -> bytes:
    """Thunderbird (Lightning): multipart/mixed with text/plain, text/calendar (8bit
    UTF-8, method=REPLY) and invite.ics; X-MOZ properties, the whole attendee list."""
    ics = _crlf(f"""BEGIN:VCALENDAR
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
VERSION:2.0
METHOD:REPLY
BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
CREATED:{_stamp(start)}
LAST-MODIFIED:{_stamp(start)}
DTSTAMP:{_stamp(start)}
UID:{uid}
SUMMARY:Séance de coaching 1 sur 6
ORGANIZER;CN=Coaching programme:mailto:{organizer}
ATTENDEE;RSVP=TRUE;CN={name};PARTSTAT={partstat};ROLE=REQ-PARTICIPANT:mailto:{attendee}
DTSTART;TZID=Europe/Paris:{_paris(start)}
DTEND;TZID=Europe/Paris:{_paris(end)}
SEQUENCE:{sequence}
X-MOZ-RECEIVED-SEQUENCE:{sequence}
X-MOZ-RECEIVED-DTSTAMP:{_stamp(start)}
X-MOZ-GENERATION:1
END:VEVENT
END:VCALENDAR""")
    return _crlf(f"""Message-ID: {message_id}
Date: {start.strftime("%a, %d %b %Y %H:%M:%S +0100")}
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
From: {name} <{attendee}>
To: {organizer}
Subject: =?UTF-8?Q?Refus=C3=A9=C2=A0:_S=C3=A9ance_de_coaching?=
Content-Type: multipart/mixed; boundary="------------tb0001"

This is a multi-part message in MIME format.
--------------tb0001
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

{name} a refusé votre invitation à l’évènement.

--------------tb0001
Content-Type: text/calendar; charset=UTF-8; method=REPLY
Content-Transfer-Encoding: 8bit

{ics}
--------------tb0001
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

{base64.encodebytes(ics.encode()).decode().strip()}
--------------tb0001--""").encode()


CLIENTS = {"outlook": outlook, "google": google, "apple": apple, "thunderbird": thunderbird}
