"""Finding codes, severities and every message text of the central validation, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.models import Finding, Severity

# Codes follow IAM Access Analyzer's issue codes where one exists:
# https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
# The others are AccessBot's own and say so in docs/policy-engine.md.

E, SW, W, S = Severity.ERROR, Severity.SECURITY_WARNING, Severity.WARNING, Severity.SUGGESTION

SEED_REJECTION = "Policy creation request rejected: * permissions not allowed in both actions and resources"


@dataclass(frozen=True, slots=True)
class Spec:
    severity: Severity
    message: str
    fix: str | None = None


SPECS: dict[str, Spec] = {
    # Input and parsing.
    "JSON_SYNTAX_ERROR": Spec(E, "The policy is not valid JSON: {detail}.", "Fix the JSON syntax."),
    "INVALID_ENCODING": Spec(E, "The policy is not valid UTF-8 text.", "Save the policy as UTF-8."),
    "POLICY_TOO_LARGE_TO_READ": Spec(
        E, "The policy text is {size} characters; AccessBot reads at most {limit}.", "Send a real IAM policy."
    ),
    "NESTING_TOO_DEEP": Spec(
        E, "The policy nests deeper than {limit} levels; no IAM policy does.", "Send a real IAM policy."
    ),
    "DUPLICATE_KEY": Spec(
        E, "The key '{key}' appears twice in one object; parsers disagree on which one wins.", "Keep one of them."
    ),
    "DATA_TYPE_MISMATCH": Spec(E, "{element} must be {expected}, not {found}.", "Use the expected JSON type."),
    "NOT_JSON_VALUE": Spec(E, "The policy holds a value JSON cannot carry ({found}).", "Pass plain JSON data."),
    # Grammar.
    # The final document always carries "Version": "2012-10-17": these say that it was set, and why.
    "MISSING_VERSION": Spec(
        S,
        'The policy has no "Version" (IAM would read it as 2008-10-17): added "Version": "{version}".',
        'Add "Version": "{version}" to your copy of the policy too.',
    ),
    "OLD_VERSION": Spec(
        S,
        'The policy has "Version": "2008-10-17", which reads policy variables as plain text: '
        'changed to "Version": "{version}".',
        'Use "Version": "{version}" in your copy of the policy too.',
    ),
    "INVALID_VERSION": Spec(E, 'The version "{version}" is not valid.', 'Use "Version": "2012-10-17".'),
    "VARIABLES_NEED_VERSION_2012": Spec(
        E,
        "Policy variables such as {variable} are read as plain text unless the version is 2012-10-17.",
        'Use "Version": "2012-10-17".',
    ),
    "MISSING_STATEMENT": Spec(E, 'The policy has no "Statement".', 'Add a "Statement" list.'),
    "EMPTY_STATEMENT": Spec(W, 'The "Statement" list is empty: the policy grants nothing.', "Add a statement."),
    "INVALID_POLICY_ELEMENT": Spec(E, 'The element "{element}" is not valid here.', "Remove it (check the spelling)."),
    "MISSING_EFFECT": Spec(E, 'The statement has no "Effect".', 'Add "Effect": "Allow" or "Deny".'),
    "INVALID_EFFECT": Spec(E, 'The effect "{effect}" is not valid.', 'Use "Allow" or "Deny" (capitalised).'),
    "MISSING_ACTION": Spec(E, 'The statement has no "Action" or "NotAction".', 'Add an "Action" list.'),
    "MISSING_RESOURCE": Spec(E, 'The statement has no "Resource" or "NotResource".', 'Add a "Resource" list.'),
    "UNSUPPORTED_ELEMENT_COMBINATION": Spec(E, 'The statement has both "{first}" and "{second}".', "Keep one of them."),
    "UNSUPPORTED_PRINCIPAL": Spec(
        E, 'An identity policy cannot have "{element}".', "Remove it: the policy applies to whoever it is attached to."
    ),
    "UNSUPPORTED_SID": Spec(
        E, 'The Sid "{sid}" may use only letters and digits in an identity policy.', "Use letters and digits only."
    ),
    "DUPLICATE_SID": Spec(E, 'The Sid "{sid}" is used by more than one statement.', "Give each statement its own Sid."),
    "EMPTY_ARRAY": Spec(W, '"{element}" is an empty list: the statement matches nothing.', "Add values or remove it."),
    "EMPTY_STRING": Spec(W, '"{element}" holds an empty string.', "Remove the empty string."),
    "CONTROL_CHARACTERS": Spec(
        E, "{element} contains control or invisible characters.", "Retype the value without hidden characters."
    ),
    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA": Spec(
        E,
        "With the central deny statements the policy has {size} characters (whitespace excluded); "
        "IAM refuses managed policies over {limit}.",
        "Split the request into smaller policies, or use wildcards that stay within one resource family.",
    ),
    # Actions, services, resources.
    "INVALID_ACTION_FORMAT": Spec(E, 'The action "{action}" is not of the form service:Action.', "Use service:Action."),
    "INVALID_SERVICE_IN_ACTION": Spec(
        E, 'The service "{service}" in the action "{action}" does not exist.', "Check the service prefix."
    ),
    "RETIRED_SERVICE": Spec(W, "AWS has retired the service {service}: {action} grants nothing.", "Remove {action}."),
    "INVALID_ACTION": Spec(E, "The action {action} does not exist.", "Check the action name in the IAM reference."),
    "INVALID_WILDCARD_ACTION": Spec(
        E, "The action pattern {action} matches no action of {service}.", "Fix the pattern."
    ),
    "INVALID_ARN": Spec(
        E, 'The resource "{resource}" is not a valid ARN: {detail}.', "Use arn:aws:service:region:account:resource."
    ),
    "INVALID_PARTITION": Spec(E, 'The partition "{partition}" in "{resource}" does not exist.', "Use aws."),
    "OTHER_PARTITION": Spec(
        W,
        'The resource "{resource}" is in the {partition} partition; AccessBot accounts are in aws.',
        "Use arn:aws:... ARNs.",
    ),
    "INVALID_SERVICE": Spec(E, 'The service "{service}" in "{resource}" does not exist.', "Check the ARN."),
    "RESOURCE_MATCHES_NO_ACTION": Spec(
        W,
        'The resource "{resource}" matches no resource type of the statement\'s actions, so it grants nothing.',
        "Use the ARN form the actions expect (e.g. bucket/* for S3 objects).",
    ),
    "REDUNDANT_ACTION": Spec(S, "The action {action} is already covered by {by}.", "Remove {action}."),
    "REDUNDANT_RESOURCE": Spec(S, 'The resource "{resource}" is already covered by "{by}".', "Remove it."),
    # Conditions.
    "INVALID_CONDITION_OPERATOR": Spec(E, 'The condition operator "{operator}" does not exist.', "Check the operator."),
    "INVALID_CONDITION_BLOCK": Spec(
        E, "{element} must map condition keys to values.", 'Use {{"Op": {{"key": [values]}}}}.'
    ),
    "INVALID_GLOBAL_CONDITION_KEY": Spec(E, 'The condition key "{key}" is not a global aws: key.', "Check the key."),
    "INVALID_SERVICE_CONDITION_KEY": Spec(
        E, 'The condition key "{key}" does not exist in the service {service}.', "Check the key."
    ),
    "INVALID_CONDITION_KEY_FORMAT": Spec(
        E, 'The condition key "{key}" is not of the form service:key.', "Check the key."
    ),
    "INVALID_CONDITION_VALUE": Spec(
        E, 'The value "{value}" of {key} is not a valid {kind} for {operator}.', "Use a valid {kind}."
    ),
    "TYPE_MISMATCH": Spec(
        W,
        "Use an operator of type {wanted} instead of {operator} for the condition key {key}.",
        "Use a {wanted} operator.",
    ),
    "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS": Spec(
        SW, "Use an ARN operator instead of {operator} for the condition key {key}.", "Use ArnEquals or ArnLike."
    ),
    "MISSING_QUALIFIER": Spec(
        E,
        "The condition key {key} has multiple values; {operator} needs ForAllValues: or ForAnyValue:.",
        "Prefix the operator with ForAnyValue: or ForAllValues:.",
    ),
    "FOR_ALL_VALUES_WITH_SINGLE_VALUED_KEY": Spec(
        SW,
        "ForAllValues: with the single-valued key {key} also matches requests without the key.",
        "Drop ForAllValues: for single-valued keys.",
    ),
    "NULL_WITH_IF_EXISTS": Spec(E, "The Null operator cannot take IfExists.", "Use Null."),
    "INVALID_NULL_VALUE": Spec(
        E, 'The Null operator takes "true" or "false", not "{value}".', 'Use "true" or "false".'
    ),
    "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE": Spec(
        S,
        "The condition on {key} never matches {actions}: their requests carry no tag keys, so this statement "
        "does not grant them.",
        "Move those actions to a statement without the tag condition, or drop them.",
    ),
    "EQUIVALENT_TO_NULL_FALSE": Spec(
        S, 'The condition {operator} {key} "*" only checks that the key exists.', 'Use "Null": {{"{key}": "false"}}.'
    ),
    # The seed's PolicyChecker rule.
    "STAR_ACTION_ON_STAR_RESOURCE": Spec(E, SEED_REJECTION, "Name the actions and the resources you need."),
    # Risky grants.
    "ALLOW_WITH_NOT_ACTION": Spec(
        SW,
        "Allow with NotAction grants every action except the listed ones, including future ones.",
        "List the actions to allow with Action.",
    ),
    "ALLOW_WITH_NOT_RESOURCE": Spec(
        SW,
        "Allow with NotResource grants the actions on every resource except the listed ones.",
        "List the resources to allow with Resource.",
    ),
    "PASS_ROLE_WITH_STAR_IN_RESOURCE": Spec(
        SW,
        "iam:PassRole on {resource} lets the holder hand any matching role to a service.",
        "Name the roles, or add an iam:PassedToService condition.",
    ),
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE": Spec(
        SW, "{action} on * includes iam:PassRole on every role.", "Name the actions and the roles."
    ),
    "CREATE_SLR_WITH_STAR_IN_RESOURCE": Spec(
        W,
        "iam:CreateServiceLinkedRole on * lets the holder create the service-linked role of any service.",
        "Name the service-linked role ARNs, or add an iam:AWSServiceName condition naming the services.",
    ),
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE": Spec(
        W,
        "{action} on * includes iam:CreateServiceLinkedRole for every service.",
        "Name the actions and the service-linked role ARNs.",
    ),
    "PRIVILEGE_ESCALATION": Spec(
        SW,
        "Privilege escalation ({method}): {actions} together let the holder gain more permissions. See {link}",
        "Remove one of the actions, or scope them to named resources.",
    ),
    "PERMISSIONS_MANAGEMENT_ACTIONS": Spec(
        W,
        "Grants permissions-management actions ({actions}) that change who can do what.",
        "Grant them only to named resources, with approval from the security team.",
    ),
    "PERMISSIONS_MANAGEMENT_WITHOUT_CONSTRAINT": Spec(
        SW, "Grants permissions-management actions ({actions}) on every resource.", "Name the resources."
    ),
    "CREDENTIALS_EXPOSURE": Spec(
        SW,
        "Grants actions that return credentials or tokens ({actions}) on {resource}.",
        "Name the resources, or remove the actions.",
    ),
    "DATA_EXFILTRATION": Spec(
        SW,
        "Grants data reads ({actions}) on every resource, without a condition.",
        "Name the buckets, parameters, secrets or keys.",
    ),
    "SERVICE_WILDCARD": Spec(
        SW,
        "{action} grants every action of the service, including future ones, on {resource}.",
        "List the actions you need.",
    ),
    "SERVICE_WILDCARD_SCOPED": Spec(
        W, "{action} grants every action of the service, including future ones.", "List the actions you need."
    ),
    # Central rules of the account type.
    "RESERVED_SID": Spec(E, 'The Sid "{sid}" belongs to a central deny statement.', "Choose another Sid."),
    "FORBIDDEN_ACTION": Spec(
        E, "{action} is forbidden in {account_type} accounts.", "Remove it; ask the security team if you need it."
    ),
    "PROTECTED_RESOURCE": Spec(
        E, '"{resource}" is protected in {account_type} accounts ({pattern}).', "Remove it from the policy."
    ),
    "PROTECTED_RESOURCE_EXPOSED": Spec(
        SW,
        '"{resource}" also covers protected resources ({pattern}) and no central deny protects them.',
        "Name the resources, leaving out the protected ones.",
    ),
    "INSTANCE_TYPE_NOT_ALLOWED": Spec(
        E,
        "Instance type {value} is not allowed in {account_type} accounts (allowed: {allowed}).",
        "Use one of: {allowed}.",
    ),
    "INSTANCE_TYPE_NOT_RESTRICTED": Spec(
        SW,
        "ec2:RunInstances is granted without an ec2:InstanceType condition and no central deny restricts it.",
        "Add a StringLike ec2:InstanceType condition with: {allowed}.",
    ),
    "REGION_NOT_ALLOWED": Spec(
        E, "Region {region} is not allowed in {account_type} accounts (allowed: {allowed}).", "Use one of: {allowed}."
    ),
    "REGION_NOT_RESTRICTED": Spec(
        W,
        "Regions are restricted in {account_type} accounts but nothing limits aws:RequestedRegion.",
        "Add a StringEquals aws:RequestedRegion condition with: {allowed}.",
    ),
    "PERMISSIONS_BOUNDARY_REQUIRED": Spec(
        E,
        "{action} must require the permissions boundary {boundary} with an iam:PermissionsBoundary condition.",
        'Add "Condition": {{"StringEquals": {{"iam:PermissionsBoundary": "{boundary}"}}}}.',
    ),
    "PERMISSIONS_BOUNDARY_CHANGE": Spec(
        E, "{action} changes or removes permissions boundaries, which is forbidden.", "Remove it."
    ),
}

ESCALATION_DOC = "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"


def finding(
    code: str,
    *,
    statement: int | str | None = None,
    action: str | None = None,
    blocking: bool = False,
    **values: Any,
) -> Finding:
    """The finding for `code`, its texts filled with `values` (and `action`).

    Findings are immutable, and the same few repeat across policies (same code, statement, values), so the
    model is built once per distinct finding.
    """
    key = (code, statement, action, blocking, *values.items())
    try:
        found = _FINDINGS.get(key)
    except TypeError:  # a value that cannot be a key (none of the checks pass one): no reuse
        found, key = None, ()
    if found is None:
        spec = SPECS[code]
        values = {"action": action, **values}
        found = Finding(
            code=code,
            severity=spec.severity,
            message=spec.message.format(**values),
            statement=statement,
            action=action,
            fix=spec.fix.format(**values) if spec.fix else None,
            blocking=blocking,
        )
        if key:
            if len(_FINDINGS) >= _MAX_FINDINGS:
                _FINDINGS.clear()
            _FINDINGS[key] = found
    return found


_FINDINGS: dict[tuple[Any, ...], Finding] = {}
_MAX_FINDINGS = 65_536


def short(value: object, limit: int = 80) -> str:
    """A value safe to quote in a one-line message: no control characters, bounded length."""
    text = str(value)
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listed(names: list[str] | tuple[str, ...], limit: int = 5) -> str:
    """'a, b, c' or 'a, b, c and 4 more'."""
    head = ", ".join(names[:limit])
    return head if len(names) <= limit else f"{head} and {len(names) - limit} more"
