"""Builds serverless.yml once per test session with osls, offline, into a temporary folder."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
OSLS = ROOT / "node_modules" / ".bin" / "osls"


def osls_env(home: Path) -> dict[str, str]:
    """No real credentials, no network: dummy keys stop the SDK from probing instance metadata,
    and osls's package step makes no AWS call (the layer is an ARN, not an osls `layers:` entry)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": "AKIAOFFLINEPACKAGING",
        "AWS_SECRET_ACCESS_KEY": "offline",
        "AWS_EC2_METADATA_DISABLED": "true",
        "SLS_TELEMETRY_DISABLED": "1",
        "NODE_NO_WARNINGS": "1",
    }


@pytest.fixture(scope="session")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder `osls package --stage ci` wrote: the CloudFormation templates and accessbot.zip."""
    if not OSLS.exists():
        pytest.skip("node_modules/.bin/osls is missing: run `npm ci` (.ci/run does) to build serverless.yml")
    home = tmp_path_factory.mktemp("home")
    # Two tries: in a working tree others are editing, a file can vanish between osls's glob and
    # its zip (ENOENT). A real failure fails both times, and the message shows the last one.
    for _ in range(2):
        out = tmp_path_factory.mktemp("osls") / "package"
        result = subprocess.run(
            [str(OSLS), "package", "--stage", "ci", "--package", str(out)],
            cwd=ROOT,
            env=osls_env(home),
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        if result.returncode == 0:
            break
    assert result.returncode == 0, f"osls package failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def template(packaged: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((packaged / "cloudformation-template-update-stack.json").read_text())
    return data


@pytest.fixture(scope="session")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = template["Resources"]
    return found
