"""UsageService: access-advisor reports for a principal or an account, trims submitted as requests, grant summaries."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.domain import usage as model
from bot.domain import usage_pages as answers
from bot.domain import usage_render as render
from bot.domain import usage_texts as texts
from bot.domain.accounts import Account, AccountRegistry
from bot.domain.models import AccessRequest, Actor, ValidationResult, utcnow
from bot.domain.replies import Outcome, Reply
from bot.domain.usage import AccountReport, Kind, Pending, Principal, UsageReport
from bot.domain.usage_lookup import Choice, Lookup, lookup_words
from bot.errors import AccessBotError, InvalidInput, NotFound
from bot.usage_cache import JobCache

if TYPE_CHECKING:
    import boto3

    from bot.aws.advisor import Calls
    from bot.domain.rules import CentralRules

logger = logging.getLogger(__name__)

#: (request, validation, actor, principal ARN the grant attaches to, or None) -> the lifecycle's Outcome.
Submit = Callable[[AccessRequest, ValidationResult, Actor, str | None], Outcome]
SessionFactory = Callable[[Account], "boto3.Session"]
Progress = Callable[[int, int], None]

#: Jobs in flight at once in an account report. IAM's API limits are per account and undocumented;
#: 12 keeps a 200-role sweep near 12x faster than one at a time while botocore and the pacer absorb throttling.
DEFAULT_IN_FLIGHT = 12
#: How long one ask waits for access advisor: inside the API Lambda's 29 s behind API Gateway.
DEFAULT_DEADLINE_SECONDS = 20.0
#: How long a job id is reused for the same ARN (asking again returns the same job's data).
JOB_TTL_SECONDS = 600.0
MAX_ROLES = 1000
#: Groups and policies: entities are read for this many used services (one call each).
MAX_ENTITY_SERVICES = 10


class UsageService:
    """Access advisor through each account's spoke role. Never removes access: a trim is a normal request."""

    def __init__(
        self,
        registry: AccountRegistry,
        *,
        submit: Submit,
        rules: CentralRules | None = None,
        session_factory: SessionFactory | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utcnow,
        max_in_flight: int = DEFAULT_IN_FLIGHT,
        deadline_seconds: float = DEFAULT_DEADLINE_SECONDS,
        job_ttl_seconds: float = JOB_TTL_SECONDS,
        max_roles: int = MAX_ROLES,
        progress: Progress | None = None,
    ) -> None:
        self.registry, self.rules = registry, rules
        self._submit, self._session_factory = submit, session_factory
        self._sleep, self._clock, self._now = sleep, clock, now
        self.max_in_flight, self.deadline_seconds, self.max_roles = max(1, max_in_flight), deadline_seconds, max_roles
        self.progress = progress
        self.jobs = JobCache(job_ttl_seconds, clock)

    # ---- the operations ---------------------------------------------------------------------------
    def usage(self, principal_arn: str, days: int = model.DEFAULT_DAYS, *, actor: Actor) -> Outcome:
        """The report for a principal ARN or name, or every role of an account for "account <alias>"."""
        found = self.report(principal_arn, days)
        if isinstance(found, Choice):
            return render.choice_outcome(found)
        if isinstance(found, Pending):
            return render.pending_outcome(found)
        if isinstance(found, AccountReport):
            return render.account_outcome(found)
        return render.report_outcome(found)

    def report(
        self, principal_arn: str, days: int = model.DEFAULT_DAYS, *, deadline_seconds: float | None = None
    ) -> UsageReport | AccountReport | Pending | Choice:
        """The report model itself (the CLI's --json); Pending when access advisor is not done by the deadline.

        A bare name ("DBAdminRole") is looked up in every registered account first: found in one, that one's
        report; in several, a Choice. `deadline_seconds` overrides the service's wait for this ask.
        """
        days = model.check_days(days)
        wait = self.deadline_seconds if deadline_seconds is None else deadline_seconds
        target = self._target(principal_arn, days)
        if isinstance(target, Choice):
            return target
        account, principal, calls = target
        deadline = self._clock() + wait
        if principal is None:
            return self._account_report(account, days, deadline)
        got = self._principal_report(calls or self._calls(account), account, principal, days, deadline)
        return got[0] if isinstance(got, tuple) else got

    def trim(self, principal_arn: str, days: int = model.DEFAULT_DAYS, *, actor: Actor) -> Outcome:
        """Propose a smaller policy from the report and hand it to `submit` (validation, then approval)."""
        from bot.aws.documents import read_documents
        from bot.domain.usage_trim import propose_trim

        days = model.check_days(days)
        target = self._target(principal_arn, days)
        if isinstance(target, Choice):
            return render.choice_outcome(target)
        account, principal, calls = target
        if principal is None:
            raise InvalidInput(texts.NO_ARN)
        calls = calls or self._calls(account)
        got = self._principal_report(calls, account, principal, days, self._clock() + self.deadline_seconds)
        if isinstance(got, Pending):
            return render.pending_outcome(got)
        report = got[0]
        documents = read_documents(calls, principal)
        if not documents:
            return Outcome(replies=(Reply(text=texts.TRIM_NO_DOCUMENTS.format(name=principal.name)),), status="done")
        proposal = propose_trim(report, documents)
        if not proposal.changed:
            return render.trim_nothing(report)
        if not proposal.grants:
            text = render.trim_text(proposal) + "\n" + texts.TRIM_EMPTY.format(name=principal.name, days=days)
            return Outcome(replies=(Reply(text=text),), status="done")
        return self._submit_trim(proposal, account, actor)

    def grant_summary(
        self, account: Account, principal_arn: str, policy: dict[str, Any], since: datetime
    ) -> str | None:
        """Which of an expiring grant's services (and tracked actions) the principal used since `since`.

        A courtesy line for the audit trail: None when there is no data, and never raises.
        """
        try:
            principal = model.parse_principal(principal_arn)
            granted = answers.services_of_policy(policy)
            if not granted:
                return None
            calls = self._calls(account)
            got = self._principal_report(
                calls, account, principal, model.TRACKING_DAYS, self._clock() + self.deadline_seconds, details=False
            )
            if isinstance(got, Pending):
                return None
            return render.grant_summary_text(got[0], granted, since)
        except Exception as error:  # a summary must never get in the way of expiring a grant
            logger.warning("grant usage summary unavailable", extra={"error": type(error).__name__})
            return None

    # ---- internals ----------------------------------------------------------------------------------
    def _target(self, text: str, days: int) -> tuple[Account, Principal | None, Calls | None] | Choice:
        """What the words name: an account (no principal), a principal ARN, or a name looked up across accounts."""
        alias = model.account_words(text) if isinstance(text, str) else None
        if alias is not None:
            return self.registry.resolve(alias), None, None
        lookup = lookup_words(text)
        if lookup is not None:
            return self._lookup(lookup, days)
        principal = model.parse_principal(text)
        account = self.registry.find(principal.account_id)
        if account is None:
            raise NotFound(texts.UNKNOWN_ACCOUNT.format(account=principal.account_id))
        return account, principal, None

    def _lookup(self, lookup: Lookup, days: int) -> tuple[Account, Principal, Calls] | Choice:
        """The one account that holds the name, or a Choice when several do (or others could not be checked)."""
        from bot.usage_locate import resolve_name

        return resolve_name(
            lookup, days, self.registry, self._calls, max_in_flight=self.max_in_flight, progress=self.progress
        )

    def _calls(self, account: Account) -> Calls:
        from bot.aws import advisor

        iam = advisor.iam_client(account, self._session_factory)
        return advisor.Calls(iam, advisor.Pacer(self._sleep, self._clock), account.label)

    def _job_pages(
        self, calls: Calls, principal: Principal, deadline: float
    ) -> tuple[str, list[dict[str, Any]]] | None:
        """(job id, pages) of a job for the ARN, reusing a cached job; None when it is still running."""
        from bot.aws import advisor

        for _ in range(2):
            job_id = self.jobs.get(principal.arn)
            fresh = job_id is None
            if job_id is None:
                job_id = advisor.start_job(calls, principal.arn)
                self.jobs.put(principal.arn, job_id)
            try:
                pages = advisor.poll_job(
                    calls, job_id, name=principal.name, sleep=self._sleep, clock=self._clock, deadline=deadline
                )
            except advisor.JobExpired:
                self.jobs.drop(principal.arn)
                if fresh:
                    raise
                continue
            except advisor.JobFailed:
                self.jobs.drop(principal.arn)
                raise
            return (job_id, pages) if pages is not None else None
        return None  # pragma: no cover (the second round starts a fresh job)

    def _principal_report(
        self, calls: Calls, account: Account, principal: Principal, days: int, deadline: float, *, details: bool = True
    ) -> tuple[UsageReport, str] | Pending:
        got = self._job_pages(calls, principal, deadline)
        if got is None:
            return Pending(name=principal.name, arn=principal.arn)
        job_id, pages = got
        report = answers.report_from_advisor(principal, account.alias, pages, days=days, now=self._now())
        if details:
            report = self._details(calls, report, job_id)
        return report, job_id

    def _details(self, calls: Calls, report: UsageReport, job_id: str) -> UsageReport:
        """Which policies grant the unused services, and who used what through a group or policy."""
        from bot.aws import advisor

        principal = report.principal
        policies: dict[str, tuple[str, ...]] = {}
        entities: dict[str, tuple[model.EntityUsage, ...]] = {}
        try:
            unused = [s.namespace for s in report.unused()]
            if unused and principal.kind is not Kind.POLICY:
                policies = answers.policies_from_advisor(advisor.read_policies_granting(calls, principal.arn, unused))
            if principal.kind in (Kind.GROUP, Kind.POLICY):
                for service in report.used()[:MAX_ENTITY_SERVICES]:
                    pages = advisor.read_entities(calls, job_id, service.namespace, name=principal.name)
                    entities[service.namespace] = answers.entities_from_advisor(pages)
        except AccessBotError as error:  # the report stands without them
            logger.warning("access-advisor details unavailable", extra={"error": type(error).__name__})
        return answers.with_details(report, policies=policies, entities=entities)

    def _account_report(self, account: Account, days: int, deadline: float) -> AccountReport:
        from bot.aws import advisor

        calls = self._calls(account)
        roles, capped = advisor.list_roles(calls, limit=self.max_roles)

        def one(role: advisor.Role) -> model.RoleRow | None:
            principal = model.parse_principal(role.arn)
            if self._clock() >= deadline and self.jobs.get(principal.arn) is None:
                return None  # not started in time: the next ask starts it
            got = self._job_pages(calls, principal, deadline)
            if got is None:
                return None
            report = answers.report_from_advisor(principal, account.alias, got[1], days=days, now=self._now())
            return model.role_row(report)

        results = advisor.run_bounded(roles, one, max_in_flight=self.max_in_flight, on_done=self.progress)
        errors = [r for r in results if isinstance(r, AccessBotError)]
        if errors and len(errors) == len(results):
            raise errors[0]  # every role failed the same way (no permission, throttled): say it once
        rows: list[model.RoleRow] = []
        for role, result in zip(roles, results, strict=True):
            if isinstance(result, AccessBotError):
                rows.append(model.RoleRow(name=role.name, arn=role.arn, error=model.shown(str(result), 120)))
            elif result is not None:
                rows.append(result)
        return AccountReport(
            account=account.alias, account_id=account.id, days=days, now=self._now(), rows=model.sort_rows(rows),
            total=len(roles), pending=sum(1 for r in results if r is None), capped=capped,
        )

    def _duration(self, account: Account) -> timedelta | None:
        """A trim replaces standing access: permanent where the rules allow it, else the longest they allow."""
        from bot.domain.rules import load_rules

        rules = (self.rules or load_rules()).for_type(account.type)
        return rules.max_duration if rules.require_duration else None

    def _submit_trim(self, proposal: Any, account: Account, actor: Actor) -> Outcome:
        from bot.domain.usage_trim import trim_request
        from bot.domain.validation import validate
        from bot.domain.writer import write_policy

        head = render.trim_text(proposal)
        try:
            request = trim_request(proposal, duration=self._duration(account), requester=actor.id)
            document = write_policy(request, account_id=account.id)
        except InvalidInput as error:
            reason = str(error).removeprefix(texts.TRIM_UNUSABLE.format(reason=""))
            text = head + "\n" + texts.TRIM_UNUSABLE.format(reason=reason)
            return Outcome(replies=(Reply(text=text),), status="done")
        validation = validate(document, account_type=account.type, rules=self.rules)
        # The smaller policy goes on the trimmed role or user itself (a policy ARN: created, not attached).
        target = proposal.principal.arn if proposal.principal.kind in ("role", "user") else None
        submitted = self._submit(request, validation, actor, target)
        policies = ", ".join(proposal.policies) or "-"
        lead = Reply(text=head + "\n" + texts.TRIM_SUBMITTING.format(policies=policies, name=proposal.principal.name))
        return Outcome(
            replies=(lead, *submitted.replies), request_id=submitted.request_id, status=submitted.status
        )

