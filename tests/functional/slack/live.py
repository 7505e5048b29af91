"""Slack over the real lifecycle: bot.wiring with a MemoryStore, SlackChanges on the fake Web API, signed requests.

The Slack app is built on the composition root's own backend and dialog (bot.wiring), so every
answer and refusal a test reads is the RequestService's; only the provisioner (fake or moto's IAM),
the scheduler and the store are swapped in with `wiring.use`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot import wiring
from bot.lifecycle.memory import MemoryStore
from bot.slack import app as slack_app
from bot.slack import lambda_adapter
from bot.slack.changes import SlackChanges
from bot.slack.notifier import SlackNotifier
from bot.slack.settings import SlackSettings
from tests.functional.slack.conftest import InProcessLambda, LambdaContext
from tests.functional.slack.fake_slack import Call, FakeSlack
from tests.functional.slack.signed import api_event, block_action, slash_command, thread_reply
from tests.unit.lifecycle.fakes import FakeScheduler

_SUBMITTED = re.compile(r"Submitted (AR-[A-Z0-9]{5})")


class Live:
    """One workspace: the fake Slack, the wired lifecycle, and helpers that click and type as people do."""

    def __init__(self, fake: FakeSlack, settings: SlackSettings, provisioner: Any) -> None:
        self.fake, self.provisioner = fake, provisioner
        self.store, self.scheduler = MemoryStore(), FakeScheduler()
        client = slack_app.web_client(settings)
        wiring.use(store=self.store, provisioner=provisioner, scheduler=self.scheduler, usage=None,
                   notifier=SlackChanges(SlackNotifier(settings, client=client)))
        app = slack_app.build_app(settings, wiring.backend, dialog_factory=wiring.dialog)
        self.lam = InProcessLambda()
        lambda_adapter.install(app, lambda_client=self.lam)
        self.response_url = fake.url + "/response/T0001/1"
        self._events = 0

    @staticmethod
    def close() -> None:
        lambda_adapter.reset()
        wiring.reset()

    # What people do --------------------------------------------------------------------------------
    def send(self, body: str, **kwargs: Any) -> dict[str, Any]:
        from bot.handlers import api

        result: dict[str, Any] = api(api_event(body, **kwargs), LambdaContext())
        assert result["statusCode"] == 200, result
        return result

    def command(self, text: str, user: str) -> dict[str, Any]:
        """`/access TEXT` as `user`; the lazy answer (through the response URL) is returned."""
        before = len(self.responses())
        ack = json.loads(self.send(slash_command(text, user=user, user_name=user.lower(),
                                                 response_url=self.response_url))["body"] or "{}")
        answers = self.responses()[before:]
        return answers[-1] if answers else ack

    def click(self, action_id: str, value: str, user: str, *, ts: str = "1700000000.000001") -> None:
        self.send(block_action(action_id, value, user=user, response_url=self.response_url, message_ts=ts))

    def reply(self, text: str, user: str, ts: str) -> None:
        self._events += 1
        self.send(thread_reply(text, user=user, thread_ts=ts, event_id=f"EvLIVE{self._events}"))

    def submit(self, words: str, user: str = "UALICE") -> str:
        """`/access WORDS`, then the Submit button of the dialog's answer; the new request's id."""
        answer = self.command(words, user)
        submit = next(e for e in buttons(answer) if e["text"]["text"] == "Submit")
        before = len(self.responses())
        self.click(submit["action_id"], submit["value"], user)
        [submitted] = self.responses()[before:]
        found = _SUBMITTED.search(submitted["text"])
        assert found, submitted["text"]
        return found.group(1)

    # What Slack was asked ------------------------------------------------------------------------
    def responses(self) -> list[dict[str, Any]]:
        return [c.params for c in self.fake.of("response_url")]

    def card(self, request_id: str) -> tuple[str, dict[str, Any]]:
        """(ts, message) of the request's card in the security channel, as it stands now."""
        for (channel, ts), message in self.fake.messages.items():
            if channel == "CSECURITY" and f"card:{request_id}" in json.dumps(message["blocks"]):
                return ts, message
        raise AssertionError(f"no card for {request_id}")

    def thread(self, ts: str) -> list[Call]:
        return [c for c in self.fake.of("chat.postMessage") if c.params.get("thread_ts") == ts]

    def dms(self, user: str) -> list[str]:
        return [str(c.params["text"]) for c in self.fake.of("chat.postMessage") if c.params["channel"] == user]

    def ephemeral(self, user: str) -> list[str]:
        return [str(c.params["text"]) for c in self.fake.of("chat.postEphemeral") if c.params["user"] == user]


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in message.get("blocks") or [] if b["type"] == "actions" for e in b["elements"]]


def action_ids(message: dict[str, Any]) -> list[str]:
    return [str(e["action_id"]) for e in buttons(message)]
