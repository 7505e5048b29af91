"""IAM access advisor calls: start a job, poll it with backoff to a deadline, read its pages; many at once, bounded."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from bot.domain import usage_texts as texts
from bot.domain.usage import shown
from bot.errors import AccessBotError, ConfigurationError, Forbidden, InvalidInput, NotFound, RetryLater

if TYPE_CHECKING:
    import boto3

    from bot.domain.accounts import Account

# The APIs: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed-view-data.html
# Clients are passed in, built with bot.aws.sessions.make_client so that client hooks (the embedded
# world's stand-in) apply.

T = TypeVar("T")
R = TypeVar("R")

# IAM's throttling error is "Throttling"; the others are what other endpoints and proxies send.
_THROTTLING = frozenset({"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException"})
_DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})
_MAX_PAGES = 50
# GetServiceLastAccessedDetails returns at most 1,000 items a page; ListPoliciesGrantingServiceAccess takes
# at most 200 namespaces a call (both from the API model).
PAGE_ITEMS = 1000
NAMESPACES_PER_CALL = 200
#: Polling: first look right away, then 0.5 s, 1 s, 2 s, 4 s, 4 s, ... until the deadline.
POLL_FIRST, POLL_MAX = 0.5, 4.0
#: Service-linked roles are AWS's to manage: they cannot be trimmed, so account reports skip them.
SERVICE_LINKED_PATH = "/aws-service-role/"


class Throttled(RetryLater):
    """AWS kept throttling after the retries: slow down and ask again later."""


class JobFailed(RetryLater):
    """The access-advisor job ended FAILED: start a new one later."""


class JobExpired(NotFound):
    """The job id is no longer known to IAM (it was cached too long): start a new job."""


@dataclass
class Pacer:
    """One backoff shared by every thread of a report: after a throttle, every caller waits, then it eases off.

    botocore's standard retry mode already retries each call with jittered backoff; this adds a pause the
    parallel callers share, so a sweep of many roles slows down as a whole instead of hammering IAM.
    https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
    """

    sleep: Callable[[float], None]
    clock: Callable[[], float]
    attempts: int = 4
    base: float = 1.0
    cap: float = 8.0
    calls: int = 0
    throttles: int = 0
    _pause: float = 0.0
    _not_before: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, method: Callable[..., Any], **kwargs: Any) -> Any:
        from botocore.exceptions import ClientError

        for attempt in range(self.attempts):
            with self._lock:
                wait = self._not_before - self.clock()
                self.calls += 1
            if wait > 0:
                self.sleep(wait)
            try:
                result = method(**kwargs)
            except ClientError as error:
                if _code(error) not in _THROTTLING or attempt == self.attempts - 1:
                    raise
                with self._lock:
                    self.throttles += 1
                    self._pause = min(max(self._pause * 2, self.base), self.cap)
                    self._not_before = max(self._not_before, self.clock() + self._pause)
                continue
            with self._lock:
                self._pause /= 2
            return result
        raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class Calls:
    """One account's IAM client, its shared pacer, and the account's label for messages."""

    iam: Any
    pacer: Pacer
    where: str


def _code(error: Exception) -> str:
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", type(error).__name__))[:64]


def translate(error: Exception, calls: Calls, *, action: str, name: str) -> AccessBotError:
    """A botocore error as the bot.errors exception that says what to do, in one safe line."""
    from botocore.exceptions import ClientError, NoCredentialsError

    code = _code(error)
    if isinstance(error, NoCredentialsError):
        return ConfigurationError(texts.NO_CREDENTIALS.format(code=code))
    if not isinstance(error, ClientError):
        return RetryLater(texts.AWS_FAILED.format(action=action, account=calls.where, code=code))
    if code in _THROTTLING:
        return Throttled(texts.THROTTLED.format(account=calls.where))
    if code == "NoSuchEntity":
        return NotFound(texts.NOT_FOUND.format(arn=shown(name, 200), account=calls.where))
    if code in _DENIED:
        return Forbidden(texts.DENIED.format(account=calls.where, action=action, code=code))
    if code in {"InvalidInput", "ValidationError"}:
        message = shown(str(error.response.get("Error", {}).get("Message", "")), 160)
        return InvalidInput(texts.AWS_REFUSED.format(name=shown(name, 200), code=code, message=message))
    return RetryLater(texts.AWS_FAILED.format(action=action, account=calls.where, code=code))


def call_iam(calls: Calls, method: str, *, name: str, **kwargs: Any) -> dict[str, Any]:
    """One IAM call through the shared pacer; botocore's errors come out as bot errors."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        result: dict[str, Any] = calls.pacer.call(getattr(calls.iam, method), **kwargs)
    except (ClientError, BotoCoreError) as error:
        operation = "".join(part.title() for part in method.split("_"))
        raise translate(error, calls, action=f"iam:{operation}", name=name) from None
    return result


