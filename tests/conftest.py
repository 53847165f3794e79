"""Shared pytest setup for the engine and CLI tests.

`../shared` (the glossary pages of every version and the harvester/docs corpus) sits beside the
repository in the project workspace but not in every checkout: tests that read it take the
`shared` fixture, or use `glossary_testkit.shared_path`, and skip with a reason when it is absent.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SHARED = REPO.parent / "shared"

# Test modules import the shared helpers as `glossary_testkit`, whether or not tests/ is a package.
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

try:  # the package is normally installed (editable in development, a wheel in CI)
    import harvester_glossary_ls  # noqa: F401
except ImportError:  # pragma: no cover - a bare checkout without an install
    sys.path.insert(0, str(REPO / "server"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The `../shared` folder beside the repository; skips the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent (the shared glossary pages and docs corpus live there)")
    return SHARED
