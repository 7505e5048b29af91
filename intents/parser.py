"""The embedded parser: free text to intent + slots + confidence (rules and lexicon; deterministic, no model)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.accounts import AccountRegistry
from bot.domain.models import utcnow
from intents import extract
from intents.catalog import FALLBACK
from intents.grants import GrantDraft, Reading, read
from intents.lexicon import TOO_BROAD
from intents.verbwords import WRITE_VERBS

MAX_TEXT = 2000
MAX_POLICY_TEXT = 20000

_RULES: tuple[tuple[str, re.Pattern[str], float], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE), confidence)
    for name, pattern, confidence in (
        (
            "ExplainPolicy",
            r"\b(explain|what does (this|the|my) (policy|json|doc)|in plain (words|english)|"
            r"summari[sz]e|describe this|break down|translate this)\b|"
            # a question about a pasted document that doesn't say "policy": "what would this let me do? {...}"
            r"\bwhat(?:['\u2019]?s| is| does| do| would| will| can) (this|these|that|it)\b[^{]{0,60}\{|"
            r"\b(eli5|what does it mean|in english|explain like)\b",
            0.95,
        ),
        (
            "ValidatePolicy",
            r"^\s*[{\[]|\b(validate|lint|is this|would this)\b.{0,30}\b(policy|json)\b|"
            # "check this policy" is a review; "check the bucket policy on X" asks to read one
            r"\b(review|check)\s+(this|my|our|the following|a)\s+(iam\s+)?(policy|json)\b|"
            # any question about a pasted document: "is this ok? {...}", "lint: {...}"
            r"\b(validate|lint|review|check|ok|okay|safe|fine|valid|good|sane|allowed)\b[^{]{0,40}\{",
            0.95,
        ),
        (
            "DenyRequest",
            r"^\s*(i\s+)?(deny|denied|reject|decline|refuse|block|turn down|do not approve|"
            r"don'?t approve|no to)\b",
            0.95,
        ),
        (
            "ApproveRequest",
            r"^\s*(i\s+)?(approve[d]?|lgtm|accept|sign off|\+1|ship it|ship)\b|"
            r"\b(please approve|go ahead with)\s+ar-|^\s*(ok|okay|fine|good) to (grant|approve|go)\b",
            0.95,
        ),
        (
            "MyRequests",
            r"\bmy (open |pending |active |current |live |access |approved )?(requests|grants|access|permissions)\b|"
            r"what (have|did) i (ask|request)|what access do i have|requests (are|do i have)|which requests|"
            r"everything i requested",
            0.9,
        ),
        (
            "ListPending",
            r"\b(pending|waiting for (me|approval|my)|to approve|my approval|approval queue|"
            r"to review|the queue|open approvals)\b",
            0.9,
        ),
        (
            "TrimPolicy",
            r"\b(trim|shrink|right[- ]?size|tighten|clean up|reduce)\b|unused (permissions|access) "
            r"(from|on)|least[- ]privilege (for|version)|make \S+ least",
            0.9,
        ),
        (
            "UsageReport",
            r"\b(used|use|uses|using|usage|access[- ]advisor|last[- ](accessed|used|touch(ed)?)|unused|stale "
            r"(perms|permissions|access)|access report|touch(ed)?|really (does|do|uses?)|actually (does|do|uses?)|"
            r"which services did|what (services )?did (the )?(role |user )?\S+ (access|call|hit|touch|use))\b",
            0.85,
        ),
        ("ExtendAccess", r"\b(extend|renew|prolong|more time|longer|another|\d+ more|one more|keep)\b", 0.9),
        (
            "CancelRequest",
            r"\b(cancel|withdraw|scrap|drop|abandon|kill|get rid of|revoke|"
            r"(don'?t|do not) need)\b",
            0.9,
        ),
        (
            "CheckStatus",
            r"\b(status|where is|approved yet|been approved|news on|happened to|going|check|show|"
            r"done|what'?s up)\b",
            0.85,
        ),
        (
            "Help",
            r"^\s*(help|hi|hello|hey|commands|instructions|usage help|show help)\W*$|^\s*help\b|what can (you|i)|"
            r"how (does this|do i|to)|what do you do|"
            # the bot named rather than "you": "what can the bot do", "what does accessbot do"
            r"\bwhat (can|does|do|is) (th(is|e) (bot|thing|tool)|accessbot)\b|\bwhat are you (able|good|for)\b|"
            r"\bwhich accounts\b",
            0.9,
        ),
    )
)
_ACCESS_WORDS = re.compile(
    r"\b(access|need|want|give|grant|get|read|write|list|let me|permission|perms|can i|request|start|stop|invoke|"
    r"publish|send|upload|download|query|decrypt|encrypt|rw|pull|push|reboot|restart|consume|receive|execute|delete)\b",
    re.IGNORECASE,
)
# Hyphenated, underscored or slashed names (not request ids): their parts are not intent words.
# Intents whose patterns read names too ("least-privilege", "did ci-deploy-role hit").
_WHOLE_TEXT = frozenset({"ValidatePolicy", "ExplainPolicy", "TrimPolicy", "UsageReport"})
_IN_NAMES = re.compile(r"(?i)(?<![\w.\-/])(?!ar-[a-z0-9]{5}\b)[\w.]*[-_/][\w.\-/]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")
_VARIABLE = re.compile(r"\$\{")
_FULL = re.compile(r"\b(full|all|complete|unrestricted)\s+(access|rights|permissions|control)\b", re.IGNORECASE)
_READ_ONLY = re.compile(r"\bread[\s-]?only\b|\breadonly\b", re.IGNORECASE)
# "the windows admin password" (ec2:GetPasswordData) is a thing an admin has, not a request to be one.
_ADMIN_THINGS = r"password|passwords|pw|creds|credentials|console|ui|portal|username|email|contact"
_BROAD = re.compile(
    r"(?<![\w:])(" + "|".join(re.escape(w) for w in TOO_BROAD) + r")s?(?![\w])(?!\s+(?:" + _ADMIN_THINGS + r")\b)"
    r"|\b\w[\w-]*:\w*\*|\b\w*FullAccess\b|"
    r"\baccess to (all|every) (services|resources|of aws)\b",
    re.IGNORECASE,
)
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")
# HTML-like tags (<b>, </i>, <script src=...>) are formatting, not words: "<b>orders</b>" names "orders".
# Slack's own markup (<@U123>, <#C1|x>, <https://...|x>) does not start with a bare tag name, so it stays.
_MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


@dataclass
class Parse:
    """What the parser read: intent, confidence, slots (parser keys), grant drafts and problems."""

    intent: str
    confidence: float
    slots: dict[str, Any] = field(default_factory=dict)
    grants: list[GrantDraft] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    text: str = ""
    truncated_from: int | None = None
    corrections: list[tuple[str, str]] = field(default_factory=list)  # typos: (as typed, read as)
    unknown_verbs: list[tuple[str, str]] = field(default_factory=list)  # (verb, service) with no action
    ambiguous: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (noun, services)


def clean(text: str, limit: int = MAX_TEXT, *, markup: bool = False) -> tuple[str, int | None]:
    """Normalised text (NFKC, no control characters, no emoji, no HTML tags unless `markup`), cut at `limit`.

    The second value is the original length when the text was cut.
    """
    text = text if isinstance(text, str) else ""
    original = len(text)
    text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", text[: limit * 2]))
    text = _EMOJI.sub(" ", text)
    text = (text if markup else _MARKUP.sub(" ", text)).strip()
    if original > limit:
        return text[:limit], original
    return text, None


def classify(text: str) -> tuple[str, float]:
    """Intent and confidence from rules; access words fall to RequestAccess; nothing matched is the fallback."""
    if not text.strip():
        return FALLBACK, 0.0
    has_id = bool(extract.REQUEST_ID.search(text))
    words_only = _IN_NAMES.sub(" ", text)  # "partner-drop-dev" says nothing about dropping a request
    if re.search(r"\b(extend|renew|prolong|more time|longer)\b.*\bmy (access|grant)", text, re.IGNORECASE):
        return "ExtendAccess", 0.8
    for name, pattern, confidence in _RULES:
        if not pattern.search(text if name in _WHOLE_TEXT else words_only):
            continue
        if name in {"CancelRequest", "ExtendAccess", "CheckStatus"} and not has_id and name != "CancelRequest":
            if name == "ExtendAccess" and re.search(r"\b(my access|my grant)\b", text, re.IGNORECASE):
                return name, 0.8
            continue
        if name == "UsageReport" and not (usage_principal(text) or re.search(r"\baccount\b", text, re.I)):
            continue
        if name in {"CancelRequest", "ApproveRequest", "DenyRequest"} and not has_id and _asks_aws(text):
            continue  # "cancel the stuck rotation on X", "approve the manual approval in pipeline Y": access
        if name == "TrimPolicy" and not usage_principal(text):
            continue
        return name, confidence
    if has_id:
        return "CheckStatus", 0.7
    if _ACCESS_WORDS.search(text) or broad_ask(text):
        return "RequestAccess", 0.8
    return FALLBACK, 0.3


def usage_principal(text: str) -> str | None:
    """Whose usage: a role/user named as such, a CamelCase name, or a dashed name next to 'did/does/has/is'."""
    found = extract.principal(text)
    if found:
        return found
    match = _USAGE_NAME.search(text)
    return match.group(1) if match else None


_USAGE_NAME = re.compile(
    r"\b(?:did|does|has|have|is|was|hasn'?t|of|for)\s+(?:the\s+)?"
    r"([A-Za-z][\w.+=@]*[-_.][\w.+=@-]+|[A-Z][A-Za-z0-9]*[A-Z][\w+=@-]*)\b"
)


def _asks_aws(text: str) -> bool:
    """Whether the words name an AWS service or resource to act on (not one of the bot's own requests)."""
    reading = read(text)
    return any(d.service and (d.levels or d.actions) for d in reading.drafts)


def parse(
    text: str,
    *,
    registry: AccountRegistry,
    now: datetime | None = None,
    intent_hint: str | None = None,
) -> Parse:
    """Read one message. Never raises: odd input ends up in `problems` or the fallback intent."""
    policy_like = "{" in text[:200]
    cleaned, cut = clean(text, MAX_POLICY_TEXT if policy_like else MAX_TEXT, markup=policy_like)
    intent, confidence = classify(cleaned) if intent_hint is None else (intent_hint, 1.0)
    result = Parse(intent=intent, confidence=confidence, text=cleaned, truncated_from=cut)
    if intent in {"ValidatePolicy", "ExplainPolicy"}:
        start = cleaned.find("{")
        if start >= 0:
            result.slots["policy"] = cleaned[start:]
        result.slots.update(_words_slots(cleaned[:start] if start >= 0 else cleaned, registry, now, intent))
        return result
    result.slots.update(_words_slots(cleaned, registry, now, intent))
    if intent == "RequestAccess" or intent_hint is not None:
        _access(cleaned, registry, result)
    elif intent == FALLBACK:
        # No rule fired ("raed the orders tabel", "rotate the db secret"): a request if the words make one.
        _access(cleaned, registry, result)
        if any(g.service and (g.levels or g.actions) for g in result.grants):
            result.intent, result.confidence = "RequestAccess", 0.75
            result.slots.update(_words_slots(cleaned, registry, now, "RequestAccess"))
        else:
            result.grants, result.problems, result.corrections = [], {}, []
            for key in ("service", "access_level", "action", "resource"):
                result.slots.pop(key, None)
    return result


def _words_slots(text: str, registry: AccountRegistry, now: datetime | None, intent: str) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    ids = extract.request_ids(text)
    if ids:
        slots["request_id"] = ids[0]
    names = extract.accounts(text, registry) if intent != "DenyRequest" else []
    if names:
        slots["account"] = names
    if intent in {"UsageReport", "TrimPolicy"}:
        who = usage_principal(text)
        if who:
            slots["principal"] = who
            if re.search(rf"\buser\s+{re.escape(who)}\b|:user/", text, re.IGNORECASE):
                slots["principal_kind"] = "user"  # "user bob.smith": look for an IAM user, not a role
        count = extract.days(text)
        if count:
            slots["days"] = count
        return slots
    if intent == "DenyRequest" and ids:
        reason = re.split(re.escape(ids[0][3:]), text, maxsplit=1, flags=re.IGNORECASE)[-1]
        reason = re.sub(r"^[\s:,\-]*(because|since|reason:?)?\s*", "", reason, flags=re.IGNORECASE).strip()
        if reason:
            slots["reason"] = reason[:500]
        return slots
    regions = extract.regions(text)
    if regions:
        slots["region"] = regions
    length = extract.duration(text, now or utcnow())
    if length:
        slots["duration"] = length
    if intent == "RequestAccess":
        tags = extract.tags(text)
        if tags:
            slots["tag_key"], slots["tag_value"] = tags[0]
        why = extract.justification(text)
        if why:
            slots["justification"] = why
    return slots


_RULED_OUT = re.compile(r"\b(?:no|not|never|without|non)[\s-]+(?:\w+\s+)?$", re.IGNORECASE)


def broad_ask(text: str) -> re.Match[str] | None:
    """The first too-broad words asked for; "no root", "not admin" rule them out instead."""
    for found in _BROAD.finditer(text):
        if not _RULED_OUT.search(text[max(0, found.start() - 24) : found.start()]):
            return found
    return None


def _access(text: str, registry: AccountRegistry, result: Parse) -> None:
    broad = broad_ask(text)
    if broad:
        result.problems["too_broad"] = broad.group(0)
    if _VARIABLE.search(text):
        result.problems["variable"] = "${"
    why = extract.JUSTIFY.search(text)
    words = text[: why.start()] if why and why.start() > 0 else text
    if broad:
        words = words.replace(broad.group(0), " ")  # "AdministratorAccess" is the refusal, not a resource name
    reading: Reading = read(extract.blank(_strip_tags(words), registry))
    result.grants = reading.drafts
    result.corrections = reading.corrections
    result.unknown_verbs = reading.unknown_verbs
    result.ambiguous = reading.ambiguous
    if reading.star_writes:
        result.problems["star_write"] = reading.star_writes[0]
    if _FULL.search(text):
        result.problems["full_access"] = _FULL.search(text).group(0)  # type: ignore[union-attr]
    if _READ_ONLY.search(text):
        verbs = [v for g in result.grants for v in g.verbs if v in WRITE_VERBS]
        wrote = re.search(r"\b(delete|remove|write|upload|put|modify|update|change|edit)\b", text, re.I)
        if verbs or wrote:
            result.problems["contradiction"] = verbs[0] if verbs else wrote.group(1).lower()  # type: ignore[union-attr]
    services = [g.service for g in result.grants if g.service]
    if services:
        result.slots["service"] = list(dict.fromkeys(services))
    levels = [lv.value for g in result.grants for lv in g.levels]
    if levels:
        result.slots["access_level"] = list(dict.fromkeys(levels))
    actions = [a for g in result.grants for a in g.actions]
    if actions:
        result.slots["action"] = list(dict.fromkeys(actions))
    resources = [r for g in result.grants for r in g.resources]
    if resources:
        result.slots["resource"] = list(dict.fromkeys(resources))
    if not services:
        guess = _unknown_service(text)
        if guess:
            result.problems["unknown_service"] = guess


def _strip_tags(text: str) -> str:
    # Tag keys and values ("tagged CostCenter 0735") are not resource names.
    return re.sub(r"\b(tagged|labell?ed)\s+(with\s+)?\S+\s*(=|:|is)?\s*\S+", " ", text, flags=re.IGNORECASE)


def _unknown_service(text: str) -> str | None:
    for match in _UNKNOWN_SERVICE.finditer(text):
        word = next(g for g in match.groups() if g).lower()
        if word not in {"the", "my", "our", "it", "this", "that", "a", "an"}:
            return word
    return None


_UNKNOWN_SERVICE = re.compile(
    r"\b(?:to|on|for|in|use)\s+(?:the\s+)?([a-z][a-z0-9-]{2,30})\s+(?:service|api)\b|"
    r"\b(?:service|api)\s+(?:called\s+)?([a-z][a-z0-9-]{2,30})\b|"
    r"\baccess (?:to|on)\s+(?:the\s+)?([a-z][a-z0-9-]{2,30})\b",
    re.IGNORECASE,
)