def iam_client(account: Account, session_factory: Callable[[Account], boto3.Session] | None = None) -> Any:
    """An IAM client in the account through its spoke role (purpose "usage"), or ConfigurationError saying why not."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    from bot.aws.sessions import make_client, spoke_session

    try:
        session = session_factory(account) if session_factory else spoke_session(account, purpose="usage")
    except NoCredentialsError as error:
        raise ConfigurationError(texts.NO_CREDENTIALS.format(code=_code(error))) from None
    except ClientError as error:
        code = _code(error)
        if code in _THROTTLING:
            raise Throttled(texts.THROTTLED.format(account=account.label)) from None
        role = account.role_arn.rpartition("/")[2]
        raise ConfigurationError(texts.NO_SPOKE.format(account=account.label, code=code, role=role)) from None
    except BotoCoreError as error:
        action = "assume the spoke role"
        raise RetryLater(texts.AWS_FAILED.format(action=action, account=account.label, code=_code(error))) from None
    return make_client(session, "iam")


def start_job(calls: Calls, arn: str) -> str:
    """GenerateServiceLastAccessedDetails at action level (a superset of the service level)."""
    answer = call_iam(calls, "generate_service_last_accessed_details", name=arn, Arn=arn, Granularity="ACTION_LEVEL")
    return str(answer["JobId"])


def read_job(calls: Calls, job_id: str, *, name: str) -> list[dict[str, Any]] | None:
    """Every page of a COMPLETED job; None while IN_PROGRESS; JobFailed when FAILED; JobExpired for an unknown id."""
    pages: list[dict[str, Any]] = []
    marker: str | None = None
    for _ in range(_MAX_PAGES):
        kwargs: dict[str, Any] = {"JobId": job_id, "MaxItems": PAGE_ITEMS}
        if marker:
            kwargs["Marker"] = marker
        try:
            page = call_iam(calls, "get_service_last_accessed_details", name=name, **kwargs)
        except NotFound:
            raise JobExpired(texts.JOB_FAILED.format(name=name, code="NoSuchEntity")) from None
        status = page.get("JobStatus")
        if status == "IN_PROGRESS":
            return None
        if status == "FAILED":
            code = shown(str((page.get("Error") or {}).get("Code", "FAILED")), 64)
            raise JobFailed(texts.JOB_FAILED.format(name=name, code=code))
        pages.append(page)
        marker = page.get("Marker") if page.get("IsTruncated") else None
        if not marker:
            break
    return pages


def poll_job(
    calls: Calls,
    job_id: str,
    *,
    name: str,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    deadline: float,
) -> list[dict[str, Any]] | None:
    """The job's pages, polling with exponential backoff; None when the deadline comes first."""
    delay = POLL_FIRST
    while True:
        pages = read_job(calls, job_id, name=name)
        if pages is not None:
            return pages
        remaining = deadline - clock()
        if remaining <= 0:
            return None
        sleep(min(delay, remaining))
        delay = min(delay * 2, POLL_MAX)


def all_pages(calls: Calls, method: str, key: str, *, name: str, **kwargs: Any) -> list[Any]:
    items: list[Any] = []
    for _ in range(_MAX_PAGES):
        page = call_iam(calls, method, name=name, **kwargs)
        items.extend(page.get(key) or ())
        if not page.get("IsTruncated") or not page.get("Marker"):
            break
        kwargs["Marker"] = page["Marker"]
    return items


def read_entities(calls: Calls, job_id: str, namespace: str, *, name: str) -> list[dict[str, Any]]:
    """GetServiceLastAccessedDetailsWithEntities: who used one service through a group or policy (all pages)."""
    pages: list[dict[str, Any]] = []
    marker: str | None = None
    for _ in range(_MAX_PAGES):
        kwargs: dict[str, Any] = {"JobId": job_id, "ServiceNamespace": namespace, "MaxItems": PAGE_ITEMS}
        if marker:
            kwargs["Marker"] = marker
        page = call_iam(calls, "get_service_last_accessed_details_with_entities", name=name, **kwargs)
        pages.append(page)
        marker = page.get("Marker") if page.get("IsTruncated") else None
        if not marker:
            break
    return pages


def read_policies_granting(calls: Calls, arn: str, namespaces: Sequence[str]) -> list[dict[str, Any]]:
    """ListPoliciesGrantingServiceAccess for these services, 200 a call, as one list of page dicts."""
    pages: list[dict[str, Any]] = []
    for start in range(0, len(namespaces), NAMESPACES_PER_CALL):
        chunk = list(namespaces[start : start + NAMESPACES_PER_CALL])
        items = all_pages(
            calls, "list_policies_granting_service_access", "PoliciesGrantingServiceAccess", name=arn,
            Arn=arn, ServiceNamespaces=chunk,
        )
        pages.append({"PoliciesGrantingServiceAccess": items})
    return pages


@dataclass(frozen=True)
class Role:
    name: str
    arn: str
    path: str


def list_roles(calls: Calls, *, limit: int) -> tuple[list[Role], bool]:
    """The account's roles (service-linked ones skipped), at most `limit`; True when there were more."""
    roles: list[Role] = []
    kwargs: dict[str, Any] = {"MaxItems": min(limit + 1, 1000)}
    for _ in range(_MAX_PAGES):
        page = call_iam(calls, "list_roles", name=calls.where, **kwargs)
        for raw in page.get("Roles") or ():
            path = str(raw.get("Path", "/"))
            if not path.startswith(SERVICE_LINKED_PATH):
                roles.append(Role(name=str(raw["RoleName"]), arn=str(raw["Arn"]), path=path))
        if len(roles) > limit:
            return roles[:limit], True
        if not page.get("IsTruncated") or not page.get("Marker"):
            break
        kwargs["Marker"] = page["Marker"]
    return roles, False


def run_bounded(
    items: Sequence[T],
    work: Callable[[T], R],
    *,
    max_in_flight: int,
    on_done: Callable[[int, int], None] | None = None,
) -> list[R | AccessBotError]:
    """`work` on every item, at most `max_in_flight` at once, results in item order (bot errors kept, not raised).

    Each item is one access-advisor job from start to result, so at most `max_in_flight` jobs run at once;
    the rest wait their turn. Anything other than a bot error is a bug and propagates.
    """
    if not items:
        return []
    results: list[Any] = [None] * len(items)
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, min(max_in_flight, len(items))), thread_name_prefix="advisor") as pool:
        futures = {pool.submit(work, item): index for index, item in enumerate(items)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                results[index] = future.result()
            except AccessBotError as error:
                results[index] = error
            done += 1
            if on_done is not None:
                on_done(done, len(items))
    return results
