"""Right-sizing, pure: a smaller policy from a usage report (unused services and actions removed), diff and request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.domain import catalog
from bot.domain import usage_texts as texts
from bot.domain.arns import fill_arn_format, parse_arn
from bot.domain.models import AccessRequest, Grant
from bot.domain.usage import Principal, ServiceUsage, UsageReport, Use, ago
from bot.domain.validation.grammar import Statement, check_grammar
from bot.domain.validation.matching import Grants, grants_action, resource_types_of_arn
from bot.errors import InvalidInput

#: AccessRequest.grants holds at most 20 grants.
MAX_GRANTS = 20
_SHOWN_ACTIONS = 8


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DiffLine(_Frozen):
    """One line of the proposal: '-' removed, '+' added (what a partly kept pattern becomes), ' ' kept, '!' dropped."""

    sign: Literal["-", "+", " ", "!"]
    text: str
    note: str = ""


class KeptGrant(_Frozen):
    """Explicit actions of one service and the resources they keep (empty: actions that only take '*')."""

    service: str
    actions: tuple[str, ...]
    resources: tuple[str, ...] = ()


class TrimProposal(_Frozen):
    """What stays and what goes; `grants` is the smaller policy as AccessRequest grants."""

    principal: Principal
    account: str
    days: int
    policies: tuple[str, ...]
    lines: tuple[DiffLine, ...]
    grants: tuple[KeptGrant, ...]
    removed_services: tuple[str, ...]
    removed_actions: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.removed_services or self.removed_actions)

    def diff(self) -> str:
        """The proposal as diff lines, e.g. `- db-admin: rds:*    (Amazon RDS: never)`."""
        width = min(max((len(line.text) for line in self.lines), default=0), 60)
        return "\n".join(
            f"{line.sign} {line.text.ljust(width)}  ({line.note})" if line.note else f"{line.sign} {line.text}"
            for line in self.lines
        )


def _wildcard(service: str, type_name: str, account_id: str, partition: str) -> str | None:
    """Every resource of a type in the account: what '*' meant for that type, scoped to the account."""
    found = catalog.resource_type(service, type_name)
    if found is None or not found.arn_formats:
        return None
    return fill_arn_format(found.arn_formats[0], {"Partition": partition, "Account": account_id})


class _Planner:
    """Walks the principal's statements once and decides action by action."""

    def __init__(self, report: UsageReport, documents: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
        self.report = report
        self.principal = report.principal
        self.statements: list[tuple[str, Statement]] = []
        for name, document in documents:
            parsed, _ = check_grammar(dict(document))
            self.statements.extend((name, s) for s in parsed)
        self.grants = Grants([s for _, s in self.statements])
        self.notes: list[str] = []
        if any(not s.allow for _, s in self.statements):
            self.notes.append(texts.TRIM_DENIES)

    def universe(self) -> list[str]:
        """Services to decide on: access advisor's granted list, plus literal prefixes it did not list."""
        names = [s.namespace for s in self.report.services]
        for _, statement in self.statements:
            for pattern in statement.actions or ():
                prefix = pattern.partition(":")[0].lower()
                if "*" not in prefix and "?" not in prefix and prefix not in names and catalog.service_exists(prefix):
                    names.append(prefix)
        return names

    def keeps(self, service: str) -> bool:
        usage = self.report.service(service)
        return usage is None or self.report.use_of(usage.last_used) is Use.USED  # no data: never trim blind

    def tracked(self, usage: ServiceUsage | None) -> dict[str, Any] | None:
        if usage is None or usage.tracked_actions is None:
            return None
        return {a.name.lower(): a for a in usage.tracked_actions}

    def resources(self, action: catalog.Action, statements: list[Statement]) -> tuple[bool, tuple[str, ...]] | None:
        """(from '*', resources) that keep `action` as granted; None when no statement really grants it."""
        rows = {name.lower() for name in action.resource_type_names}
        star, named = False, set()
        for statement in statements:
            for resource in statement.resources or ():
                if resource == "*":
                    star = True
                    continue
                arn = parse_arn(resource)
                if arn is None or arn.service != action.service:
                    continue
                if arn.account not in ("", "*", self.principal.account_id):
                    if texts.TRIM_OTHER_ACCOUNT not in self.notes:
                        self.notes.append(texts.TRIM_OTHER_ACCOUNT)
                    continue
                if {t for s, t in resource_types_of_arn(resource) if s == action.service} & rows:
                    named.add(resource)
        if action.needs_star:
            return (True, ()) if star else None
        if star:
            made = (_wildcard(action.service, row, self.principal.account_id, self.principal.partition) for row in rows)
            return True, tuple(sorted({arn for arn in made if arn}))
        return (False, tuple(sorted(named))) if named else None


def _patterns(statement: Statement, service: str) -> list[str]:
    if statement.actions is None:
        return [f"NotAction {', '.join(statement.not_actions or ())}"]
    out = []
    for pattern in statement.actions:
        prefix = pattern.partition(":")[0].lower() if ":" in pattern else "*"
        if prefix == service or "*" in prefix or "?" in prefix:
            out.append(pattern)
    return out


def propose_trim(report: UsageReport, documents: Sequence[tuple[str, Mapping[str, Any]]]) -> TrimProposal:
    """The principal's policies minus what the report shows unused in its window."""
    plan = _Planner(report, documents)
    kept: dict[str, tuple[bool, tuple[str, ...]]] = {}
    removed_services: list[str] = []
    removed_actions: list[str] = []
    for service in plan.universe():
        granted = [a for a in catalog.actions_of(service) if plan.grants.granted(a.full_name)]
        if not granted:
            continue
        if not plan.keeps(service):
            removed_services.append(service)
            continue
        tracked = plan.tracked(report.service(service))
        for action in granted:
            granting = plan.grants.granting(action.full_name)
            carried = [s for s in granting if not s.conditions and s.not_resources is None]
            use = tracked.get(action.name.lower()) if tracked is not None else None
            if use is not None and report.use_of(use.last_used) is not Use.USED:
                removed_actions.append(action.full_name)
                continue
            resources = plan.resources(action, carried) if carried else None
            if resources is not None:
                kept[action.full_name] = resources
    lines = _lines(report, plan, kept, set(removed_services))
    return TrimProposal(
        principal=report.principal,
        account=report.account,
        days=report.days,
        policies=tuple(dict.fromkeys(name for name, _ in plan.statements)),
        lines=tuple(lines),
        grants=_grants(kept),
        removed_services=tuple(removed_services),
        removed_actions=tuple(removed_actions),
        notes=tuple(plan.notes),
    )


def _grants(kept: Mapping[str, tuple[bool, tuple[str, ...]]]) -> tuple[KeptGrant, ...]:
    """One grant per service for what '*' gave (the writer picks each action's own types), one per named set."""
    star: dict[str, tuple[list[str], set[str]]] = {}
    named: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for full_name, (from_star, resources) in sorted(kept.items()):
        service, _, name = full_name.partition(":")
        if from_star:
            actions, union = star.setdefault(service, ([], set()))
            actions.append(name)
            union.update(resources)
        else:
            named.setdefault((service, resources), []).append(name)
    grants = [KeptGrant(service=s, actions=tuple(a), resources=tuple(sorted(r))) for s, (a, r) in star.items()]
    grants += [KeptGrant(service=s, actions=tuple(a), resources=r) for (s, r), a in named.items()]
    return tuple(sorted(grants, key=lambda g: (g.service, g.resources)))


def _lines(
    report: UsageReport, plan: _Planner, kept: Mapping[str, Any], removed: set[str]
) -> list[DiffLine]:
    lines: list[DiffLine] = []
    for policy, statement in plan.statements:
        if not statement.allow:
            continue
        for service in plan.universe():
            if not any(grants_action(statement, a.full_name) for a in catalog.actions_of(service)):
                continue
            patterns = _patterns(statement, service)
            text = f"{policy}: {', '.join(patterns)}"
            usage = report.service(service)
            when = ago(usage.last_used, report.now) if usage else texts.NEVER
            if statement.conditions or statement.not_resources is not None:
                lines.append(DiffLine(sign="!", text=text, note=texts.TRIM_CONDITIONAL))
            elif service in removed:
                name = usage.name if usage else service
                note = texts.TRIM_REMOVED_SERVICE.format(service=name, when=when)
                lines.append(DiffLine(sign="-", text=text, note=note))
            else:
                lines.extend(_kept_lines(statement, text, when, kept, usage, service=service, days=report.days))
    return lines


def _kept_lines(
    statement: Statement,
    text: str,
    when: str,
    kept: Mapping[str, Any],
    usage: ServiceUsage | None,
    *,
    service: str,
    days: int,
) -> list[DiffLine]:
    granted = [a.full_name for a in catalog.actions_of(service) if grants_action(statement, a.full_name)]
    here = [name for name in granted if name in kept]
    untracked = usage is None or usage.tracked_actions is None
    if len(here) == len(granted):
        note = texts.TRIM_KEPT_UNTRACKED if untracked and len(granted) > 1 else texts.TRIM_KEPT
        return [DiffLine(sign=" ", text=text, note=note.format(when=when))]
    if not here:
        return [DiffLine(sign="-", text=text, note=texts.TRIM_NONE_USED.format(total=len(granted), days=days))]
    lines = [DiffLine(sign="-", text=text, note=texts.TRIM_PARTIAL.format(kept=len(here), total=len(granted)))]
    shown = ", ".join(here[:_SHOWN_ACTIONS])
    if len(here) > _SHOWN_ACTIONS:
        shown += ", " + texts.MORE.format(count=len(here) - _SHOWN_ACTIONS)
    lines.append(DiffLine(sign="+", text=shown, note=texts.TRIM_KEPT_ACTIONS.format(days=days)))
    return lines


def trim_request(
    proposal: TrimProposal, *, duration: timedelta | None = None, requester: str = ""
) -> AccessRequest:
    """The proposal as a normal AccessRequest (it goes through central validation and approval)."""
    if len(proposal.grants) > MAX_GRANTS:
        raise InvalidInput(
            texts.TRIM_UNUSABLE.format(reason=texts.TRIM_TOO_MANY.format(count=len(proposal.grants), limit=MAX_GRANTS))
        )
    justification = texts.TRIM_JUSTIFICATION.format(
        arn=proposal.principal.arn, days=proposal.days, policies=", ".join(proposal.policies) or "-"
    )
    try:
        return AccessRequest(
            account=proposal.account,
            grants=tuple(Grant(service=g.service, actions=g.actions, resources=g.resources) for g in proposal.grants),
            duration=duration,
            justification=justification[:1000],
            requester=requester[:256],
        )
    except ValidationError as error:
        raise InvalidInput(texts.TRIM_UNUSABLE.format(reason=error.errors()[0]["msg"])) from None
