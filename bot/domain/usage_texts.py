"""Every text of the access-advisor features (usage reports, trim, grant summaries), on every front and the CLI."""

from __future__ import annotations

# ---- input ----------------------------------------------------------------------------------------
BAD_ARN = (
    "'{text}' is not a role, user, group or policy ARN I can report on "
    "(e.g. arn:aws:iam::123456789012:role/DBAdminRole, a name like DBAdminRole, or 'account sandbox')."
)
NO_ARN = (
    "Name a role or user (like DBAdminRole), a role, user, group or policy ARN, or 'account <alias>' for every "
    "role of an account."
)
BAD_DAYS = "The number of days must be a whole number from 1 to {limit} (access advisor keeps {limit} days)."
UNKNOWN_ACCOUNT = "Account {account} is not registered with AccessBot, so I can't read its access advisor data."

# ---- a name without its account: where is it? -------------------------------------------------------
LOOKUP_WHAT = {"role": "role", "user": "user", "any": "role or user"}
LOOKUP_NONE = "I found no {what} named {name} in {accounts}. Check the spelling, or give its ARN."
LOOKUP_UNCHECKED = " I couldn't check {accounts}: {reason}"
CHOOSE = "{name} is in {accounts}.{unchecked} Which account do you mean?"
CHOOSE_MORE = " (and {count} more: type the account's name)"
CLI_CHOOSE = "{name} is in {accounts}.{unchecked} Name the account, like: accessbot usage {name} in {first}"
AND = " and "
OR = " or "

# ---- AWS trouble (one line each, safe to show) -------------------------------------------------------
NO_SPOKE = (
    "I can't assume the spoke role in {account} ({code}): check that {role} exists and trusts the "
    "security account with the ExternalId."
)
NO_CREDENTIALS = "AccessBot has no AWS credentials here ({code}): run it with credentials, or in `accessbot serve`."
NOT_FOUND = "{arn} does not exist in {account}."
DENIED = (
    "The spoke role in {account} may not {action} ({code}): give it the access-advisor permissions "
    "in infra/spoke-account.yml."
)
THROTTLED = "AWS is throttling access-advisor calls in {account} right now; ask again in a minute."
AWS_FAILED = "AWS could not {action} in {account} ({code}); try again in a minute."
JOB_FAILED = "Access advisor could not build the report for {name} ({code}); ask again in a few minutes."
AWS_REFUSED = "AWS refused the request for {name} ({code}): {message}"

# ---- reports ---------------------------------------------------------------------------------------
STILL_RUNNING = "Access advisor is still preparing the report for {name} — ask again in a minute, I'll reuse the job."
STILL_RUNNING_CLI = "Access advisor is still preparing the report for {name}; run the command again in a minute."
REPORT_HEAD = "{name} in {account}, last {days} days: used {used} of {granted} granted service(s)."
REPORT_UNUSED = "Not used in {days} days: {services}."
REPORT_ALL_USED = "Every granted service was used in the last {days} days."
REPORT_NOTHING = "Access advisor lists no AWS service that {name}'s policies allow."
REPORT_ACTIONS = (
    "Action-level detail, where AWS tracks it: {unused} of {tracked} tracked action(s) not used in {days} days."
)
REPORT_LAG = "Access advisor counts attempts (denied ones too) and can lag by up to 4 hours."
REPORT_COLUMNS = ("Service", "Last used", "By", "Unused actions", "Granted by")
ACTION_COLUMNS = ("Action", "Last used", "By")
MORE = "… and {count} more"
NOT_TRACKED = "not tracked"
ACCOUNT_HEAD = "{account}: {checked} of {total} role(s) checked, {unused} with access unused in {days} days."
ACCOUNT_SORTED = "Most unused first:"
ACCOUNT_PARTIAL = "The other {pending} are still running — ask again in a minute, I'll reuse the jobs."
ACCOUNT_PARTIAL_CLI = "The other {pending} are still running; run the command again in a minute."
ACCOUNT_CAPPED = "The account has more roles than I check at once; these are the first {limit}."
ACCOUNT_NO_ROLES = "{account} has no roles to report on (service-linked roles are skipped)."
ACCOUNT_FAILED_ROW = "could not read: {reason}"
ACCOUNT_COLUMNS = ("Role", "Granted", "Unused", "Last used")
PROGRESS_SWEEP = "Checking the roles of {account}"
PROGRESS_LOOKUP = "Looking for {name} in the accounts"
PROGRESS_WAIT = "Waiting for access advisor"

