"""The one DynamoDB table: requests, audit events, the requester index, idempotency keys and dialog sessions.

Items (pk / sk): `REQ#<id>` / `A` the request (versioned; gsi1 by status), `REQ#<id>` / `E#<seq>` its
audit events (`N#<at>#<n>`: notes that change nothing, such as a refused approval),
`USER#<requester>` / `<created>#<id>` the requester's index, `KEY#<key>` / `K` an idempotency key,
`SESSION#<id>` / `S` a dialog session. Transitions are TransactWriteItems: the versioned update and its audit
event land together or not at all.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from bot.domain.lifecycle import AuditEvent, RequestRecord, Status
from bot.errors import RetryLater

logger = logging.getLogger(__name__)

KEY_TTL_SECONDS = 1800
BUSY = "The request store is busy or unavailable; nothing was lost, try again in a moment."


def create_table(client: Any, name: str) -> None:
    """The table as infra/serverless/data.yml declares it (the embedded world and tests create it here)."""
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": attr, "AttributeType": "S"} for attr in ("pk", "sk", "gsi1pk", "gsi1sk")
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "gsi1",
            "KeySchema": [{"AttributeName": "gsi1pk", "KeyType": "HASH"},
                          {"AttributeName": "gsi1sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
        }],
    )
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"})


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _request_key(request_id: str) -> dict[str, Any]:
    return {"pk": _s(f"REQ#{request_id}"), "sk": _s("A")}


def _event_item(event: AuditEvent) -> dict[str, Any]:
    return {"pk": _s(f"REQ#{event.request_id}"), "sk": _s(f"E#{event.seq:05d}"), "data": _s(event.model_dump_json())}


class DynamoStore:
    """The lifecycle's Store on DynamoDB (pass a client; else one is built from settings)."""

    def __init__(self, table_name: str, *, client: Any = None, region: str | None = None) -> None:
        self.table = table_name
        self._client = client
        self._region = region
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        if self._client is None:
            # One client for every thread (boto3 clients are thread-safe), built once: concurrent first calls
            # (serve under load) would each build one, and botocore parses the service's JSON models every time.
            with self._lock:
                if self._client is None:
                    from bot.aws.sessions import bot_session, make_client

                    self._client = make_client(bot_session(self._region), "dynamodb")
        return self._client

    def _call(self, operation: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(**kwargs)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "TransactionCanceledException":
                raise
            logger.warning("dynamodb call failed", extra={"operation": operation,
                                                          "code": error.response.get("Error", {}).get("Code")})
            raise RetryLater(BUSY) from error
        except BotoCoreError as error:
            logger.warning("dynamodb unreachable", extra={"operation": operation, "error": type(error).__name__})
            raise RetryLater(BUSY) from error

    def create(self, record: RequestRecord, event: AuditEvent, *, idempotency_key: str | None = None) -> str:
        from botocore.exceptions import ClientError

        stored = record.model_copy(update={"version": 1})
        created = stored.created_at.isoformat()
        items: list[dict[str, Any]] = [
            {"Put": {"TableName": self.table, "Item": self._request_item(stored),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": self.table, "Item": _event_item(event)}},
            {"Put": {"TableName": self.table, "Item": {"pk": _s(f"USER#{stored.requester}"),
                                                       "sk": _s(f"{created}#{stored.id}"), "id": _s(stored.id)}}},
        ]
        if idempotency_key:
            items.append({"Put": {"TableName": self.table, "ConditionExpression": "attribute_not_exists(pk)",
                                  "Item": {"pk": _s(f"KEY#{idempotency_key}"), "sk": _s("K"), "id": _s(stored.id),
                                           "ttl": {"N": str(int(time.time()) + KEY_TTL_SECONDS)}}}})
        try:
            self._call("transact_write_items", TransactItems=items)
        except ClientError:
            if idempotency_key:
                found = self._call("get_item", TableName=self.table, ConsistentRead=True,
                                   Key={"pk": _s(f"KEY#{idempotency_key}"), "sk": _s("K")}).get("Item")
                if found:
                    return str(found["id"]["S"])
            raise RetryLater(BUSY) from None
        return stored.id

    def _request_item(self, record: RequestRecord) -> dict[str, Any]:
        return {
            **_request_key(record.id),
            "data": _s(record.model_dump_json()),
            "version": {"N": str(record.version)},
            "gsi1pk": _s(f"STATUS#{record.status.value}"),
            "gsi1sk": _s(f"{record.created_at.isoformat()}#{record.id}"),
        }

    def get(self, request_id: str) -> RequestRecord | None:
        item = self._call("get_item", TableName=self.table, Key=_request_key(request_id), ConsistentRead=True)
        found = item.get("Item")
        return RequestRecord.model_validate_json(found["data"]["S"]) if found else None

    def save(self, record: RequestRecord, event: AuditEvent, *, expected_version: int) -> bool:
        from botocore.exceptions import ClientError

        stored = record.model_copy(update={"version": expected_version + 1})
        update = {
            "TableName": self.table,
            "Key": _request_key(record.id),
            "UpdateExpression": "SET #data = :data, #version = :next, gsi1pk = :status",
            "ConditionExpression": "#version = :expected",
            "ExpressionAttributeNames": {"#data": "data", "#version": "version"},
            "ExpressionAttributeValues": {
                ":data": _s(stored.model_dump_json()), ":next": {"N": str(expected_version + 1)},
                ":expected": {"N": str(expected_version)}, ":status": _s(f"STATUS#{stored.status.value}"),
            },
        }
        event_put = {"TableName": self.table, "Item": _event_item(event),
                     "ConditionExpression": "attribute_not_exists(pk)"}
        try:
            self._call("transact_write_items", TransactItems=[{"Update": update}, {"Put": event_put}])
        except ClientError:
            return False  # another writer won: the caller re-reads and decides again
        return True

    def note(self, event: AuditEvent) -> None:
        import uuid

        self._call("put_item", TableName=self.table, Item={
            "pk": _s(f"REQ#{event.request_id}"), "sk": _s(f"N#{event.at.isoformat()}#{uuid.uuid4().hex[:8]}"),
            "data": _s(event.model_dump_json()),
        })

    def events(self, request_id: str) -> list[AuditEvent]:
        found: list[AuditEvent] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table, "KeyConditionExpression": "pk = :pk AND sk > :a",
            "ExpressionAttributeValues": {":pk": _s(f"REQ#{request_id}"), ":a": _s("A")}, "ConsistentRead": True,
        }
        while True:
            page = self._call("query", **kwargs)
            found += [AuditEvent.model_validate_json(i["data"]["S"]) for i in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                return sorted(found, key=lambda e: (e.at, e.seq))
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def by_requester(self, requester: str, *, limit: int = 20) -> list[RequestRecord]:
        page = self._call("query", TableName=self.table, KeyConditionExpression="pk = :pk",
                          ExpressionAttributeValues={":pk": _s(f"USER#{requester}")},
                          ScanIndexForward=False, Limit=limit)
        records = [self.get(str(item["id"]["S"])) for item in page.get("Items", [])]
        return [r for r in records if r is not None]

    def by_status(self, status: Status, *, limit: int = 50) -> list[RequestRecord]:
        page = self._call("query", TableName=self.table, IndexName="gsi1", KeyConditionExpression="gsi1pk = :s",
                          ExpressionAttributeValues={":s": _s(f"STATUS#{status.value}")}, Limit=limit)
        # The index is eventually consistent: read each record back and keep those still in `status`.
        records = [self.get(str(item["pk"]["S"]).removeprefix("REQ#")) for item in page.get("Items", [])]
        return [r for r in records if r is not None and r.status is status]

    def notify_state(self, request_id: str) -> dict[str, str]:
        item = self._call("get_item", TableName=self.table, Key=_request_key(request_id),
                          ProjectionExpression="notify", ConsistentRead=True).get("Item") or {}
        return {k: v["S"] for k, v in item.get("notify", {}).get("M", {}).items()}

    def set_notify_state(self, request_id: str, notify: dict[str, str]) -> None:
        self._call("update_item", TableName=self.table, Key=_request_key(request_id),
                   UpdateExpression="SET notify = :n", ConditionExpression="attribute_exists(pk)",
                   ExpressionAttributeValues={":n": {"M": {k: _s(v) for k, v in notify.items()}}})


class DynamoSessionStore:
    """intents.sessions.SessionStore on the same table (dialog state between Lambda invocations)."""

    def __init__(self, store: DynamoStore) -> None:
        self._store = store

    def _key(self, session_id: str) -> dict[str, Any]:
        return {"pk": _s(f"SESSION#{session_id[:200]}"), "sk": _s("S")}

    def get(self, session_id: str) -> dict[str, Any] | None:
        item = self._store._call("get_item", TableName=self._store.table, Key=self._key(session_id),
                                 ConsistentRead=True).get("Item")
        # TTL deletion is lazy (up to days): an expired item is treated as gone.
        if not item or int(item["ttl"]["N"]) <= time.time():
            return None
        state: dict[str, Any] = json.loads(item["data"]["S"])
        return state

    def put(self, session_id: str, state: dict[str, Any], ttl_seconds: int) -> None:
        self._store._call("put_item", TableName=self._store.table, Item={
            **self._key(session_id), "data": _s(json.dumps(state)),
            "ttl": {"N": str(int(time.time()) + ttl_seconds)},
        })

    def delete(self, session_id: str) -> None:
        self._store._call("delete_item", TableName=self._store.table, Key=self._key(session_id))
