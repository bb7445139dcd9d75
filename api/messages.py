"""Every user-facing API message, in one place so they can be translated later.

Templates use str.format fields. Keep them free of personal data beyond what the caller
sent (never a request's description or objectives).
"""

from __future__ import annotations

# Generic
NOT_FOUND = "{what} not found"
NOT_AUTHENTICATED = "sign-in required"
SESSION_EXPIRED = "sign-in expired or invalid; sign in again"
FORBIDDEN = "your role may not do this"
VALIDATION = "{field}: {message}"
CONFLICT_DB = "this change conflicts with existing data"
BUSY = "another change is being saved; try again in a moment"
TOO_LARGE = "{what} is larger than {limit} bytes"
INTERNAL = "internal error"
NUL_CHARACTER = "must not contain NUL characters"
VALUE_OUT_OF_RANGE = "a value is out of the range the service can store"
CSRF_REFUSED = (
    "cross-site request refused: send the X-CSRF-Token header, or sign in with a bearer token"
)

# Field checks
INVALID_EMAIL = "is not a valid email address"
EMAIL_NOT_ASCII = "has characters that cannot be mailed before the @ ({characters})"
INVALID_TIMEZONE = "{value!r} is not an IANA time zone (e.g. Europe/Paris)"
INVALID_LANGUAGE = "{value!r} is not a language code (e.g. en, fr)"
EMPTY_TAG = "must not contain empty values"
TOO_LONG = "is {length} characters long; the limit is {limit}"
TOO_MANY_ITEMS = "has {count} items; the limit is {limit}"
END_BEFORE_START = "must be after start"
UNKNOWN_VALUE = "must be one of: {allowed}"

# Accounts
BAD_CREDENTIALS = "wrong email or password"
THROTTLED = "too many failed sign-ins; try again in {seconds} seconds"
PASSWORD_TOO_SHORT = "must be at least {length} characters long"
INVITATION_INVALID = "this invitation link is invalid, used or expired"
RESET_SENT = "if an account has this address, a link to choose a new password has been sent to it"
RESET_INVALID = "this password reset link is invalid, used or expired"
RESET_THROTTLED = "too many password reset requests; try again in {seconds} seconds"
EMAIL_TAKEN = "an account with this email already exists"
ROLE_NEEDS_PERSON = "a {role} account must be linked to a person (person_id)"
ROLE_NEEDS_COACH = "a coach account must be linked to a coach (coach_id)"
ROLE_FORBIDS_LINK = "an HR account is not linked to a person or coach"
ADMIN_EXISTS = "an account with this email already exists"
COACH_HAS_ACCOUNT = "this coach already has an account"
ACCOUNT_EMAIL_REQUIRED = "an HR account needs an email"
ACCOUNT_EMAIL_NOT_OWN = "must be the {role}'s own email from the org chart or coach record"
ACCOUNT_NO_EMAIL = "this coach has no email address; set it on the coach first"
PERSON_HAS_ACCOUNT = "this person already has a {role} account"
BRIEF_COACHEE_ONLY = "only the coachee edits the brief"

# Org chart import
CSV_NOT_UTF8 = "the file is not UTF-8 text"
CSV_EMPTY = "the file is empty"
CSV_MISSING_COLUMNS = "missing column(s): {columns}"
CSV_UNKNOWN_COLUMNS = "unknown column(s): {columns}"
CSV_REQUIRED = "is required"
CSV_DUPLICATE_ID = "duplicate id {value!r} (first on line {first})"
CSV_DUPLICATE_EMAIL = "duplicate email {value!r} (first on line {first})"
CSV_SELF_MANAGER = "a person cannot be their own manager"
CSV_UNKNOWN_MANAGER = "unknown manager id {value!r}"
CSV_CYCLE = "management cycle: {people}"
CSV_BAD_ROW = "line has {got} fields, the header has {expected}"
CSV_REJECTED = "the org chart was not imported: {count} error(s)"
CSV_DEACTIVATIONS = (
    "this import would deactivate {count} of {active} people ({accounts} accounts), more than "
    "{share}%: check the file, then confirm the deactivations"
)
FLAG_REPORTING_LINE = "coach {coach} is now in the reporting line of {role} {person}"

# Coaches
COACH_INTERNAL_NEEDS_PERSON = "an internal coach needs person_id"
COACH_EXTERNAL_NEEDS = "an external coach needs {field}"
COACH_INTERNAL_FORBIDS = "does not apply to an internal coach"
COACH_EXTERNAL_FORBIDS = "does not apply to an external coach"
COACH_PERSON_TAKEN = "this person is already a coach"
COACH_HAS_ENGAGEMENTS = "this coach has engagements; deactivate it instead"
REFERENCING_ORDER = "must not be before referenced_from"

# Requests
REQUEST_STATE = "the request is {status}; this needs it to be {allowed}"
REQUEST_NOT_RESTORABLE = (
    "this cancel can no longer be undone (too late, changed since, or the request was proposed)"
)
REQUEST_SELF_SPONSOR = "the coachee cannot be their own sponsor"
REQUEST_NOT_YOURS = "you may only submit a request for yourself"
PERSON_INACTIVE = "this person is no longer in the org chart"

# Conflicts and adjustments
DUPLICATE = "this {what} already exists"
ADJUSTMENT_NEEDS_WEIGHT = "a bonus needs a weight (1-100)"
ADJUSTMENT_NO_WEIGHT = "a ban has no weight"

# Availability
ICS_TOO_LARGE = "the calendar file is larger than {limit} bytes"
ICS_NOT_CALENDAR = "the file is not an iCalendar (.ics) file"
ICS_TOO_MANY_EVENTS = (
    "the calendar has more than {limit} events in the next {days} days (most from event {event})"
)
ICS_TOO_COMPLEX = "the repeat rule of event {event} takes too long to read: simplify or remove it"
WINDOW_END = "must be after start"

