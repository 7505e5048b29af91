"""The ONE definition of intents, slots and sample utterances: the embedded parser and the Lex bot read it."""

from __future__ import annotations

from dataclasses import dataclass

from intents import texts


@dataclass(frozen=True, slots=True)
class SlotDef:
    """A slot: its name (Lex spelling), the slot type (custom name or AMAZON.*), and the prompt."""

    name: str
    type: str
    prompt: str
    key: str  # the key in the parser's slot dict ("service", "request_id", ...)


@dataclass(frozen=True, slots=True)
class IntentDef:
    name: str
    description: str
    slots: tuple[str, ...]
    samples: tuple[str, ...]


SLOTS: dict[str, SlotDef] = {
    s.name: s
    for s in (
        SlotDef("Service", "ServiceName", texts.ASK_SERVICE, "service"),
        SlotDef("AccessLevel", "AccessLevelName", texts.ASK_LEVEL, "access_level"),
        SlotDef("Resource", "ResourceName", texts.ASK_RESOURCE, "resource"),
        SlotDef("Account", "AccountName", texts.ASK_ACCOUNT, "account"),
        SlotDef("Region", "RegionName", texts.ASK_REGION, "region"),
        SlotDef("Duration", "AMAZON.Duration", texts.ASK_DURATION, "duration"),
        SlotDef("Justification", "AMAZON.FreeFormInput", texts.ASK_JUSTIFICATION, "justification"),
        SlotDef("TagKey", "TagKeyName", texts.ASK_TAG, "tag_key"),
        SlotDef("TagValue", "TagValueName", texts.ASK_TAG, "tag_value"),
        SlotDef("Principal", "PrincipalName", texts.ASK_PRINCIPAL, "principal"),
        SlotDef("RequestId", "AMAZON.AlphaNumeric", texts.ASK_REQUEST_ID, "request_id"),
        SlotDef("Days", "AMAZON.Number", texts.ASK_DAYS, "days"),
        SlotDef("Reason", "AMAZON.FreeFormInput", texts.ASK_DENY_REASON, "reason"),
    )
}
#: parser slot key -> Lex slot name
SLOT_BY_KEY: dict[str, str] = {s.key: s.name for s in SLOTS.values()}

