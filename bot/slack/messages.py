"""Every text a Slack user reads (Block Kit builders and listeners take their words from here)."""

from __future__ import annotations

WORKING = "Working on it…"
HELP_TITLE = "AccessBot: least-privilege AWS access, by chat"
HELP = (
    "*Ask in your own words*\n"
    "`/access read objects in bucket reports-2024 in sandbox for 4h because monthly report`\n\n"
    "*Follow your requests*\n"
    "`/access status AR-7F3K2` · `/access mine` · `/access cancel AR-7F3K2` · `/access extend AR-7F3K2 4h`\n\n"
    "*Usage and policies*\n"
    "`/access usage arn:aws:iam::123456789012:role/Name [days]` what a role actually used\n"
    "`/access validate` paste a policy and see what the central rules say\n\n"
    "The security team approves in its channel; you get a direct message at every step."
)
EMPTY_COMMAND = "Tell me what you need, e.g. `/access read the reports bucket in sandbox for 4h`. Try `/access help`."
USAGE_STATUS = "Which request? `/access status AR-7F3K2`"
USAGE_CANCEL = "Which request? `/access cancel AR-7F3K2`"
USAGE_EXTEND = "Say which request and for how long: `/access extend AR-7F3K2 4h`"
USAGE_USAGE = "Give a role or user ARN: `/access usage arn:aws:iam::123456789012:role/Name 90`"
BAD_DURATION = "I read durations like `30m`, `4h`, `2d` (at most 90 days)."
BAD_DAYS = "The number of days is a whole number from 1 to 400."
TOO_LONG = "That is too long for me to read: keep it under {limit} characters."
UNEXPECTED = "Something went wrong on my side; nothing was changed. Please try again in a minute."
RETRY_LATER = "Slack or AWS is not answering right now; nothing was lost. Please try again in a minute."

# Approvals
ONLY_SECURITY_TEAM = "Only the security team can approve or deny requests."
DENY_MODAL_TITLE = "Deny request"
DENY_REASON_LABEL = "Why? The requester reads this."
DENY_REASON_HINT = "e.g. use the read-only role for this; prod needs a ticket"
DENY_SUBMIT = "Deny"
REASON_REQUIRED = "Write a reason: the requester reads it."
THREAD_DENY_NEEDS_REASON = "To deny, reply `deny: the reason` (the requester reads it)."
CANCEL = "Cancel"
CLOSE = "Close"

# The request card
CARD_TITLE = "Access request {request_id}"
CARD_REQUESTER = "*Requester*\n<@{user}>"
CARD_REQUESTER_PLAIN = "*Requester*\n{user}"
CARD_ACCOUNT = "*Account*\n{account}"
CARD_DURATION = "*Duration*\n{duration}"
CARD_RISK = "*Risk*\n{risk}"
CARD_STATUS = "*Status*\n{status}"
CARD_JUSTIFICATION = "*Justification*\n{text}"
CARD_NO_JUSTIFICATION = "_none given_"
CARD_GRANTS = "*What it grants*\n{lines}"
CARD_FINDINGS = "*Findings*\n{lines}"
CARD_NO_FINDINGS = "*Findings*\nNone: the central rules raised nothing."
CARD_MORE = "…and {count} more"
CARD_APPROVALS = "Approved by {who} ({have}/{need})"
CARD_EXTENSION = "Extension asked: {duration} more"
CARD_DECIDE_HINT = "Approve or deny with the buttons, or reply in this thread with `approve` or `deny: reason`."
UNTIL_REVOKED = "until revoked"
RISK_HIGH = ":red_circle: high ({count} blocking)"
RISK_ELEVATED = ":large_orange_circle: elevated ({count} security warnings)"
RISK_MODERATE = ":large_yellow_circle: moderate ({count} warnings)"
RISK_LOW = ":large_green_circle: low"
BUTTON_APPROVE = "Approve"
BUTTON_DENY = "Deny"
BUTTON_VIEW_POLICY = "View policy"
BUTTON_RETRY = "Retry"
BUTTON_SUBMIT = "Submit"
BUTTON_EDIT = "Edit…"
BUTTON_TRIM = "Trim unused"
STATUS_LABELS = {
    "DRAFT": ":memo: Draft",
    "PENDING_APPROVAL": ":hourglass_flowing_sand: Waiting for approval",
    "APPROVED": ":white_check_mark: Approved",
    "PROVISIONING": ":gear: Creating the policy",
    "ACTIVE": ":large_green_circle: Active",
    "EXPIRED": ":stopwatch: Expired",
    "REVOKED": ":no_entry_sign: Revoked",
    "DENIED": ":x: Denied",
    "CANCELLED": ":heavy_multiplication_x: Cancelled",
    "TIMED_OUT": ":zzz: Timed out",
    "FAILED": ":warning: Failed",
}

