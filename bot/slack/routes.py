"""What the bolt app answers: each ack (Slack's 3 s) from light modules, each lazy listener imported on first use.

A cold ack loads bolt, this module, commands, views, limits and messages, nothing more: the dialog,
the domain models (pydantic), the policy writer and validation load in the lazy listener, which in
Lambda is a second invocation of the function (bolt's LambdaLazyListenerRunner).
https://tools.slack.dev/bolt-python/concepts/lazy-listeners, https://api.slack.com/interactivity/handling#acknowledgment_response
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import TYPE_CHECKING, Any

from bot.errors import InvalidInput
from bot.slack import commands, ids, limits, messages, views

if TYPE_CHECKING:
    from bot.slack.approvals import Approvals
    from bot.slack.listeners import Requester
    from bot.slack.services import Services


class Routes:
    """The acks, and the lazy work forwarded to the Requester and Approvals listeners (built on first use).

    bolt passes each function the arguments its parameter names ask for, and finds a lazy listener again in
    the re-invoked function by its name: the names below are the listeners' own.
    """

    def __init__(self, services: Services) -> None:
        self.services = services

    @cached_property
    def requester(self) -> Requester:
        from bot.slack.listeners import Requester

        return Requester(self.services)

    @cached_property
    def approvals(self) -> Approvals:
        from bot.slack.approvals import Approvals

        return Approvals(self.services)

    # Acks -----------------------------------------------------------------------------------------
    def ack_command(self, ack: Any, command: dict[str, Any], client: Any) -> None:
        """Acks `/access`: help at once, the validate modal (trigger ids expire), else "Working on it…"."""
        try:
            parsed = commands.parse(command.get("text") or "")
        except InvalidInput as error:
            ack(response_type="ephemeral", text=str(error))
            return
        if parsed.verb == "help":
            ack(response_type="ephemeral", **limits.text_message(messages.HELP))
        elif parsed.verb == "validate":
            client.views_open(trigger_id=command["trigger_id"], view=views.validate_modal(channel=""))
            ack()
        else:
            ack(response_type="ephemeral", text=messages.WORKING)

    def ack_edit(self, ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any) -> None:
        self.requester.ack_edit(ack, body, action, client, respond)  # the modal is built from the draft's model

    def ack_edit_submission(self, ack: Any, view: dict[str, Any]) -> None:
        self.requester.ack_edit_submission(ack, view)  # field errors need the draft's model

    def ack_deny(self, ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        """Opens the deny-reason modal (trigger ids live 3 s)."""
        ack()
        container = body.get("container") or {}
        view = views.deny_modal(
            str(action.get("value", "")),
            channel=str(container.get("channel_id") or body.get("channel", {}).get("id", "")),
            ts=str(container.get("message_ts") or ""),
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def ack_deny_submission(self, ack: Any, view: dict[str, Any]) -> None:
        if not views.input_value(view, "reason").strip():
            ack(response_action="errors", errors={"reason": messages.REASON_REQUIRED})
            return
        ack()

    def ack_view_policy(self, ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        """Opens the modal at once (trigger ids live 3 s); the lazy part fills it in by its external id."""
        ack()
        loading = views.policy_modal(str(action.get("value", "")), None)[0]
        loading["blocks"] = [limits.section(messages.WORKING)]
        loading["external_id"] = views.policy_external_id(body)
        client.views_open(trigger_id=body["trigger_id"], view=loading)

    # Lazy work ------------------------------------------------------------------------------------
    def do_command(self, command: dict[str, Any], client: Any, respond: Any) -> None:
        self.requester.do_command(command, client, respond)

    def do_turn_action(self, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any) -> None:
        self.requester.do_turn_action(body, action, client, respond)

    def do_edit_submission(self, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        self.requester.do_edit_submission(body, view, client)

    def do_validate_submission(self, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        self.requester.do_validate_submission(body, view, client)

    def do_approve(self, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        self.approvals.do_approve(body, action, client)

    def do_deny_submission(self, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        self.approvals.do_deny_submission(body, view, client)

    def do_view_policy(self, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        self.approvals.do_view_policy(body, action, client)

    def do_retry(self, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        self.approvals.do_retry(body, action, client)

    def do_thread_reply(self, event: dict[str, Any], client: Any) -> None:
        self.approvals.do_thread_reply(event, client)


def register(app: Any, services: Services) -> Routes:
    """Wires every listener into the bolt app: the ack first, the slow work lazily."""
    routes = Routes(services)
    # The requester's side.
    app.command("/access")(ack=routes.ack_command, lazy=[routes.do_command])
    app.action(re.compile(ids.TURN_ACTIONS))(ack=_ack, lazy=[routes.do_turn_action])
    app.action(ids.TURN_SELECT)(ack=_ack, lazy=[routes.do_turn_action])
    app.action(ids.EDIT_ACTION)(routes.ack_edit)
    app.view(ids.EDIT_CALLBACK)(ack=routes.ack_edit_submission, lazy=[routes.do_edit_submission])
    app.view(ids.VALIDATE_CALLBACK)(ack=_ack, lazy=[routes.do_validate_submission])
    # The security team's side: card buttons, the deny modal, thread replies.
    app.action(ids.APPROVE)(ack=_ack, lazy=[routes.do_approve])
    app.action(ids.DENY)(routes.ack_deny)
    app.view(ids.DENY_CALLBACK)(ack=routes.ack_deny_submission, lazy=[routes.do_deny_submission])
    app.action(ids.VIEW_POLICY)(ack=routes.ack_view_policy, lazy=[routes.do_view_policy])
    app.action(ids.RETRY)(ack=_ack, lazy=[routes.do_retry])
    app.event("message")(ack=_ack, lazy=[routes.do_thread_reply])
    return routes


def _ack(ack: Any) -> None:
    ack()
