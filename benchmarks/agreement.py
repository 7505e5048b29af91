"""AccessBot's findings next to Access Analyzer's on the AWS managed policies, per issue code.

Run: .venv/bin/python benchmarks/agreement.py [--show CODE]
Policies AWS did not analyse (the deprecated ones) are left out of both sides.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import analyzer_findings, deprecated, managed_policies

from bot.domain.rules import CentralRules, load_rules
from bot.domain.validation import validate


def rules_as_written() -> CentralRules:
    """The default rules without central denies: AWS checks the document as written, so size it so."""
    rules = load_rules()
    return CentralRules(
        account_types={k: v.model_copy(update={"central_deny": ()}) for k, v in rules.account_types.items()}
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", help="list the policies where the two disagree on this code")
    args = parser.parse_args()
    aws = analyzer_findings()
    skip = deprecated()
    aws_codes = {code for found in aws.values() for code in (str(f["issueCode"]) for f in found)}
    both: Counter[str] = Counter()
    aws_only: Counter[str] = Counter()
    ours_only: Counter[str] = Counter()
    aws_total: Counter[str] = Counter()
    ours_codes_all: Counter[str] = Counter()
    disagreements: list[str] = []
    policies = [p for p in managed_policies() if p.stem not in skip]
    rules = rules_as_written()
    for path in policies:
        theirs = Counter(str(f["issueCode"]) for f in aws.get(path.stem, []))
        result = validate(path.read_bytes(), account_type="sandbox", rules=rules)
        ours_all = Counter(f.code for f in result.findings)
        ours_codes_all.update(set(ours_all))
        ours = Counter({c: n for c, n in ours_all.items() if c in aws_codes})
        for code in set(theirs) | set(ours):
            # Per policy and code: agreement on whether the code applies at all.
            aws_total[code] += 1 if theirs[code] else 0
            if theirs[code] and ours[code]:
                both[code] += 1
            elif theirs[code]:
                aws_only[code] += 1
                disagreements.append(f"{code}\tAWS only\t{path.stem}")
            else:
                ours_only[code] += 1
                disagreements.append(f"{code}\tAccessBot only\t{path.stem}")
    print(f"policies compared: {len(policies)} (deprecated left out: {len(skip)})")
    print(f"{'issue code (policies with it)':48} {'AWS':>5} {'both':>5} {'AWS only':>9} {'ours only':>10}")
    for code in sorted(aws_total.keys() | ours_only.keys()):
        print(f"{code:48} {aws_total[code]:5} {both[code]:5} {aws_only[code]:9} {ours_only[code]:10}")
    print("\nAccessBot-only codes (no Access Analyzer equivalent), policies flagged:")
    for code, count in sorted(ours_codes_all.items()):
        if code not in aws_codes:
            print(f"  {code:46} {count:5}")
    if args.show:
        print("\n" + "\n".join(line for line in disagreements if line.startswith(args.show + "\t")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
