"""The embedded world's DynamoDB answers one request at a time, so its transactions are atomic as AWS's are."""

from __future__ import annotations

import threading
from functools import cache, wraps
from typing import Any

_LOCK = threading.RLock()


@cache
def serialize_dynamodb() -> None:
    """Wrap moto's DynamoDB request handler in one process-wide lock (done once).

    moto's TransactWriteItems deep-copies each table first and, when a condition fails, puts the
    copy back, which undoes whatever other threads wrote in the meantime; a concurrent deep copy
    can also fail with "dictionary changed size during iteration" (moto 5.x,
    moto/dynamodb/models/__init__.py, transact_write_items). Real DynamoDB runs a transaction
    atomically (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html),
    and the lifecycle's "one grant, whoever races" rests on that, so the stand-in must too.
    """
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action

    @wraps(original)
    def call_action(self: Any) -> Any:
        with _LOCK:
            return original(self)

    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
