"""A deploy without the required --param values stops before anything reaches AWS, naming each one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.infra.conftest import OSLS, ROOT, osls_env

pytestmark = pytest.mark.infra


def test_missing_params_are_named(tmp_path: Path) -> None:
    if not OSLS.exists():
        pytest.skip("node_modules/.bin/osls is missing: run `npm ci` (.ci/run does) to build serverless.yml")
    result = subprocess.run(
        [str(OSLS), "package", "--stage", "prod", "--package", str(tmp_path / "out")],
        cwd=ROOT,
        env=osls_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for where in (
        "ACCESSBOT_ACCOUNTS_FILE",
        "ACCESSBOT_SECURITY_CHANNEL",
        "ACCESSBOT_OIDC_ISSUER",
        "ACCESSBOT_OIDC_AUDIENCE",
        "ACCESSBOT_OIDC_JWKS_URL",
        "ACCESSBOT_EXTERNAL_ID",
        "functions.api.layers.0",
    ):
        assert f'{where}": Value not found at "param" source' in output
    assert not (tmp_path / "out").exists()
