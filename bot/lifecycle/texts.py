"""Every text the request service says, on every front (request ids and account labels are filled in)."""

from __future__ import annotations

SUBMITTED = (
    "Submitted {id} for {account}. It needs {needed} approval(s) from the security team; "
    "I'll tell you when it is decided."
)
AUTO_APPROVED = "Submitted {id} for {account}: read-only access in a sandbox is approved automatically."
SUBMITTED_AGAIN = "You already submitted this request as {id}; here is where it stands."
REJECTED = "The central rules reject this request for {account}, so I did not submit it. What to change:"
DURATION_REQUIRED = "Access to {account} must be temporary: say for how long (at most {limit})."
DURATION_TOO_LONG = "The longest access the rules allow in {account} is {limit}; ask for less time."
PRINCIPAL_ELSEWHERE = "{principal} is not in {account}: a grant is attached in its own account only."
NOT_FOUND = "There is no request {id}."
NOT_YOURS = "{id} is not your request."
APPROVAL_RECORDED = "Your approval of {id} is recorded; it needs {missing} more approval(s) from someone else."
APPROVED = "Approved {id}. Creating the policy in {account}…"
NOW_ACTIVE = "Approved {id}: the policy is in place in {account}."
NOW_FAILED = "Approved {id}, but creating the policy failed; the security team can retry once the cause is fixed."
DENIED = "Denied {id}: {reason}"
CANCELLED = "Cancelled {id}."
REVOKED = "Revoked {id}: the policy was removed from {account}."
EXTENSION_REQUESTED = "Asked the security team to extend {id} by {duration}; the grant stays as it is meanwhile."
EXTENDED = "Extended {id}: it now expires {expires}."
EXTENSION_DENIED = "Denied the extension of {id}: {reason}"
RETRYING = "Retrying {id}…"
RETRY_NOT_FAILED = "{id} is {status}: only failed requests can be retried."
ONLY_APPROVERS_LIST = "Only the security team sees the pending requests."
NOTHING_PENDING = "Nothing is waiting for your approval."
PENDING_TITLE = "{count} request(s) waiting for approval:"
NO_REQUESTS = (
    "You have no requests yet. Ask for access in plain words, "
    'e.g. "read objects in bucket reports in sandbox for 4 hours".'
)
MINE_TITLE = "Your requests (newest first):"
STATUS_LINE = "{id}: {status}"
UNTIL_REVOKED = "until revoked"
BUSY = "Too many people are acting on {id} at once; try again in a moment."
NO_ACCOUNT = "{id} targets an account I no longer know ({account}); an operator must restore it."
POLICY_CHANGED = "The central rules no longer allow this policy in {account}: {message}"

# Provisioning failures: each names what to fix before a retry.
ASSUME_DENIED = (
    "AccessBot cannot assume {role} in {account}: its trust policy must allow AccessBot's worker role with the "
    "account's ExternalId, and the worker role needs sts:AssumeRole on it (infra/spoke-account.yml)."
)
ACTION_DENIED = "The spoke role in {account} may not call {action}: {detail} (see infra/spoke-account.yml)."
NOT_OURS = (
    "A policy named {name} already exists in {account} and was not created for this request: an operator must "
    "remove or rename it."
)
NO_PRINCIPAL = "{principal} does not exist in {account}: fix the principal mapping in the account registry."
NO_BOUNDARY = (
    "{principal} must carry the permissions boundary {boundary} before AccessBot may attach access to it in "
    "{account} (the central rules require it)."
)
LIMIT = "IAM refused in {account}: {detail}. Detach an unused policy or raise the quota, then retry."
AWS_BUSY = "AWS is throttling or unavailable in {account}; I will retry."
AWS_ERROR = "AWS refused in {account}: {code}. Retry, or ask an operator to check the spoke role."

# Table headers
COLUMNS = ("Request", "Status", "Account", "Requested by", "Expires")
HISTORY_COLUMNS = ("When", "Who", "Front", "What", "From", "To", "Why")