_REQUEST = (
    "can I get read on the {Resource} bucket for a day",
    "need to start stop the ec2 boxes tagged {TagKey} {TagValue}",
    "I need {AccessLevel} access to {Service}",
    "give me {AccessLevel} on the {Resource} table in {Account}",
    "read objects in the {Resource} bucket",
    "read the orders table and write to the jobs queue",
    "I need to invoke the {Resource} lambda function in {Account}",
    "request {AccessLevel} access to {Resource} in {Account} for {Duration}",
    "grant me {AccessLevel} access on {Service} in {Region}",
    "can i have access to {Resource}",
    "let me {AccessLevel} the {Resource} queue",
    "need {Service} {AccessLevel} in {Account} for {Duration}",
    "I want to {AccessLevel} files in {Resource}",
    "access to the {Resource} secret please",
    "need permissions to publish to the {Resource} topic",
    "{AccessLevel} access to {Service} resources tagged {TagKey} {TagValue}",
    "please give me access to {Service}",
    "request access",
    "I need access",
)
_STATUS = (
    "status of {RequestId}",
    "what is the status of {RequestId}",
    "where is {RequestId}",
    "is {RequestId} approved yet",
    "any news on {RequestId}",
    "check {RequestId}",
    "has {RequestId} been approved",
    "how is {RequestId} going",
    "status {RequestId}",
    "what happened to {RequestId}",
    "show {RequestId}",
    "is my request {RequestId} done",
    "{RequestId} status",
    "check the status of request {RequestId}",
    "whats up with {RequestId}",
)
_MINE = (
    "my requests",
    "show my requests",
    "list my requests",
    "what have I asked for",
    "what access do I have",
    "show my access",
    "my open requests",
    "what requests do I have",
    "list my access requests",
    "what did I request",
    "my grants",
    "show me everything I requested",
    "which requests are mine",
    "what are my requests",
    "my pending requests",
)
_CANCEL = (
    "cancel {RequestId}",
    "cancel request {RequestId}",
    "withdraw {RequestId}",
    "please cancel {RequestId}",
    "I do not need {RequestId} anymore",
    "drop {RequestId}",
    "cancel my request {RequestId}",
    "withdraw my request",
    "cancel my request",
    "scrap {RequestId}",
    "revoke my request {RequestId}",
    "kill {RequestId}",
    "abandon request {RequestId}",
    "cancel access request {RequestId}",
    "get rid of {RequestId}",
)
_EXTEND = (
    "extend {RequestId} for {Duration}",
    "extend {RequestId} by {Duration}",
    "I need more time on {RequestId}",
    "extend my access",
    "can I get {Duration} more on {RequestId}",
    "extend {RequestId}",
    "please extend {RequestId}",
    "renew {RequestId} for {Duration}",
    "give me another {Duration} on {RequestId}",
    "keep {RequestId} for {Duration} longer",
    "extend my access {RequestId} by {Duration}",
    "my access {RequestId} is expiring extend it",
    "prolong {RequestId}",
    "more time for {RequestId}",
    "extend the grant {RequestId}",
)
_USAGE = (
    "what has {Principal} used in the last {Days} days",
    "what has {Principal} used",
    "usage report for {Principal}",
    "access advisor for {Principal}",
    "show usage of {Principal} in {Account}",
    "which services has {Principal} used",
    "what permissions does {Principal} actually use",
    "unused permissions of {Principal}",
    "last accessed for {Principal} over {Days} days",
    "usage of {Principal} in the last {Days} days",
    "what did {Principal} use",
    "what services were used in {Account}",
    "show me the usage for {Principal}",
    "what is unused on {Principal}",
    "access report for {Principal} in {Account}",
)
_VALIDATE = (
    "validate this policy",
    "check this policy",
    "is this policy ok",
    "validate policy",
    "can you check my policy",
    "review this policy",
    "lint this policy",
    "is this policy allowed in {Account}",
    "validate this for {Account}",
    "check my iam policy",
    "would this policy pass",
    "validate the following policy",
    "is this json policy valid",
    "run the checks on this policy",
    "does this policy pass the central rules",
)
_EXPLAIN = (
    "explain this policy",
    "what does this policy allow",
    "what does this policy do",
    "explain policy",
    "describe this policy",
    "tell me what this policy grants",
    "what can this policy do",
    "explain this in plain words",
    "what permissions does this give",
    "summarize this policy",
    "what does this grant",
    "translate this policy",
    "break down this policy",
    "what is allowed by this policy",
    "read this policy for me",
)
_APPROVE = (
    "approve {RequestId}",
    "approve request {RequestId}",
    "lgtm {RequestId}",
    "approved {RequestId}",
    "ok {RequestId}",
    "i approve {RequestId}",
    "yes approve {RequestId}",
    "ship {RequestId}",
    "accept {RequestId}",
    "approve",
    "+1 {RequestId}",
    "grant {RequestId}",
    "sign off {RequestId}",
    "go ahead with {RequestId}",
    "please approve {RequestId}",
)
_DENY = (
    "deny {RequestId}",
    "deny {RequestId} not needed",
    "reject {RequestId}",
    "decline {RequestId}",
    "deny request {RequestId}",
    "no to {RequestId}",
    "refuse {RequestId}",
    "deny {RequestId} because too broad",
    "reject request {RequestId} please scope it",
    "turn down {RequestId}",
    "deny",
    "denied {RequestId}",
    "i deny {RequestId}",
    "block {RequestId}",
    "do not approve {RequestId}",
)
_HELP = (
    "help",
    "what can you do",
    "how does this work",
    "how do I ask for access",
    "hi",
    "hello",
    "commands",
    "usage help",
    "what do you do",
    "how do I use you",
    "show help",
    "hey",
    "what can I ask",
    "instructions",
    "how to request access",
)
_TRIM = (
    "trim {Principal}",
    "trim the policy of {Principal}",
    "remove unused permissions from {Principal}",
    "shrink {Principal}",
    "right size {Principal}",
    "trim {Principal} to what it used in {Days} days",
    "clean up {Principal}",
    "least privilege for {Principal}",
    "reduce {Principal} permissions",
    "trim unused access on {Principal}",
    "cut {Principal} down to what it uses",
    "trim {Principal} in {Account}",
    "make {Principal} least privilege",
    "drop unused permissions of {Principal}",
    "tighten {Principal}",
)
_PENDING = (
    "what is pending",
    "whats pending",
    "pending approvals",
    "anything to approve",
    "show pending requests",
    "what needs my approval",
    "list pending",
    "pending",
    "what is waiting for me",
    "approval queue",
    "requests to review",
    "anything waiting for approval",
    "show me the queue",
    "what do I need to approve",
    "open approvals",
)

INTENTS: tuple[IntentDef, ...] = (
    IntentDef(
        "RequestAccess",
        "Ask for access to AWS resources",
        ("Service", "AccessLevel", "Resource", "Account", "Region", "Duration", "Justification", "TagKey", "TagValue"),
        _REQUEST,
    ),
    IntentDef("CheckStatus", "Status of a request", ("RequestId",), _STATUS),
    IntentDef("MyRequests", "The requester's requests", (), _MINE),
    IntentDef("CancelRequest", "Cancel a pending request", ("RequestId",), _CANCEL),
    IntentDef("ExtendAccess", "More time on an active grant", ("RequestId", "Duration"), _EXTEND),
    IntentDef("UsageReport", "Access advisor report", ("Principal", "Account", "Days"), _USAGE),
    IntentDef("ValidatePolicy", "Validate a pasted policy", ("Account",), _VALIDATE),
    IntentDef("ExplainPolicy", "A pasted policy in plain words", (), _EXPLAIN),
    IntentDef("ApproveRequest", "Approve a request (approvers)", ("RequestId",), _APPROVE),
    IntentDef("DenyRequest", "Deny a request (approvers)", ("RequestId", "Reason"), _DENY),
    IntentDef("TrimPolicy", "Propose a smaller policy from usage", ("Principal", "Account", "Days"), _TRIM),
    IntentDef("ListPending", "Requests waiting for approval", (), _PENDING),
    IntentDef("Help", "What the bot can do", (), _HELP),
)
FALLBACK = "FallbackIntent"
INTENT_NAMES: tuple[str, ...] = (*(i.name for i in INTENTS), FALLBACK)


def intent(name: str) -> IntentDef | None:
    return next((i for i in INTENTS if i.name == name), None)
