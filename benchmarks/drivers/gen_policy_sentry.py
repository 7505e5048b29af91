"""Times policy_sentry's write_policy_with_template (CRUD mode) on the generation cases; prints JSON.

Runs inside benchmarks/.venvs/policy_sentry.
"""

import json
import sys
import time

from policy_sentry.command.write_policy import write_policy_with_template

data = json.loads(sys.stdin.read())
repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 20


def allowed_actions(policy):
    actions = set()
    for statement in policy["Statement"]:
        if statement["Effect"] == "Allow":
            value = statement["Action"]
            actions.update([value] if isinstance(value, str) else value)
    return sorted(actions)


results = []
for case in data["cases"]:
    template = {"mode": "crud", **case["crud"]}
    start = time.perf_counter()
    policy = write_policy_with_template(template)
    first = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(repeat):
        write_policy_with_template(template)
    warm = (time.perf_counter() - start) / repeat
    results.append({"name": case["name"], "actions": allowed_actions(policy), "first": first, "warm": warm})
print(json.dumps({"tool": "policy_sentry", "results": results}))