# Engagements (issue 11)
ENGAGEMENT_STATE = "the engagement is {state}; {action} needs it to be one of: {allowed}"
CONTRACT_NONE = "the coach has not written the contract yet"
CONTRACT_STALE = "version {version} is not the current one ({current})"
FRAME_END = "must not be before start"
REASSIGN_SAME_COACH = "must be another coach than the current one"
RESUME_NO_SEAT = "the hold released the seat and the coach has none free ({taken} of {seats})"
EVALUATION_SCORES = "needs one score per objective ({count})"
TESTIMONIAL_CONSENT = "must be true: a testimonial is given only to be quoted anonymously"
TESTIMONIAL_GIVEN = "this engagement has already given its testimonial"
TRAVEL_SITE_UNKNOWN = (
    "not a site of the programme (a site of the org chart, served by a coach or given an address)"
)
TRAVEL_SAME_SITE = "must be another site: a site is no travel from itself"
SITE_COORDINATES = "give both latitude and longitude, or neither"
THEME_CODE_TAKEN = "a theme with this code already exists"
THEME_IN_USE = "engagements are tagged with this theme: deactivate it instead"
THEME_UNKNOWN = "not an active theme of HR's list: {codes}"
SYNTHESIS_FIGURE_SMALL = "the figure {figure} counts fewer than {k}: a small group cannot be quoted"
SYNTHESIS_FIGURE_UNKNOWN = (
    "the figure {figure} is not a visible cell of the {period} theme report; quote only "
    "the report's visible figures (write other numbers in words)"
)
REFERENCING_STATE = "the referencing is {state}; {action} needs it to be one of: {allowed}"
REFERENCING_INTERNAL = "an internal coach is certified, not referenced"
REFERENCING_UNTIL = "a referencing needs its end date (until)"
PARTICIPANTS_MEDIATION = "a mediation has exactly one other party"
PARTICIPANTS_TEAM = "team coaching needs at least one other participant"
PARTICIPANTS_NOT_ALLOWED = "only team coaching and mediation have participants"
PARTICIPANT_IS_PARTY = "the coachee or the sponsor cannot also be a participant"

# Rounds and proposals
HORIZON_PAST = "must not be before today ({today})"
ROUND_STALE = "requests changed while the round ran; run it again"
ROUND_CONCURRENT = "another round was committed while this one ran; run it again"
ROUND_NOT_COMMITTABLE = "only a done preview can be committed; this round is {status}"
ROUND_DATA_CHANGED = "the programme changed since the preview ({parts}); run a new preview"
ROUND_NOT_RUNNING = "the round is {status}: there is nothing to cancel"
PROPOSAL_STATE = "the proposal is {status}; this needs it to be proposed"
PROPOSAL_NOT_RESTORABLE = "this rejection can no longer be undone (too late, or changed since)"
PROPOSAL_REQUEST_STATE = "the request is {status}; its proposals can no longer be decided"
PROPOSAL_NO_LONGER_HOLDS = "this match no longer holds: {reasons}"
REASON_TOO_LONG = "the reason is too long: at most {max} characters"
PROPOSAL_SINGLE = "this request has a single proposed coach: HR confirms it"
SESSIONS_NOT_PLACED = "the sessions cannot be planned: {reason}"

# Sessions
SESSION_STATE = "the session is {status}; this needs it to be {allowed}"
SESSION_STARTED = "the session has already started"
SESSION_NOT_STARTED = "the session has not started yet"
SESSION_NOTICE = "a session can be cancelled up to {hours} hours before it starts"
SESSION_ORDER = "must stay between the previous and the next session"
SESSION_UNAVAILABLE = (
    "the {who} is not available then (outside their windows or in another session)"
)
SESSION_DOUBLE_BOOKED = "the {who} ({name}) already has a session from {start} to {end}"
SESSION_CADENCE_PREVIOUS = "must be {low} to {high} days after the previous session ({day})"
SESSION_CADENCE_NEXT = "must be {low} to {high} days before the next session ({day})"
SESSION_DAILY_MAX = "the coach already has {limit} sessions on {day}, the most in a day"
SESSION_NOT_REPLANNED = "no other time was found: {reason}"
RESCHEDULE_REQUEST_STATE = "this proposed time is {status}; only a pending one can be decided"
CALENDAR_URL_REFUSED = "must be an https:// address on the internet (not {reason})"
MUST_BE_FUTURE = "must be in the future"
MUST_BE_PAST = "must not be in the future"

# Feeds
FEED_RATE_LIMITED = "too many unknown feed addresses; try again in {seconds} seconds"
NO_FEED = "you have no active feed"

# Coach profiles
PHOTO_NOT_IMAGE = "the photo must be a PNG, JPEG or WebP image"


class Message(str):
    """A message that keeps its code (the constant's name) and the values it was given,
    so that a page translates it by code (`error.<CODE>` in the catalogs) and an API
    client can too (`code` and `params` beside `detail` in an error body)."""

    code: str
    params: dict[str, object]

    def __new__(cls, text: str, code: str, params: dict[str, object] | None = None) -> Message:
        message = super().__new__(cls, text)
        message.code = code
        message.params = dict(params or {})
        return message

    def format(self, *args: object, **values: object) -> Message:
        return Message(str.format(self, *args, **values), self.code, values)


def code_of(message: str) -> tuple[str, dict[str, object]] | None:
    """The code and values of a message from this module, None for any other text."""
    if isinstance(message, Message):
        return message.code, message.params
    return None


# Every constant above becomes a Message named after it.
for _name, _value in list(globals().items()):
    if _name.isupper() and type(_value) is str:
        globals()[_name] = Message(_value, _name)
