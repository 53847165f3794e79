"""Fixtures for the real-editor tests; helpers are in _support.py.

A missing editor or tool never fails these tests on a developer's machine: each test calls
`_support.missing_tool`, which skips naming the tool and how to install it (the Debian script or
the tool's own install). With CI=true it fails instead, so a broken editor install in CI cannot
pass green (`.ci/run` installs the editors first and sets CI=true when it is unset).
"""

from __future__ import annotations

import subprocess

import pytest

from ._support import server_argv


@pytest.fixture(scope="session")
def server_cmd() -> list[str]:
    argv = server_argv()
    # The server must at least start and answer --help: a clearer error than a editor timeout.
    proc = subprocess.run([*argv, "--help"], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        pytest.fail(f"`{' '.join(argv)} --help` failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return argv
