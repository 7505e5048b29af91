"""Render the accessbot-boundary policies of infra/spoke-account.yml from the central rules.

The central deny statements have one home, bot/domain/default_rules.yml (or your --rules file).
The boundary is "allow everything except the central denies of this account type", so this script
copies those statements into the marked blocks of the spoke template; tests/infra/test_boundary.py
fails when the template and the rules drift. Run after changing the rules:

    .venv/bin/python infra/render_boundary.py --write [--rules my_rules.yml]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from bot.domain.rules import CentralRules, load_rules

SPOKE_TEMPLATE = Path(__file__).with_name("spoke-account.yml")
BOUNDARY_NAME = "accessbot-boundary"
ALLOW_ALL = {"Sid": "BoundaryCeiling", "Effect": "Allow", "Action": "*", "Resource": "*"}
_NOTE = "(infra/render_boundary.py --write; do not edit by hand)"


def _logical(account_type: str) -> str:
    return account_type[:1].upper() + account_type[1:]


def conditions(rules: CentralRules) -> dict[str, Any]:
    """One condition per account type: create that type's boundary."""
    return {
        f"BoundaryFor{_logical(kind)}": {
            "Fn::And": [{"Condition": "WithBoundary"}, {"Fn::Equals": [{"Ref": "AccountType"}, kind]}]
        }
        for kind in rules.account_types
    }


def boundaries(rules: CentralRules) -> dict[str, Any]:
    """One AWS::IAM::ManagedPolicy per account type; the stack's AccountType creates exactly one."""
    return {
        f"Boundary{_logical(kind)}": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Condition": f"BoundaryFor{_logical(kind)}",
            "Properties": {
                "ManagedPolicyName": BOUNDARY_NAME,
                "Description": f"AccessBot permissions boundary ({kind}): everything but the central denies",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [ALLOW_ALL, *(dict(s) for s in account_rules.central_deny)],
                },
            },
        }
        for kind, account_rules in rules.account_types.items()
    }


class _NoAliases(yaml.SafeDumper):
    """CloudFormation rejects YAML aliases (cfn-lint W1101): repeat the shared statements in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(data: dict[str, Any]) -> str:
    text = yaml.dump(data, Dumper=_NoAliases, sort_keys=False, default_flow_style=False, width=120)
    return "".join(f"  {line}\n" for line in text.splitlines())


def render(template: str, rules: CentralRules) -> str:
    """The template with both marked blocks replaced by what the rules say."""
    for name, body in (("conditions", conditions(rules)), ("boundary", boundaries(rules))):
        begin, end = f"# BEGIN rendered {name} {_NOTE}\n", f"# END rendered {name}\n"
        head, found, rest = template.partition(begin)
        _, found_end, tail = rest.partition(end)
        if not (found and found_end):
            raise SystemExit(f"{SPOKE_TEMPLATE}: markers for the rendered {name} block are missing")
        template = head + begin + _dump(body) + end + tail
    return template


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rules", type=Path, help="central rules YAML (default: the shipped rules)")
    parser.add_argument("--write", action="store_true", help="update infra/spoke-account.yml in place")
    args = parser.parse_args(argv)
    current = SPOKE_TEMPLATE.read_text(encoding="utf-8")
    wanted = render(current, load_rules(args.rules))
    if args.write:
        SPOKE_TEMPLATE.write_text(wanted, encoding="utf-8")
        return 0
    if wanted != current:
        print(f"{SPOKE_TEMPLATE} is out of date: run infra/render_boundary.py --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
