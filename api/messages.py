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

# Field checks
INVALID_EMAIL = "is not a valid email address"
INVALID_TIMEZONE = "{value!r} is not an IANA time zone (e.g. Europe/Paris)"
INVALID_LANGUAGE = "{value!r} is not a language code (e.g. en, fr)"
EMPTY_TAG = "must not contain empty values"
TOO_LONG = "is {length} characters long; the limit is {limit}"
END_BEFORE_START = "must be after start"
UNKNOWN_VALUE = "must be one of: {allowed}"

# Accounts
BAD_CREDENTIALS = "wrong email or password"
THROTTLED = "too many failed sign-ins; try again in {seconds} seconds"
PASSWORD_TOO_SHORT = "must be at least {length} characters long"
INVITATION_INVALID = "this invitation link is invalid, used or expired"
EMAIL_TAKEN = "an account with this email already exists"
ROLE_NEEDS_PERSON = "a {role} account must be linked to a person (person_id)"
ROLE_NEEDS_COACH = "a coach account must be linked to a coach (coach_id)"
ROLE_FORBIDS_LINK = "an HR account is not linked to a person or coach"
ADMIN_EXISTS = "an account with this email already exists"
COACH_HAS_ACCOUNT = "this coach already has an account"

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
WINDOW_END = "must be after start"

# Engagements
ENGAGEMENT_NOT_FLAGGED = "this engagement is not flagged"

# Rounds and proposals
HORIZON_PAST = "must not be before today ({today})"
ROUND_STALE = "requests changed while the round ran; run it again"
PROPOSAL_STATE = "the proposal is {status}; this needs it to be proposed"
PROPOSAL_REQUEST_STATE = "the request is {status}; its proposals can no longer be decided"
PROPOSAL_NO_LONGER_HOLDS = "this match no longer holds: {reasons}"
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
SESSION_CADENCE_PREVIOUS = "must be {low} to {high} days after the previous session ({day})"
SESSION_CADENCE_NEXT = "must be {low} to {high} days before the next session ({day})"
SESSION_DAILY_MAX = "the coach already has {limit} sessions on {day}, the most in a day"
SESSION_NOT_REPLANNED = "no other time was found: {reason}"
MUST_BE_FUTURE = "must be in the future"

# Feeds
FEED_RATE_LIMITED = "too many unknown feed addresses; try again in {seconds} seconds"
NO_FEED = "you have no active feed"
