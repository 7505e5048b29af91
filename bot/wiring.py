"""The composition root: the request service, worker, backend and dialog, built once per process from settings.

Three shapes: a front Lambda (api, lex) hands slow work and usage reports to the worker Lambda,
which alone may assume the spoke roles; the worker runs its jobs inline; `accessbot serve`, the CLI
and tests run everything in-process (jobs inline, the local scheduler when serve provides one).
"""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from typing import Any

from bot.lifecycle.backend import BotBackend
from bot.lifecycle.service import RequestService
from bot.lifecycle.worker import LifecycleWorker

_lock = threading.RLock()
_built: dict[str, Any] = {}
_overrides: dict[str, Any] = {}


def use_scheduler(scheduler: Any) -> None:
    """Schedule on `scheduler` (serve's LocalScheduler); None: back to the settings' choice."""
    with _lock:
        _overrides.pop("scheduler", None)
        if scheduler is not None:
            _overrides["scheduler"] = scheduler
        _built.clear()


def use_sessions(sessions: Any) -> None:
    """Keep dialog sessions in `sessions` (serve: process memory, as Lex keeps them in AWS); None: the store's."""
    with _lock:
        _overrides.pop("sessions", None)
        if sessions is not None:
            _overrides["sessions"] = sessions
        _built.clear()


def use(**parts: Any) -> None:
    """Replace parts by name (store, provisioner, notifier, jobs, usage, scheduler); tests and benchmarks."""
    with _lock:
        _overrides.update(parts)
        _built.clear()


def reset() -> None:
    with _lock:
        _overrides.clear()
        _built.clear()


def _in_worker() -> bool:
    from bot.settings import get_settings

    name = get_settings().worker_function
    return bool(name) and os.environ.get("AWS_LAMBDA_FUNCTION_NAME") == name


def _remote_jobs() -> Any:
    from bot.settings import get_settings

    name = get_settings().worker_function
    if not name or _in_worker() or not os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        return None
    from bot.aws.jobs import LambdaJobs

    return LambdaJobs(name, region=get_settings().region)


def store() -> Any:
    with _lock:
        if "store" not in _built:
            from bot.settings import get_settings

            settings = get_settings()
            if "store" in _overrides:
                _built["store"] = _overrides["store"]
            elif settings.store == "memory":
                from bot.lifecycle.memory import MemoryStore

                _built["store"] = MemoryStore()
            else:
                from bot.aws.store import DynamoStore

                _built["store"] = DynamoStore(settings.table_name, region=settings.region)
        return _built["store"]


def _scheduler() -> Any:
    if "scheduler" in _overrides:
        return _overrides["scheduler"]
    from bot.settings import get_settings

    settings = get_settings()
    if settings.scheduler_group and settings.expiry_function_arn and settings.scheduler_role_arn:
        from bot.aws.scheduler import EventBridgeScheduler

        return EventBridgeScheduler(group=settings.scheduler_group, target_arn=settings.expiry_function_arn,
                                    role_arn=settings.scheduler_role_arn, region=settings.region)
    from bot.lifecycle.memory import NoScheduler

    return NoScheduler()


def _notifier() -> Any:
    if "notifier" in _overrides:
        return _overrides["notifier"]
    if not (os.environ.get("SLACK_BOT_TOKEN") or os.environ.get("ACCESSBOT_SECRET_ARN")):
        return None  # no Slack: the web chat and CLI show status when asked
    from bot.slack.changes import SlackChanges

    return SlackChanges()


def service() -> RequestService:
    with _lock:
        if "service" not in _built:
            from bot.domain.accounts import load_registry
            from bot.domain.rules import load_rules
            from bot.lifecycle.memory import InlineJobs
            from bot.settings import get_settings

            settings = get_settings()
            jobs = _overrides.get("jobs") or _remote_jobs() or InlineJobs(lambda *a, **k: worker().run(*a, **k))
            _built["service"] = RequestService(
                store(), registry=load_registry(settings.accounts_file), rules=load_rules(settings.rules_file),
                scheduler=_scheduler(), jobs=jobs, notifier=_notifier(),
                pending_timeout=timedelta(hours=settings.pending_timeout_hours),
            )
        built: RequestService = _built["service"]
        return built


def worker() -> LifecycleWorker:
    with _lock:
        if "worker" not in _built:
            provisioner = _overrides.get("provisioner")
            if provisioner is None:
                from bot.aws.provisioner import IamProvisioner

                provisioner = IamProvisioner()
            summary = getattr(usage_service(), "grant_summary", None)
            _built["worker"] = LifecycleWorker(service(), provisioner, grant_summary=summary)
        built: LifecycleWorker = _built["worker"]
        return built


def usage_service() -> Any:
    """Access advisor in this process (the worker, serve, the CLI): it assumes the spoke roles itself."""
    with _lock:
        if "usage" not in _built:
            if "usage" in _overrides:
                _built["usage"] = _overrides["usage"]
            else:
                from bot.usage import UsageService

                requests = service()
                _built["usage"] = UsageService(
                    requests.registry, rules=requests.rules,
                    submit=lambda request, validation, actor, principal: requests.submit(
                        request, validation, actor=actor, principal_arn=principal),
                )
        return _built["usage"]


def backend() -> BotBackend:
    with _lock:
        if "backend" not in _built:
            jobs = _remote_jobs()
            if jobs is not None and "usage" not in _overrides:
                from bot.lifecycle.backend import RemoteUsage

                usage: Any = RemoteUsage(jobs.invoke)
            else:
                usage = usage_service()
            _built["backend"] = BotBackend(service(), usage)
        built: BotBackend = _built["backend"]
        return built


def sessions() -> Any:
    with _lock:
        if "sessions" not in _built and "sessions" in _overrides:
            _built["sessions"] = _overrides["sessions"]
        if "sessions" not in _built:
            current = store()
            from bot.aws.store import DynamoSessionStore, DynamoStore

            if isinstance(current, DynamoStore):
                _built["sessions"] = DynamoSessionStore(current)
            else:
                from intents.sessions import MemorySessionStore

                _built["sessions"] = MemorySessionStore()
        return _built["sessions"]


def dialog() -> Any:
    with _lock:
        if "dialog" not in _built:
            from bot.settings import get_settings
            from intents.dialog import Dialog

            requests = service()
            settings = get_settings()
            _built["dialog"] = Dialog(
                backend(),
                sessions(),
                registry=requests.registry,
                rules=requests.rules,
                understander=understander(),
                understander_mode=settings.bedrock_mode,
            )
        return _built["dialog"]


def understander() -> Any:
    """The Bedrock reader when the deployment turns it on (docs/conversation.md), else None."""
    from bot.settings import get_settings

    settings = get_settings()
    if settings.bedrock_mode == "off" or not settings.bedrock_model_id:
        return None
    from bot.aws.bedrock import BedrockUnderstander

    return BedrockUnderstander(settings.bedrock_model_id, region=settings.region)


def warm() -> None:
    """Build the dialog, the backend and the store's AWS client now (serve's start, like a Lambda's init phase).

    botocore reads a service's JSON models when a client is built (~0.1 s of CPU): done here once, not by the
    first turns that reach the store, all at once.
    """
    dialog()
    getattr(store(), "client", None)
    from intents.vocabulary import warm as warm_vocabulary

    warm_vocabulary()  # ~0.6 s once, not in the first burst of turns
