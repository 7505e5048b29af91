"""A pytest plugin that records every validate() call of a test run, for findings_snapshot.py to replay.

Run: PYTHONPATH=benchmarks ACCESSBOT_RECORD=/tmp/validate-inputs.pickle .venv/bin/pytest -p record_validate tests/unit
"""

from __future__ import annotations

import os
import pickle
from typing import Any

import bot.domain.validation as validation

_calls: list[tuple[str, Any, dict[str, Any]]] = []
_original = validation.validate


def _recording(document: Any, **kwargs: Any) -> Any:
    try:
        # Pickled now: a test may change its document after the call.
        rules = kwargs.get("rules")
        saved = {**kwargs, "rules": rules.model_dump(mode="json") if rules is not None else None}
        snapshot = pickle.loads(pickle.dumps(document))
        test = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
        _calls.append((f"{test}#{len(_calls)}", snapshot, saved))
    except Exception:  # an input pickle cannot carry is left out of the replay
        pass
    return _original(document, **kwargs)


validation.validate = _recording  # type: ignore[assignment]


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    path = os.environ.get("ACCESSBOT_RECORD")
    if path:
        with open(path, "wb") as handle:
            pickle.dump(_calls, handle)
        print(f"\n{len(_calls)} validate() calls recorded in {path}")
