"""Every check on one document, in one pass over its statements; the findings keep the checks' order."""

from __future__ import annotations

from typing import Any

from bot.domain.models import Finding
from bot.domain.rules import AccountRules
from bot.domain.validation.actions import check_statement
from bot.domain.validation.central import check_central_rules
from bot.domain.validation.conditions import check_statement_conditions
from bot.domain.validation.escalation import check_escalation
from bot.domain.validation.grammar import check_grammar
from bot.domain.validation.matching import Grants
from bot.domain.validation.risk import breaks_seed_rule, check_risky_statement, seed_finding


def run_checks(document: dict[str, Any], rules: AccountRules, account_type: str, policy_type: str) -> list[Finding]:
    """Grammar, the seed rule, actions and resources, conditions, risky grants, escalation, the account type's rules."""
    statements, findings = check_grammar(document, policy_type)
    seed: list[Finding] = []
    on_actions: list[Finding] = []
    on_conditions: list[Finding] = []
    risky: list[Finding] = []
    for statement in statements:
        check_statement(statement, on_actions)
        if statement.conditions:
            check_statement_conditions(statement, on_conditions)
        if statement.allow:
            if breaks_seed_rule(statement):
                seed.append(seed_finding(statement))
            check_risky_statement(statement, risky)
    findings += seed
    findings += on_actions
    findings += on_conditions
    findings += risky
    if seed:
        # "*" on "*" grants everything: listing every escalation method and forbidden action
        # it includes would bury the one message that matters (the seed's).
        return findings
    grants = Grants(statements)
    # The account type's checks first: they work out the grants of every action watched, escalation's included.
    central = check_central_rules(grants, rules, account_type)
    if rules.privilege_escalation_checks:
        findings += check_escalation(grants)
    findings += central
    return findings
