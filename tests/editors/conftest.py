"""Fixtures for the real-editor tests; helpers are in _support.py."""

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
