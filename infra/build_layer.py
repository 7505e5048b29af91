"""Build the Lambda layer of runtime dependencies: build/deps-layer.zip, the same bytes every time.

pip installs the exact pins of infra/layer/requirements.txt as CPython 3.12 / arm64 wheels (never
source builds, never the host's platform) under python/, the folder Lambda adds to sys.path.
The zip is written in sorted order with fixed timestamps and modes, so a rebuild from the same
pins gives the same SHA-256. Publish it before `osls deploy` (docs/deploy.md):

    .venv/bin/python infra/build_layer.py
    aws lambda publish-layer-version --layer-name accessbot-prod-deps \\
      --compatible-runtimes python3.12 --compatible-architectures arm64 \\
      --zip-file fileb://build/deps-layer.zip
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "infra" / "layer" / "requirements.txt"
OUTPUT = ROOT / "build" / "deps-layer.zip"
# Lambda's python3.12 runs on Amazon Linux 2023 (glibc 2.34), Graviton for arm64.
# https://docs.aws.amazon.com/lambda/latest/dg/python-package.html#python-package-native-libraries
PLATFORMS = ("manylinux_2_34_aarch64", "manylinux_2_28_aarch64", "manylinux2014_aarch64")
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def pip_command(target: Path, requirements: Path = REQUIREMENTS) -> list[str]:
    """The pip invocation: binary wheels for the Lambda platform only, no dependency resolution
    beyond the pinned list (it is complete), no .pyc (they would embed build times)."""
    platforms = [arg for platform in PLATFORMS for arg in ("--platform", platform)]
    return [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--requirement", str(requirements), "--target", str(target),
        *platforms, "--implementation", "cp", "--python-version", "3.12",
        "--only-binary=:all:", "--no-deps", "--no-compile",
    ]  # fmt: skip


def deterministic_zip(source: Path, output: Path) -> str:
    """Zip `source`'s files (paths relative to it), sorted, fixed time and mode; return the SHA-256."""
    output.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(source).as_posix(), date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return hashlib.sha256(output.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"zip to write (default {OUTPUT})")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="accessbot-layer-") as work:
        target = Path(work) / "python"
        subprocess.run(pip_command(target), check=True)  # noqa: S603 - fixed argv, no shell
        shutil.rmtree(target / "bin", ignore_errors=True)  # console scripts: unused in Lambda
        digest = deterministic_zip(Path(work), args.output)
    size = args.output.stat().st_size / 1e6
    print(f"{args.output} {size:.1f} MB sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
