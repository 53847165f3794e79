"""Server start-up without a client (issue 11, item 7).

Bare `harvester-glossary-ls` is the language server. Started with no client on stdin (closed,
`< /dev/null`, an empty file or pipe) it must end at once with one line on stderr, not hang a CI
job or print an asyncio traceback; started in a terminal it says in one line what it speaks and
where the check is, then serves. Exit code 1 when no client came: the LSP specification's code
for an end without a `shutdown` request, the same as a client that goes away.
The time bound here is a hang guard; the measured time is printed (`BOUND:`), about 0.5 s.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

SERVER = [sys.executable, "-m", "harvester_glossary_ls"]
HANG_GUARD = 20.0
"""Seconds: far above the ~0.5 s it takes, so a loaded machine cannot fail the test."""


def run_without_client(stdin: int | None, shell: str | None = None) -> tuple[int, list[str]]:
    started = time.monotonic()
    argv = ["bash", "-c", f'exec "$@" {shell}', "_", *SERVER] if shell else SERVER
    proc = subprocess.run(argv, stdin=stdin, capture_output=True, text=True, timeout=HANG_GUARD)
    print(f"BOUND: exited {time.monotonic() - started:.2f} s after start")
    assert proc.stdout == ""
    return proc.returncode, proc.stderr.splitlines()


def assert_one_hint_line(lines: list[str], why: str) -> None:
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"harvester-glossary-ls: {why}")
    assert "LSP on stdio" in lines[0]
    assert "harvester-glossary-ls check --help" in lines[0]
    assert "Traceback" not in lines[0]


def test_dev_null_ends_with_one_line() -> None:
    code, lines = run_without_client(subprocess.DEVNULL)
    assert code == 1
    assert_one_hint_line(lines, "stdin ended before any message")


def test_dev_null_from_a_shell_redirect() -> None:
    code, lines = run_without_client(None, shell="< /dev/null")
    assert code == 1
    assert_one_hint_line(lines, "stdin ended before any message")


def test_closed_stdin_ends_with_one_line() -> None:
    code, lines = run_without_client(None, shell="<&-")
    assert code == 1
    assert_one_hint_line(lines, "stdin is closed")


def test_empty_file_and_empty_pipe(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    with empty.open("rb") as stdin:
        code, lines = run_without_client(stdin.fileno())
    assert code == 1
    assert_one_hint_line(lines, "stdin ended before any message")
    read_end, write_end = os.pipe()
    os.close(write_end)
    try:
        code, lines = run_without_client(read_end)
    finally:
        os.close(read_end)
    assert code == 1
    assert_one_hint_line(lines, "stdin ended before any message")


def read_line(fd: int, timeout: float) -> bytes:
    data = b""
    deadline = time.monotonic() + timeout
    while not data.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            data += chunk
    return data


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_terminal_gets_one_hint_line_and_the_server_keeps_serving() -> None:
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(SERVER, stdin=secondary, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    os.close(secondary)
    try:
        assert proc.stderr is not None
        err = proc.stderr.fileno()
        line = read_line(err, HANG_GUARD).decode()
        assert line.startswith("harvester-glossary-ls: a language server speaking LSP on stdio")
        assert "harvester-glossary-ls check --help" in line and line.count("\n") == 1
        time.sleep(1.0)
        assert proc.poll() is None, "the server must keep serving a terminal"
        assert select.select([err], [], [], 0)[0] == [], "nothing but the hint line on stderr"
    finally:
        proc.terminate()
        proc.wait(HANG_GUARD)
        os.close(primary)
