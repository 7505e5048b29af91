"""Every text a person reads from the conversation core (the dialog, the Lex adapter, the CLI chat)."""

from __future__ import annotations

ASK_SERVICE = "Which AWS service is it for (for example S3, DynamoDB, SQS, Lambda)?"
ASK_LEVEL = "What do you need to do with it: read, list or write? (Or name the actions, like 'invoke' or 'start/stop'.)"
ASK_RESOURCE = "Which {what}? Give its name or ARN (I only grant on what you name, never on every {what})."
ASK_RESOURCE_GENERIC = "Which resource is it for? Give its name or ARN."
ASK_ACCOUNT = "Which account is it for?"
ASK_REGION = "Which region (for example eu-west-1)?"
ASK_DURATION = "For how long? (for example 2h, a day, until friday; {account} allows up to {limit})"
ASK_DURATION_FREE = "For how long? (for example 2h, a day, until friday)"
ASK_JUSTIFICATION = "Why do you need it? One line for the approvers (a ticket number is fine)."
ASK_TAG = "Which tag should the resources carry (for example CostCenter=0735)?"
ASK_PRINCIPAL = "Which role or user? Give its name (like DBAdminRole) or its ARN."
ASK_REQUEST_ID = "Which request? Its id looks like AR-7F3K2."
ASK_DAYS = "Over how many days (for example 90)?"
ASK_DENY_REASON = "Why are you denying {request_id}? The requester will read your reason."
ASK_POLICY = "Paste the policy JSON in your message (after '{verb} this policy:')."
ASK_LEVEL_CONTRADICTION = (
    "You said read-only but also asked to {verb}. Which one do you need? I won't add write access unless you say so."
)
ASK_FULL_ACCESS = "'Full access' gives far more than most tasks need. What do you need to do: read, list or write?"

CONFIRM_HEAD = "Here is what I'll ask for. Submit it for approval?"
CONFIRM_HEAD_MANY = "Here are the {count} requests I'll submit (one per account). Submit them for approval?"
CONFIRM_REJECTED = (
    "The central rules would reject this request, so I can't submit it yet. "
    "Change what the findings say (for example 'actually make it read only') or say cancel."
)
CONFIRM_FINDINGS = "Findings: {count} ({blocking} blocking)."
BUTTON_SUBMIT = "Submit"
BUTTON_CANCEL = "Cancel"
NOTHING_TO_SUBMIT = "There's nothing to submit yet. Tell me what access you need."
SUBMITTED_NO_ID = "Submitted."

CANCELLED = "OK, I dropped that request. Nothing was submitted."
NOTHING_TO_CANCEL = (
    "There's nothing in progress to cancel. To cancel a submitted request, say 'cancel AR-7F3K2' with your "
    "request's id."
)
CORRECTED = "Updated."

REFUSE_BROAD = (
    "I can't ask for {what}: AccessBot only grants least-privilege access, and the central rules reject "
    "'*' on '*' in every account. Tell me the service, what you need to do and on which resource, "
    "e.g. 'read the analytics-raw bucket in sandbox for a day'."
)
REFUSE_VARIABLE = (
    "I can't put policy variables like '${...}' from chat into a policy. Name the resources instead "
    "(e.g. 'read the analytics-raw bucket')."
)
REFUSE_WILDCARD = (
    "I can't use wildcards in '{arn}' from chat: name the resource, or end an S3 path with '/*' after a prefix."
)
REFUSE_PARTITION = (
    "'{arn}' is in the '{partition}' partition, but {account} is in 'aws'. Give an ARN from the target account."
)
REFUSE_ARN_ACCOUNT = (
    "'{arn}' belongs to account {arn_account}, not to {account} ({account_id}). "
    "Ask in the account that owns it, or give a resource in {account}."
)
REFUSE_STAR_WRITE = (
    "{action} works only on '*' in IAM and it changes things, so AccessBot won't grant it: reads and lists "
    "are the only '*' grants it writes. Ask the security team for a reviewed policy, or ask for something else."
)
UNKNOWN_SERVICE = "I don't know an AWS service called '{word}'. Did you mean {suggestions}?"
UNKNOWN_SERVICE_NO_SUGGESTION = (
    "I couldn't tell which AWS service you mean. Name it (S3, DynamoDB, SQS, Lambda, ...) and the resource."
)
UNKNOWN_ACCOUNT = "I don't know the account '{word}'. Known accounts: {known}."
BAD_DURATION = "I couldn't read '{word}' as a duration. Try '2h', 'a day' or 'until friday'."
TOO_LONG = "{account} allows grants of at most {limit}; you asked for {asked}. Pick a shorter time."
PERMANENT_NOT_ALLOWED = "{account} doesn't allow permanent grants. For how long do you need it?"

MODEL_READ = "I read this with help from a language model: check the policy below before you submit."
EMPTY = "I didn't get any words. " + "Tell me what you need, e.g. 'read the analytics-raw bucket in sandbox for a day'."
TRUNCATED = "Your message was {length:,} characters; I read only the first {limit:,}."
NOT_UNDERSTOOD = "Sorry, I couldn't make a request out of that."

HELP = (
    "I turn plain words into least-privilege AWS access. Try:\n"
    "- 'read objects in the analytics-raw bucket in sandbox for a day'\n"
    "- 'start/stop the ec2 boxes tagged CostCenter 0735 in dev for 2h'\n"
    "- 'status of AR-7F3K2', 'my requests', 'cancel AR-7F3K2', 'extend AR-7F3K2 by a day'\n"
    "- 'what has DBAdminRole used in the last 90 days', 'trim DBAdminRole'\n"
    "- 'validate this policy: {...}' or 'explain this policy: {...}'\n"
    "- approvers: 'what's pending', 'approve AR-7F3K2', 'deny AR-7F3K2: not needed'\n"
    "Say 'cancel' at any time to drop what we're doing."
)
FALLBACK = "I'm not sure what you mean. " + HELP

POLICY_VERDICT_ALLOW = "This policy passes the central rules for {account_type} accounts."
POLICY_VERDICT_REJECT = "This policy would be rejected in {account_type} accounts."
POLICY_NOT_JSON = "That doesn't look like a policy document. Paste the JSON, starting with '{{'."
EXPLAIN_HEAD = "This policy:"
EXPLAIN_NOTHING = "This policy grants nothing I can describe."
CANNOT_WRITE = "I can't write a policy for that: {reason}"
BACKEND_ERROR = "{message}"
SESSION_OTHER_USER = "That conversation belongs to someone else; starting a new one."
WRITER_MISSING = "The policy writer is not installed here, so I can't show the policy yet."
BAD_PRINCIPAL = "'{word}' is not a role or user I can look up. " + ASK_PRINCIPAL


def read_as(corrections: list[tuple[str, str]]) -> str:
    """'I read 'tabel' as DynamoDB table.' for the typos the parser corrected."""
    pairs = [f"'{typed[:40]}' as {label}" for typed, label in corrections[:4]]
    return "I read " + (", ".join(pairs[:-1]) + " and " + pairs[-1] if len(pairs) > 1 else pairs[0]) + "."
