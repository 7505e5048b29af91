"""The local bot's routes for the `accessbot` CLI (local stage only): chat, requests and usage, as JSON.

Same sign-in as the web chat: a Bearer ID token from the development identity provider (/dev/login),
verified by bot.web.identity, so the CLI can act only as a demo user, as anyone on the page can. The
work is bot.commands.bots.InProcessBot's, the same code the CLI runs itself against real AWS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.models import Actor, Front
from bot.domain.usage import DEFAULT_DAYS

MAX_WAIT = 120.0  # seconds one usage ask may wait for access advisor (the CLI asks in slices, see localbot)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class UsageIn(_In):
    # Loosely typed on purpose: the usage service checks the words and the days, and says what to fix.
    principal: Any = ""
    days: Any = DEFAULT_DAYS
    wait: Any = 20.0


class ActIn(_In):
    reason: str | None = Field(default=None, max_length=1000)  # too long: the web front's REASON_TOO_LONG


def register(app: Any, actor: Callable[[], Actor], body_of: Callable[[type[BaseModel]], Any]) -> None:
    """Add the routes to the api router; `actor` and `body_of` are its own sign-in and body checks."""
    from aws_lambda_powertools.event_handler import Response

    from bot.commands.bots import VERBS, InProcessBot
    from bot.errors import InvalidInput, NotFound
    from bot.web import texts
    from bot.web.routes import json_response

    def bot() -> InProcessBot:
        return InProcessBot(actor().model_copy(update={"front": Front.CLI}))

    def chat() -> Response[str]:
        from bot.web.chat import ChatIn, scoped_session

        me = bot()
        message = body_of(ChatIn)
        return json_response(200, me.chat(message.text, scoped_session(me.actor, message.session_id)))

    def requests() -> Response[str]:
        status = (app.current_event.query_string_parameters or {}).get("status")
        return json_response(200, {"requests": bot().requests(status.upper() if status else None)})

    def request(request_id: str) -> Response[str]:
        return json_response(200, bot().request(request_id))

    def act(request_id: str, verb: str) -> Response[str]:
        if verb not in VERBS:
            raise NotFound(texts.NOT_FOUND)
        me = bot()
        return json_response(200, me.act(verb, request_id, body_of(ActIn).reason))

    def usage() -> Response[str]:
        me = bot()
        ask = body_of(UsageIn)
        wait = ask.wait
        if isinstance(wait, bool) or not isinstance(wait, int | float) or not 0 < wait <= MAX_WAIT:
            raise InvalidInput(texts.CLI_WAIT.format(limit=f"{MAX_WAIT:g}"))
        return json_response(200, me.usage(str(ask.principal)[:2100], ask.days, float(wait)))

    app.post("/cli/chat")(chat)
    app.get("/cli/requests")(requests)
    app.get("/cli/requests/<request_id>")(request)
    app.post("/cli/requests/<request_id>/<verb>")(act)
    app.post("/cli/usage")(usage)
