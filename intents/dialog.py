"""The multi-turn dialog: one turn of text in, replies out; state in a SessionStore with a TTL."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from bot.domain.accounts import Account, AccountRegistry, embedded_registry
from bot.domain.models import AccessRequest, Actor, PolicyDocument, ValidationResult, utcnow
from bot.domain.replies import Button, Outcome, Reply
from bot.domain.rules import CentralRules, load_rules
from bot.errors import AccessBotError
from intents import extract, operations, texts
from intents.backend import Backend
from intents.catalog import FALLBACK
from intents.parser import Parse, parse
from intents.second_reading import second_reading
from intents.sessions import DEFAULT_TTL_SECONDS, SessionStore
from intents.state import State, check_duration, merge_grants, public, resolve_accounts
from intents.understand import arn_problem, build_request, incomplete, policy_for, problem_text
from intents.understander import Understander

_CANCEL = re.compile(r"^\s*(cancel|never ?mind|nevermind|stop|forget it|abort|start over|no thanks|quit)\W*$", re.I)
_SUBMIT = re.compile(r"^\s*(submit|yes|y|yep|confirm|go|go ahead|ok|okay|send it|do it)\W*$", re.I)
_STRONG = {
    "CheckStatus",
    "MyRequests",
    "ExtendAccess",
    "UsageReport",
    "ApproveRequest",
    "DenyRequest",
    "ListPending",
    "Help",
    "ValidatePolicy",
    "ExplainPolicy",
    "TrimPolicy",
    "CancelRequest",
}


@dataclass
class TurnResult:
    """What one turn produced: the intent read, its slots, the replies, and the request when one is formed."""

    intent: str
    slots: dict[str, Any]
    replies: list[Reply]
    confidence: float = 1.0
    request: AccessRequest | None = None
    requests: tuple[AccessRequest, ...] = ()
    policy: PolicyDocument | None = None
    validation: ValidationResult | None = None
    request_id: str | None = None
    status: str | None = None
    awaiting: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(r.text for r in self.replies)


class Dialog:
    """Runs turns for every front; the Backend does the lifecycle work, the SessionStore keeps state."""

    def __init__(
        self,
        backend: Backend,
        sessions: SessionStore,
        *,
        registry: AccountRegistry | None = None,
        rules: CentralRules | None = None,
        now: Callable[[], datetime] = utcnow,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
        understander: Understander | None = None,
        understander_mode: str = "fallback",
    ) -> None:
        self.backend = backend
        self.sessions = sessions
        self.registry = registry or embedded_registry()
        self._rules = rules
        self.now = now
        self.ttl = ttl_seconds
        self.understander = understander
        self.understander_mode = understander_mode

    @property
    def rules(self) -> CentralRules:
        if self._rules is None:
            self._rules = load_rules()
        return self._rules

    def turn(self, actor: Actor, text: str, session_id: str) -> TurnResult:
        """One message from `actor` in conversation `session_id`."""
        raw = self.sessions.get(session_id)
        notes: list[Reply] = []
        if raw is not None and raw.get("owner") != actor.id:
            raw, notes = None, [Reply(text=texts.SESSION_OTHER_USER)]
        state = State.load(raw) if raw else None
        if not isinstance(text, str) or not text.strip():
            return TurnResult(FALLBACK, {}, [*notes, Reply(text=texts.EMPTY)], confidence=0.0)
        if _CANCEL.match(text[:100]):
            if state is None:
                return TurnResult("CancelRequest", {}, [Reply(text=texts.NOTHING_TO_CANCEL)])
            self.sessions.delete(session_id)
            return TurnResult(state.intent, state.slots, [Reply(text=texts.CANCELLED)], status="cancelled")
        if state is not None and state.awaiting == "confirm" and _SUBMIT.match(text[:100]):
            return self._submit(actor, state, session_id)
        if _SUBMIT.match(text[:100]) and state is None:
            return TurnResult(FALLBACK, {}, [Reply(text=texts.NOTHING_TO_SUBMIT)])
        now = self.now()
        read = parse(text, registry=self.registry, now=now)
        if state is None and self.understander is not None:
            read, used = second_reading(
                read, self.understander, self.registry, always=self.understander_mode == "always"
            )
            if used:
                notes.append(Reply(text=texts.MODEL_READ))
        if read.truncated_from:
            notes.append(Reply(text=texts.TRUNCATED.format(length=read.truncated_from, limit=len(read.text))))
        if read.corrections:
            notes.append(Reply(text=texts.read_as(read.corrections)))
        if state is not None and not (
            read.intent in _STRONG and read.confidence >= 0.85 and state.awaiting != "reason"
        ):
            state = self._continue(state, read, now)
        elif read.intent == "RequestAccess" or (state is None and read.intent == FALLBACK and read.grants):
            state = State("RequestAccess", dict(read.slots), list(read.grants))
            self._note_problems(state, read)
        else:
            state = State(read.intent, dict(read.slots))
        result = self._advance(actor, state, session_id, now)
        result.replies[:0] = notes
        result.confidence = read.confidence
        return result

    # ---- merging an answer or a correction into the state ---------------------------------------

    def _continue(self, state: State, read: Parse, now: datetime) -> State:
        text, awaiting = read.text, state.awaiting
        if state.intent != "RequestAccess":
            answer = dict(read.slots)
            if awaiting == "reason" and "reason" not in answer:
                answer["reason"] = text[:500]
            if awaiting == "account" and not answer.get("account"):
                answer["account"] = extract.accounts(text, self.registry, whole=True) or [text.strip()[:64]]
            if awaiting == "principal" and not answer.get("principal"):
                answer["principal"] = extract.principal(text) or text.strip().split()[0][:128]
            if awaiting == "days" and extract.days(text + " days"):
                answer["days"] = extract.days(text + " days")
            if awaiting == "policy":
                start = text.find("{")
                answer["policy"] = text[start:] if start >= 0 else text
            state.slots.update(answer)
            return state
        if awaiting == "justification":
            # The answer is the justification and nothing else: "reload yesterday's files" or "nightly
            # batch" name things that look like services or resources, and re-reading them for grants
            # replaced the grant or cleared its access level. Corrections come before or after this turn.
            # Its one check stays: a policy variable ("${...}") is still refused.
            state.slots["justification"] = text[:1000]
            state.slots.pop("contradiction_answered", None)
            again = parse(text, registry=self.registry, now=now, intent_hint="RequestAccess")
            if "variable" in again.problems:
                self._note_problems(state, again, only="variable")
            return state
        again = parse(text, registry=self.registry, now=now, intent_hint="RequestAccess")
        slots = {k: v for k, v in again.slots.items() if k not in {"service", "access_level", "resource", "action"}}
        if awaiting == "account" and not slots.get("account"):
            slots["account"] = extract.accounts(text, self.registry, whole=True) or [text.strip()[:64]]
        if awaiting == "duration" and "duration" not in slots:
            slots["duration"] = extract.duration(text + " hours" if text.strip().isdigit() else text, now) or "?"
        state.slots.update(slots)
        state.slots.pop("contradiction_answered", None)
        merge_grants(state, again, awaiting)
        if awaiting != "access_level":
            self._note_problems(state, again)
        return state

    def _note_problems(self, state: State, read: Parse, only: str | None = None) -> None:
        if only is not None:
            read = replace(read, problems={only: read.problems[only]})
        message = problem_text(read)
        if message:
            state.slots["_problem"] = message
            state.slots["_problem_kind"] = next(iter(read.problems))

    # ---- deciding what to say next -------------------------------------------------------------

    def _advance(self, actor: Actor, state: State, session_id: str, now: datetime) -> TurnResult:
        if state.intent != "RequestAccess":
            step = operations.run(state.intent, state.slots, actor, self.backend, self.registry)
            if isinstance(step, Outcome):
                self.sessions.delete(session_id)
                return TurnResult(
                    state.intent,
                    public(state.slots),
                    list(step.replies),
                    request_id=step.request_id,
                    status=step.status,
                )
            state.awaiting, reply = step
            return self._ask(actor, state, session_id, reply)
        problem, kind = state.slots.pop("_problem", None), state.slots.pop("_problem_kind", None)
        if problem:
            if kind in {"too_broad", "variable"}:
                self.sessions.delete(session_id)
                return TurnResult(state.intent, public(state.slots), [Reply(text=problem)], status="refused")
            buttons: tuple[Button, ...] = ()
            if kind == "contradiction":
                buttons = (Button(label="Read only", value="read only"),)
            elif kind == "full_access":
                buttons = tuple(Button(label=w, value=w.lower()) for w in ("Read", "List", "Write"))
            state.awaiting = "access_level" if kind in {"contradiction", "full_access"} else "service"
            return self._ask(actor, state, session_id, Reply(text=problem, buttons=buttons))
        missing = incomplete(state.grants, state.slots)
        if missing:
            state.awaiting = (
                "service"
                if missing == texts.ASK_SERVICE
                else ("access_level" if missing == texts.ASK_LEVEL else "resource")
            )
            buttons = (
                tuple(Button(label=w, value=w.lower()) for w in ("Read", "List", "Write"))
                if state.awaiting == "access_level"
                else ()
            )
            return self._ask(actor, state, session_id, Reply(text=missing, buttons=buttons))
        accounts, question = resolve_accounts(state, self.registry)
        if question is not None:
            return self._ask(actor, state, session_id, question)
        for account in accounts:
            problem_arn = arn_problem(state.grants, account)
            if problem_arn:
                state.awaiting = "resource"
                for grant in state.grants:
                    grant.resources = [r for r in grant.resources if not r.startswith("arn:")]
                return self._ask(actor, state, session_id, Reply(text=problem_arn))
        asked = check_duration(state, accounts, self.rules)
        if asked is not None:
            return self._ask(actor, state, session_id, asked)
        if not state.slots.get("justification"):
            state.awaiting = "justification"
            return self._ask(actor, state, session_id, Reply(text=texts.ASK_JUSTIFICATION))
        return self._confirm(actor, state, session_id, accounts, now)

    def _ask(self, actor: Actor, state: State, session_id: str, reply: Reply) -> TurnResult:
        self.sessions.put(session_id, state.dump(actor.id), self.ttl)
        return TurnResult(state.intent, public(state.slots), [reply], awaiting=state.awaiting)

    def _drafts(self, state: State, accounts: list[Account], actor: Actor) -> list[AccessRequest]:
        return [build_request(state.grants, state.slots, account, actor.id) for account in accounts]

    def _confirm(
        self, actor: Actor, state: State, session_id: str, accounts: list[Account], now: datetime
    ) -> TurnResult:
        try:
            requests = self._drafts(state, accounts, actor)
            checked = [self._check(request, account, now) for request, account in zip(requests, accounts, strict=True)]
        except (ValidationError, ValueError) as error:
            self.sessions.delete(session_id)
            reason = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
            return TurnResult(state.intent, public(state.slots), [Reply(text=texts.CANNOT_WRITE.format(reason=reason))])
        except ImportError:
            self.sessions.put(session_id, state.dump(actor.id), self.ttl)
            return TurnResult(
                state.intent,
                public(state.slots),
                [Reply(text=texts.WRITER_MISSING)],
                request=requests[0],
                requests=tuple(requests),
            )
        except AccessBotError as error:
            state.awaiting = "resource"
            return self._ask(actor, state, session_id, Reply(text=texts.CANNOT_WRITE.format(reason=str(error))))
        replies = []
        allowed = all(v.allowed for _, v in checked)
        head = texts.CONFIRM_HEAD if len(checked) == 1 else texts.CONFIRM_HEAD_MANY.format(count=len(checked))
        for (lines, validation), request in zip(checked, requests, strict=True):
            blocking = sum(
                1 for f in validation.findings if f.blocking or f.severity.value in {"error", "security_warning"}
            )
            body = [f"{request.account}:", *(f"- {line}" for line in lines)]
            if validation.findings:
                body.append(texts.CONFIRM_FINDINGS.format(count=len(validation.findings), blocking=blocking))
            replies.append(Reply(text="\n".join(body), policy=validation.policy, findings=validation.findings))
        buttons: tuple[Button, ...] = (
            (Button(label=texts.BUTTON_SUBMIT, value="submit", style="primary"),) if allowed else ()
        )
        buttons += (Button(label=texts.BUTTON_CANCEL, value="cancel", style="danger"),)
        replies.insert(0, Reply(text=head if allowed else texts.CONFIRM_REJECTED))
        replies[-1] = replies[-1].model_copy(update={"buttons": buttons})
        state.awaiting = "confirm" if allowed else "correction"
        self.sessions.put(session_id, state.dump(actor.id), self.ttl)
        return TurnResult(
            state.intent,
            public(state.slots),
            replies,
            request=requests[0],
            requests=tuple(requests),
            policy=checked[0][1].policy,
            validation=checked[0][1],
            awaiting=state.awaiting,
            status="draft",
        )

    def _check(self, request: AccessRequest, account: Account, now: datetime) -> tuple[list[str], ValidationResult]:
        from importlib import import_module

        policy = policy_for(request, account, now)
        validation: ValidationResult = import_module("bot.domain.validation").validate(
            policy, account_type=account.type, rules=self._rules
        )
        lines: list[str] = import_module("bot.domain.summary").summarize(policy)
        return lines, validation

    def _submit(self, actor: Actor, state: State, session_id: str) -> TurnResult:
        accounts, _ = resolve_accounts(state, self.registry)
        now = self.now()
        replies: list[Reply] = []
        last: Outcome | None = None
        requests = self._drafts(state, accounts, actor)
        for request, account in zip(requests, accounts, strict=True):
            _, validation = self._check(request, account, now)
            try:
                last = self.backend.submit(request, validation, actor=actor)
                replies += list(last.replies) or [Reply(text=texts.SUBMITTED_NO_ID)]
            except AccessBotError as error:
                replies.append(Reply(text=texts.BACKEND_ERROR.format(message=str(error))))
        self.sessions.delete(session_id)
        return TurnResult(
            state.intent,
            public(state.slots),
            replies,
            request=requests[0] if requests else None,
            requests=tuple(requests),
            request_id=last.request_id if last else None,
            status=last.status if last else None,
        )
