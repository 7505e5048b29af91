"""Times AccessBot's policy writer on the generation cases (JSON on stdin); prints JSON. Runs in the project's venv."""

import json
import sys
import time

from bot.domain.models import AccessRequest
from bot.domain.writer import write_policy

data = json.loads(sys.stdin.read())
repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 200


def allowed_actions(policy):
    actions = set()
    for statement in policy["Statement"]:
        if statement["Effect"] == "Allow":
            value = statement["Action"]
            actions.update([value] if isinstance(value, str) else value)
    return sorted(actions)


results = []
for case in data["cases"]:
    request = AccessRequest(account=data["account"], grants=(case["grant"],), regions=(data["region"],))
    start = time.perf_counter()
    policy = write_policy(request, account_id=data["account"])
    first = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(repeat):
        write_policy(request, account_id=data["account"])
    warm = (time.perf_counter() - start) / repeat
    results.append({"name": case["name"], "actions": allowed_actions(policy), "first": first, "warm": warm})
print(json.dumps({"tool": "accessbot", "results": results}))
