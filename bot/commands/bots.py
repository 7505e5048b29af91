"""What the CLI's commands ask of the bot, answered in this process, as JSON.

Two callers: the CLI itself with real AWS (`--aws real`, or credentials in the environment), and the
local bot's `/cli/*` routes (bot/local/cli_api.py) on behalf of a signed-in demo user. The remote CLI
(bot/commands/localbot.py) gets the same JSON over HTTP, so every command renders one shape.
"""

from __future__ import annotations

from typing import Any

from bot.domain.models import Actor
from bot.errors import InvalidInput

VERBS = ("approve", "deny", "revoke", "retry")
TEXTS = {
    "status": "'{status}' is not a status: {known}",
    "verb": "'{verb}' is not one of: {known}",
}


def turn_json(result: Any) -> dict[str, Any]:
    """The stable `chat --json` keys: intent, slots, reply, replies; request/policy/findings/decision once formed."""
    out: dict[str, Any] = {
        "intent": result.intent,
        "slots": result.slots,
        "reply": result.text,
        "replies": [reply.as_json() for reply in result.replies],
    }
    if result.request is not None:
        out["request"] = result.request.model_dump(mode="json")
    if result.validation is not None:
        out.update(result.validation.as_json())
    if result.request_id:
        out["request_id"] = result.request_id
    if result.status:
        out["status"] = str(getattr(result.status, "value", result.status))
    return out


class InProcessBot:
    """The lifecycle, dialog and usage service of this process (bot.wiring), acting as `actor`."""

    def __init__(self, actor: Actor, *, dialog: Any = None, usage: Any = None) -> None:
        self.actor = actor
        self._dialog, self._usage = dialog, usage

    def chat(self, text: str, session: str) -> dict[str, Any]:
        from bot import wiring

        dialog = self._dialog or wiring.dialog()
        return turn_json(dialog.turn(self.actor, text, session))

    def requests(self, status: str | None) -> list[dict[str, Any]]:
        from bot import wiring
        from bot.domain.lifecycle import Status

        try:
            chosen = Status(status) if status else None
        except ValueError:
            raise InvalidInput(TEXTS["status"].format(status=str(status)[:40], known=", ".join(Status))) from None
        return [r.model_dump(mode="json") for r in wiring.service().listing(chosen, actor=self.actor)]

    def request(self, request_id: str) -> dict[str, Any]:
        from bot import wiring

        record, events = wiring.service().history(request_id, actor=self.actor)
        return {"request": record.model_dump(mode="json"), "events": [e.model_dump(mode="json") for e in events]}

    def act(self, verb: str, request_id: str, reason: str | None = None) -> dict[str, Any]:
        from bot import wiring

        backend = wiring.backend()
        if verb in ("approve", "deny"):
            outcome = backend.decide(request_id, approve=verb == "approve", reason=reason, actor=self.actor)
        elif verb == "revoke":
            outcome = backend.revoke(request_id, actor=self.actor)
        elif verb == "retry":
            outcome = backend.retry(request_id, actor=self.actor)
        else:
            raise InvalidInput(TEXTS["verb"].format(verb=verb[:20], known=", ".join(VERBS)))
        return outcome.as_json()

    def usage(self, text: str, days: int, wait: float) -> dict[str, Any]:
        """The report as JSON (`report`), as terminal replies (`replies`), and whether it is still running."""
        from bot import wiring
        from bot.domain import usage_render as render
        from bot.domain.usage import AccountReport, Pending
        from bot.domain.usage_lookup import Choice

        service = self._usage or wiring.usage_service()
        found = service.report(text, days, deadline_seconds=wait)
        if isinstance(found, Choice):
            raise InvalidInput(render.choice_cli_text(found))
        done, total = 1, 1
        if isinstance(found, Pending):
            outcome, done = render.pending_outcome(found, cli=True), 0
        elif isinstance(found, AccountReport):
            outcome, done, total = render.account_outcome(found, cli=True), found.total - found.pending, found.total
        else:
            outcome = render.report_outcome(found)
        replies = [r.as_json() for r in outcome.replies]
        return {"report": found.as_json(), "replies": replies, "running": done < total, "done": done, "total": total}
