"""The lifecycle against the embedded world: moto's server, the security account and the target accounts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from bot.aws.provisioner import IamProvisioner
from bot.aws.store import DynamoStore
from bot.domain.accounts import embedded_registry
from bot.domain.rules import load_rules
from bot.lifecycle.memory import InlineJobs
from bot.lifecycle.service import RequestService
from bot.lifecycle.worker import LifecycleWorker
from bot.local.world import EmbeddedWorld
from tests.functional.web.conftest import free_port
from tests.unit.lifecycle.fakes import FakeNotifier, FakeScheduler


@pytest.fixture(scope="package")
def world() -> Iterator[EmbeddedWorld]:
    running = EmbeddedWorld(port=free_port(), table_name="accessbot-lifecycle").start()
    yield running
    running.stop()


@dataclass
class Live:
    service: RequestService
    worker: LifecycleWorker
    store: DynamoStore
    scheduler: FakeScheduler
    notifier: FakeNotifier
    world: EmbeddedWorld

    def iam(self, account: str) -> Any:
        return self.world.client("iam", account)


@pytest.fixture
def live(world: EmbeddedWorld) -> Live:
    store = DynamoStore(world.table_name, region="us-east-1")
    scheduler, notifier = FakeScheduler(), FakeNotifier()
    holder: list[LifecycleWorker] = []
    service = RequestService(store, registry=embedded_registry(), rules=load_rules(), scheduler=scheduler,
                             jobs=InlineJobs(lambda *a, **k: holder[0].run(*a, **k)),  # noqa: PLW0108 (bound below)
                             notifier=notifier)
    holder.append(LifecycleWorker(service, IamProvisioner()))
    return Live(service, holder[0], store, scheduler, notifier, world)
