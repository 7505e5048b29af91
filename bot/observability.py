"""Powertools logging and tracing for the Lambda entry points, and X-Ray only where it records.

Powertools' Tracer imports the X-Ray SDK even when tracing is off, and the SDK builds two botocore
clients at import (its sampling connector): about a third of a Slack ack's cold start outside Lambda.
So the tracer exists only where Powertools itself would trace: in Lambda, not under SAM local, and
without POWERTOOLS_TRACE_DISABLED. https://docs.powertools.aws.dev/lambda/python/latest/core/tracer/
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Tracer

F = TypeVar("F", bound=Callable[..., Any])
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]

# What the X-Ray SDK patches: AWS calls (STS, IAM, DynamoDB, Scheduler) and the Slack Web API (urllib).
TRACED_MODULES = ("botocore", "httplib")
OUR_LOGGERS = frozenset({"bot", "intents"})
TRUTHY = frozenset({"1", "true", "yes", "on", "y", "t"})


def in_lambda() -> bool:
    return bool(os.getenv("LAMBDA_TASK_ROOT")) and not os.getenv("AWS_SAM_LOCAL")


def tracing_on() -> bool:
    """Powertools' own rule for a live tracer (tracer.Tracer._is_tracer_disabled), read without importing X-Ray."""
    return in_lambda() and os.getenv("POWERTOOLS_TRACE_DISABLED", "false").strip().lower() not in TRUTHY


@cache
def tracer(service: str) -> Tracer | None:
    if not tracing_on():
        return None
    from aws_lambda_powertools import Tracer

    return Tracer(service=service, patch_modules=TRACED_MODULES)


@cache
def logger(service: str) -> Logger:
    """The function's JSON logger; in Lambda the bot's own module loggers write through it too."""
    from aws_lambda_powertools import Logger
    from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers

    log = Logger(service=service, name="%(name)s")  # which module logged; kept across clear_state
    if in_lambda():  # only there: it stops bot.* records from propagating to the root logger
        for name in OUR_LOGGERS:
            logging.getLogger(name)  # registers the parent so modules imported later inherit it
        copy_config_to_registered_loggers(source_logger=log, include=set(OUR_LOGGERS))
    return log


def traced(service: str, method: F) -> F:
    """`method` in its own X-Ray subsegment when tracing is on; `method` itself otherwise."""
    live = tracer(service)
    return method if live is None else live.capture_method(method)


class InvocationContext:
    """Stands in for the Lambda context when a caller has none (tests, the local adapter, the local scheduler)."""

    memory_limit_in_mb = 512

    def __init__(self, service: str) -> None:
        self.function_name = f"{service}-local"
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:111111111111:function:{self.function_name}"
        self.aws_request_id = "local"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


@cache
def entry(service: str, handler: Handler, correlation_id_path: str | None = None) -> Handler:
    """`handler` as a Lambda entry point: the Lambda context in every log line and, where tracing is on, an
    X-Ray segment; a missing context (tests, the local adapter and scheduler) is a local one.

    The event is never logged (it carries tokens and signatures), nor the response traced (/dev/login's
    carries one).
    """
    live = tracer(service)
    wrapped: Handler = handler if live is None else live.capture_lambda_handler(capture_response=False)(handler)
    inject = logger(service).inject_lambda_context(
        correlation_id_path=correlation_id_path, log_event=False, clear_state=True
    )
    run: Handler = inject(wrapped)
    return lambda event, context: run(event, context or InvocationContext(service))
