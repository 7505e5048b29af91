"""Where the shared policy corpus lives: ../shared/corpus from the repo root, or $ACCESSBOT_CORPUS."""

from __future__ import annotations

import json
import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    return Path(os.environ.get("ACCESSBOT_CORPUS", REPO.parent / "shared" / "corpus"))


def managed_policies() -> list[Path]:
    return sorted((corpus_dir() / "aws-managed-policies").glob("*.json"))


def deprecated() -> set[str]:
    path = corpus_dir() / "deprecated-policies.json"
    return set(json.loads(path.read_text())) if path.exists() else set()


def analyzer_findings() -> dict[str, list[dict[str, object]]]:
    """Access Analyzer's findings per policy name (policies without a file had none)."""
    folder = corpus_dir() / "access-analyzer-findings"
    return {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}