# ---- relative dates ---------------------------------------------------------------------------------
NEVER = "never"
JUST_NOW = "just now"
MINUTES_AGO = "{n} minutes ago"
HOURS_AGO = "{n} hours ago"
YESTERDAY = "yesterday"
DAYS_AGO = "{n} days ago"
STALE = "{when} (over {days} days)"

# ---- buttons -----------------------------------------------------------------------------------------
TRIM_LABEL = "Trim"
TRIM_VALUE = "trim {arn} {days} days"
DETAIL_LABEL = "Usage of {name}"
DETAIL_VALUE = "usage of {arn} in the last {days} days"

# ---- trim ---------------------------------------------------------------------------------------------
TRIM_HEAD = "Proposed trim of {name} in {account}, from what it used in the last {days} days:"
TRIM_NOTHING = "{name} used everything it was granted in the last {days} days: there is nothing to trim."
TRIM_EMPTY = (
    "{name} used none of its granted access in the last {days} days: the trimmed policy would be empty. "
    "Ask the security team to detach its policies instead."
)
TRIM_NO_DOCUMENTS = "I found no policies to trim on {name}."
TRIM_UNUSABLE = "I can't turn this into one request: {reason}"
TRIM_TOO_MANY = "the trimmed policy needs {count} grants (at most {limit} per request); trim its policies one by one"
TRIM_SUBMITTING = (
    "I've passed it to the normal request flow (central validation, then approval). Once it is in place, "
    "detach {policies} from {name}: I never remove access myself."
)
TRIM_JUSTIFICATION = (
    "Trim of {arn}: only what access advisor shows used in the last {days} days. Replaces {policies}; detach them "
    "once this is in place."
)
TRIM_KEPT = "used {when}"
TRIM_KEPT_UNTRACKED = "used {when}; AWS does not track its actions, all kept"
TRIM_REMOVED_SERVICE = "{service}: {when}"
TRIM_PARTIAL = "{kept} of {total} actions kept"
TRIM_NONE_USED = "none of its {total} tracked action(s) used in {days} days"
TRIM_KEPT_ACTIONS = "used in the last {days} days"
TRIM_CONDITIONAL = "has conditions or NotResource: not carried over, ask for it separately if needed"
TRIM_DENIES = "The original's Deny statements are not carried over: the central denies apply to the new policy."
TRIM_OTHER_ACCOUNT = "resources in other accounts are not carried over"

# ---- grant summary (when an AccessBot grant expires) --------------------------------------------------
SUMMARY_USED = "{name} used {services} while the grant was active (since {since})"
SUMMARY_UNUSED = "{name} used none of the granted services while the grant was active (since {since}): {services}"
SUMMARY_NOT_USED_TAIL = "; not used: {services}"
SUMMARY_ACTIONS = "{service} ({actions})"
SUMMARY_LAG = " Access advisor can lag by up to 4 hours."

# ---- CLI ------------------------------------------------------------------------------------------------
CLI_HELP = "Access-advisor summary of a role, user, group, policy or account (by ARN or name)."
CLI_DESCRIPTION = (
    "PRINCIPAL is a role, user, group or policy ARN in a registered account; a role or user name, looked up in "
    "every registered account (NAME, or NAME in ALIAS); or 'account ALIAS' for every role of an account. "
    "Exit 0 report, 1 still running, 2 unusable arguments."
)
CLI_NEXT = "In chat: {value}"
CLI_NO_SUBMIT = "Trim submits requests; use `accessbot chat` or the bot for that."
