"""The requester's side: `/access` words and sub-commands, reply buttons and selects, the validate and edit modals.

The lazy work (and the edit modal's acks, which need the draft's model); bot.slack.routes wires it and acks the rest.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from bot.domain.models import AccessRequest, Actor
from bot.domain.replies import Outcome, Reply
from bot.errors import AccessBotError, InvalidInput, RetryLater
from bot.slack import actors, blocks, commands, limits, messages, views
from bot.slack.ids import EDIT_ACTION
from bot.slack.services import Services

logger = logging.getLogger(__name__)

_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$")
Message = dict[str, Any]


def guarded(work: Callable[[], Message]) -> Message:
    """Runs the work; a bot error becomes its own one-line message, anything else a generic one (logged)."""
    try:
        return work()
    except RetryLater as error:
        return limits.text_message(limits.escape(str(error)) or messages.RETRY_LATER)
    except AccessBotError as error:
        return limits.text_message(limits.escape(str(error)))
    except Exception:
        logger.exception("slack listener failed")
        return limits.text_message(messages.UNEXPECTED)


def outcome_message(outcome: Outcome) -> Message:
    return blocks.message(outcome.replies)


def turn_message(result: Any) -> Message:
    """The dialog's replies; a formed but unsubmitted request also gets an Edit… button (the edit modal)."""
    replies: list[Reply] = list(result.replies)
    request: AccessRequest | None = getattr(result, "request", None)
    extra = []
    if request is not None and not getattr(result, "request_id", None):
        draft = request.model_dump_json(exclude_defaults=True)
        if len(draft) <= limits.BUTTON_VALUE:
            extra.append({"type": "actions", "elements": [blocks.button(messages.BUTTON_EDIT, EDIT_ACTION, draft)]})
    return blocks.message(replies, extra=extra)


class Requester:
    """Listeners for what a requester does."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def actor(self, body: dict[str, Any], client: Any) -> Actor:
        user = body.get("user_id") or (body.get("user") or {}).get("id") or ""
        name = body.get("user_name") or (body.get("user") or {}).get("name")
        return actors.actor(str(user), client, self.services.directory, display=name)

    def session(self, body: dict[str, Any], actor: Actor) -> str:
        team = body.get("team_id") or (body.get("team") or {}).get("id")
        return actors.session_id(team, actor.id)

    def run(self, text: str, actor: Actor, session: str) -> Message:
        """One piece of work for `text`: a sub-command through the backend, or words through the dialog."""

        def work() -> Message:
            command = commands.parse(text)
            backend = self.services.backend()
            match command.verb:
                case "help":
                    return limits.text_message(messages.HELP)
                case "status":
                    return outcome_message(backend.status(command.request_id or "", actor=actor))
                case "mine":
                    return outcome_message(backend.mine(actor=actor))
                case "pending":
                    return outcome_message(backend.pending(actor=actor))
                case "cancel":
                    return outcome_message(backend.cancel(command.request_id or "", actor=actor))
                case "extend":
                    duration = command.duration
                    assert duration is not None  # parse() sets it for "extend"
                    return outcome_message(backend.extend(command.request_id or "", duration, actor=actor))
                case "usage":
                    return outcome_message(backend.usage(command.arn or "", command.days, actor=actor))
                case "trim":
                    return outcome_message(backend.trim(command.arn or "", command.days, actor=actor))
                case _:
                    return turn_message(self.services.dialog().turn(actor, command.text, session))

        return guarded(work)

    # /access --------------------------------------------------------------------------------------
    def do_command(self, command: dict[str, Any], client: Any, respond: Any) -> None:
        text = command.get("text") or ""
        try:
            if commands.parse(text).verb in ("help", "validate"):
                return  # answered by the ack
        except InvalidInput:
            return  # the ack said what is wrong
        actor = self.actor(command, client)
        answer = self.run(text, actor, self.session(command, actor))
        respond(response_type="ephemeral", replace_original=False, **answer)

    # Reply buttons and selects: the value is the next turn's text --------------------------------
    def do_turn_action(self, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any) -> None:
        value = action.get("value") or (action.get("selected_option") or {}).get("value") or ""
        actor = self.actor(body, client)
        answer = self.run(str(value), actor, self.session(body, actor))
        respond(response_type="ephemeral", replace_original=False, **answer)

    # Edit before submitting -----------------------------------------------------------------------
    def ack_edit(self, ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any) -> None:
        ack()
        try:
            request = AccessRequest.model_validate_json(action.get("value") or "")
        except ValidationError:
            respond(response_type="ephemeral", replace_original=False, text=messages.EDIT_EXPIRED)
            return
        view = views.edit_modal(
            request.model_dump_json(exclude_defaults=True),
            accounts=self.services.accounts(),
            account=request.account,
            duration=request.duration,
            regions=request.regions,
            justification=request.justification,
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def ack_edit_submission(self, ack: Any, view: dict[str, Any]) -> None:
        try:
            edited(view)
        except InvalidInput as error:
            block = "duration" if str(error) == messages.BAD_DURATION else "regions"
            ack(response_action="errors", errors={block: str(error)})
            return
        except ValidationError:
            ack(response_action="errors", errors={"justification": messages.EDIT_EXPIRED})
            return
        ack()

    def do_edit_submission(self, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        try:
            edited(view)
        except (InvalidInput, ValidationError):
            return  # the ack showed the field error; bolt runs lazy listeners whatever the ack said
        actor = self.actor(body, client)

        def work() -> Message:
            request = edited(view).model_copy(update={"requester": actor.id})
            validation = self.services.draft(request)
            if not validation.allowed:
                reply = Reply(text=messages.VALIDATE_REJECTED.format(account_type=validation.account_type or ""),
                              findings=validation.findings)
                return blocks.message([reply])
            return outcome_message(self.services.backend().submit(request, validation, actor=actor))

        client.chat_postMessage(channel=actor.id, **guarded(work))

    # /access validate -----------------------------------------------------------------------------
    def do_validate_submission(self, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        actor = self.actor(body, client)
        text = views.input_value(view, "policy")
        account_type = views.input_value(view, "account_type") or "sandbox"
        if account_type not in views.ACCOUNT_TYPES:
            account_type = "sandbox"

        def work() -> Message:
            if not text.strip():
                return limits.text_message(messages.VALIDATE_EMPTY)
            result = self.services.validate(text, account_type)
            template = messages.VALIDATE_ALLOWED if result.allowed else messages.VALIDATE_REJECTED
            return blocks.message([Reply(text=template.format(account_type=account_type), findings=result.findings)])

        client.chat_postMessage(channel=actor.id, **guarded(work))


def edited(view: dict[str, Any]) -> AccessRequest:
    """The draft in the modal's metadata with the person's edits applied (InvalidInput names a bad field)."""
    from datetime import timedelta

    draft = AccessRequest.model_validate_json(view.get("private_metadata") or "")
    duration_text = views.input_value(view, "duration").strip()
    duration: timedelta | None = commands.parse_duration(duration_text) if duration_text else None
    regions = tuple(r.strip() for r in views.input_value(view, "regions").split(",") if r.strip())
    update: dict[str, Any] = {
        "account": views.input_value(view, "account") or draft.account,
        "duration": duration,
        "regions": regions,
        "justification": views.input_value(view, "justification").strip()[:1000],
    }
    for region in regions:
        if not _REGION.match(region):
            raise InvalidInput(messages.EDIT_BAD_REGION.format(region=limits.escape(region[:40])))
    return AccessRequest.model_validate(draft.model_dump() | update)