# Thread and DM lines, one per lifecycle event (`{id}` the request id, `{who}` a mention or name).
EVENT_TEXTS = {
    "submitted": "{id} was submitted and is waiting for the security team.",
    "approved": "{id} was approved by {who}.",
    "approval_recorded": "{who} approved {id}; it needs {missing} more approval(s).",
    "provisioning": "{id}: creating the policy in {account}.",
    "active": "{id} is active: `{policy_arn}`, until {expires}.",
    "denied": "{id} was denied by {who}: {reason}",
    "expired": "{id} has expired; the policy was removed.",
    "revoked": "{id} was revoked by {who}.",
    "failed": "{id} failed: {reason}",
    "cancelled": "{id} was cancelled by {who}.",
    "timed_out": "{id} timed out: nobody decided in time.",
    "extension_requested": "{who} asked to extend {id}.",
    "extended": "{id} was extended by {who}: it now expires {expires}.",
    "extension_denied": "The extension of {id} was denied by {who}: {reason} (the access stays as it was).",
}
EVENT_FALLBACK = "{id}: {event}."
REQUEST_ID_LINE = "Request {id}: {status}"
NO_REASON = "no reason given"

# Policy views
POLICY_MODAL_TITLE = "Policy {request_id}"
POLICY_MODAL_NOT_FOUND = "I have no policy for that request any more."
POLICY_TRUNCATED = "The policy is too long to show here in full: the whole JSON is in the thread as `{filename}`."
POLICY_TRUNCATED_NO_FILE = "The policy is too long to show here in full; showing the first part."
POLICY_FILE_TITLE = "Policy of {request_id}"
POLICY_TOO_LONG_FOR_MESSAGE = "The policy is long: click *View policy* for the JSON."

# Validate
VALIDATE_MODAL_TITLE = "Validate a policy"
VALIDATE_LABEL = "IAM policy JSON"
VALIDATE_HINT = "Paste an identity-based policy document."
VALIDATE_ACCOUNT_TYPE = "Rules of account type"
VALIDATE_SUBMIT = "Validate"
VALIDATE_ALLOWED = ":white_check_mark: The central rules allow this policy ({account_type})."
VALIDATE_REJECTED = ":x: The central rules reject this policy ({account_type}). What to change:"
VALIDATE_EMPTY = "Paste a policy document."

# Edit before submitting
EDIT_MODAL_TITLE = "Edit and submit"
EDIT_ACCOUNT = "Account"
EDIT_DURATION = "Duration"
EDIT_DURATION_HINT = "e.g. 30m, 4h, 2d; empty: until revoked (if the rules allow it)"
EDIT_REGIONS = "Regions"
EDIT_REGIONS_HINT = "comma-separated, e.g. eu-west-1, us-east-1; empty: any allowed region"
EDIT_JUSTIFICATION = "Justification"
EDIT_SUBMIT = "Submit"
EDIT_BAD_REGION = "'{region}' is not an AWS region name (e.g. eu-west-1)."
EDIT_EXPIRED = "This draft is no longer available: ask again with /access."

# Findings
FINDING_LINE = "{icon} *{code}*: {message}"
FINDING_FIX = "\n    _Fix:_ {fix}"
SEVERITY_ICONS = {
    "error": ":x:",
    "security_warning": ":rotating_light:",
    "warning": ":warning:",
    "suggestion": ":bulb:",
}

# Tables (usage reports, lists)
NEVER = "never"
TABLE_EMPTY = "_nothing to show_"

# Dates, human-relative
AGO_NOW = "just now"
AGO_MINUTES = "{n} min ago"
AGO_HOURS = "{n} h ago"
AGO_DAYS = "{n} days ago"
AGO_YESTERDAY = "yesterday"
IN_MINUTES = "in {n} min"
IN_HOURS = "in {n} h"
IN_DAYS = "in {n} days"
