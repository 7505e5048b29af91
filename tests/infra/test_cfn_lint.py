"""cfn-lint on the generated template and on every standalone template in infra/: no findings.

Warnings that are accepted carry their reason next to the resource (Metadata cfn-lint ignore_checks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.infra

ROOT = Path(__file__).resolve().parents[2]
CFN_LINT = Path(sys.executable).with_name("cfn-lint")


class _AnyTagLoader(yaml.SafeLoader):
    """Reads templates that use short-form tags (!Ref, !Sub ...) just to look at their keys."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def standalone_templates() -> list[Path]:
    """infra/**/*.yml that are whole CloudFormation templates; osls fragments (infra/serverless/,
    infra/lex/resources.yml) are linted inside the generated template instead."""
    found = []
    for path in sorted((ROOT / "infra").rglob("*.y*ml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_AnyTagLoader)
        if isinstance(data, dict) and "AWSTemplateFormatVersion" in data:
            found.append(path)
    return found


def lint(path: Path) -> str:
    result = subprocess.run(
        [str(CFN_LINT), "--format", "parseable", "--", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode in (0, 2, 4, 6, 8, 10, 12, 14), result.stderr  # 1: cfn-lint itself failed
    return result.stdout.strip()


def test_the_spoke_template_is_among_the_linted() -> None:
    assert ROOT / "infra" / "spoke-account.yml" in standalone_templates()


@pytest.mark.parametrize("path", standalone_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_infra_template_lints_clean(path: Path) -> None:
    assert lint(path) == ""


def test_generated_template_lints_clean(packaged: Path) -> None:
    assert lint(packaged / "cloudformation-template-update-stack.json") == ""
