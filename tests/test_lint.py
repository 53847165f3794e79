"""ruff (with the complexity rule, C901 at 12, on server/) and mypy --strict over server/ and tests/
run as tests, so `pytest` alone says whether main is clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> list[str]:
    local = Path(sys.executable).parent / name
    if local.exists():
        return [str(local)]
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (pip install -e '.[test]')")
    return [found]


def test_ruff_clean() -> None:
    result = subprocess.run([*_tool("ruff"), "check", "server", "tests"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_clean() -> None:
    result = subprocess.run([*_tool("mypy"), "--strict", "server/harvester_glossary_ls", "tests"],
                            cwd=ROOT, capture_output=True, text=True,
                            env={"MYPYPATH": "server", "PATH": str(Path(sys.executable).parent)})
    assert result.returncode == 0, result.stdout + result.stderr
