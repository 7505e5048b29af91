"""The dependency layer: its pins satisfy pyproject.toml, and its zip is reproducible."""

from __future__ import annotations

import importlib.util
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_layer", ROOT / "infra" / "build_layer.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pins() -> dict[str, str]:
    lines = (ROOT / "infra" / "layer" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pins = [line.split("==") for line in lines if line and not line.startswith("#")]
    return {name.lower(): version for name, version in pins}


def test_every_runtime_dependency_is_pinned_within_its_range() -> None:
    pins = _pins()
    for spec in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]:
        requirement = Requirement(spec)
        name = requirement.name.lower()
        assert name in pins, f"{name} (pyproject.toml) is missing from infra/layer/requirements.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} vs {spec}"


def test_pins_are_exact_and_unique() -> None:
    lines = [x for x in (ROOT / "infra" / "layer" / "requirements.txt").read_text().splitlines() if x and x[0] != "#"]
    assert all(line.count("==") == 1 and " " not in line for line in lines)
    assert len(_pins()) == len(lines)


def test_pip_installs_binary_wheels_for_lambda_arm64_only() -> None:
    command = _builder().pip_command(Path("/tmp/target"))
    assert "--only-binary=:all:" in command
    assert "--no-deps" in command
    assert command[command.index("--python-version") + 1] == "3.12"
    platforms = [command[i + 1] for i, arg in enumerate(command) if arg == "--platform"]
    assert platforms and all(p.endswith("_aarch64") for p in platforms)


def test_zip_is_byte_identical_across_builds(tmp_path: Path) -> None:
    builder = _builder()
    source = tmp_path / "src"
    (source / "python" / "pkg" / "__pycache__").mkdir(parents=True)
    (source / "python" / "pkg" / "__init__.py").write_text("x = 1\n")
    (source / "python" / "pkg" / "__pycache__" / "m.pyc").write_bytes(b"stale")
    (source / "python" / "a.py").write_text("")
    first = builder.deterministic_zip(source, tmp_path / "one.zip")
    (source / "python" / "a.py").touch()  # a newer mtime must not change the bytes
    second = builder.deterministic_zip(source, tmp_path / "two.zip")
    assert first == second
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        assert archive.namelist() == ["python/a.py", "python/pkg/__init__.py"]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
