"""Faults injected into the bot's own boto3 clients with botocore event hooks (bot.aws.sessions client hooks)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.awsrequest import AWSResponse

from bot.aws.sessions import add_client_hook, remove_client_hook

_XML = ("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
        "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>")


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


class Fault:
    """Fails `operation` of `service` with `code`, `times` times (None: always); counts the calls seen."""

    def __init__(self, service: str, operation: str, code: str, *, times: int | None = 1, status: int = 400,
                 message: str = "injected", crash: bool = False) -> None:
        self.service, self.operation, self.code = service, operation, code
        self.times, self.status, self.message, self.crash = times, status, message, crash
        self.calls = 0
        self.active = True  # clients outlive the `with` (the provisioner keeps its STS client)

    def _due(self) -> bool:
        if not self.active:
            return False
        self.calls += 1
        return self.times is None or self.calls <= self.times

    def before_send(self, request: Any, **_: Any) -> AWSResponse | None:
        """In the retry loop: botocore's standard retry mode sees this as AWS's answer."""
        if not self._due():
            return None
        if self.crash:
            raise RuntimeError("the worker died here")
        body = _XML.format(code=self.code, message=self.message).encode()
        return AWSResponse(request.url, self.status, {"Content-Type": "text/xml"}, _Raw(body))  # type: ignore[arg-type]

    def install(self, client: Any) -> None:
        if client.meta.service_model.service_name == self.service:
            client.meta.events.register(f"before-send.{client.meta.service_model.service_id.hyphenize()}"
                                        f".{self.operation}", self.before_send)


@contextmanager
def injected(*faults: Fault) -> Iterator[tuple[Fault, ...]]:
    for fault in faults:
        add_client_hook(fault.install)
    try:
        yield faults
    finally:
        for fault in faults:
            fault.active = False
            remove_client_hook(fault.install)
