"""Answer chosen AWS operations of one botocore client in-process: the request is built and validated, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

# As botocore's Stubber does it: a `before-call` handler that returns `(http_response, parsed)`
# short-circuits the call after the parameters were checked against the API model. The embedded
# world answers access advisor this way (moto lacks it); tests and benchmarks answer fake accounts.

#: handler(client, params) -> the parsed response; raise Refused for an AWS error.
Handler = Callable[[Any, dict[str, Any]], dict[str, Any]]


class Refused(Exception):
    """An AWS error answer: raise it from an operation handler."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


_PARAMS = "accessbot_answer_params"


def _keep_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    context[_PARAMS] = dict(params)


def _answer(client: Any, handler: Handler, context: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]]:
    from botocore.awsrequest import AWSResponse

    request_id = str(uuid.uuid4())
    try:
        parsed = handler(client, dict(context.get(_PARAMS) or {}))
        status = 200
    except Refused as refused:
        status = refused.status
        parsed = {"Error": {"Code": refused.code, "Message": refused.message, "Type": "Sender"}}
    parsed["ResponseMetadata"] = {"RequestId": request_id, "HTTPStatusCode": status, "HTTPHeaders": {}}
    return AWSResponse(None, status, {}, None), parsed  # type: ignore[arg-type]


def answer_with(client: Any, handlers: dict[str, Handler]) -> None:
    """Answer these operations of this client in-process: `handler(client, params) -> parsed` (idempotent).

    The request is still built and validated against the API model first; only the HTTP call is skipped.
    """
    service = client.meta.service_model.service_id.hyphenize()
    events = client.meta.events
    for operation, handler in handlers.items():
        events.register(
            f"before-parameter-build.{service}.{operation}", _keep_params, unique_id=f"accessbot-params-{operation}"
        )

        def answer(context: dict[str, Any], _handler: Handler = handler, **kwargs: Any) -> Any:
            return _answer(client, _handler, context, **kwargs)

        events.register(f"before-call.{service}.{operation}", answer, unique_id=f"accessbot-answer-{operation}")
