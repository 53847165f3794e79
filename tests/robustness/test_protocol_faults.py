"""Protocol faults against the real server, bytes written by hand.

Each fault gets the JSON-RPC answer the specification asks for (or, for a notification, none),
and afterwards the server still serves: a hover on a glossary term answers. Lifecycle faults
(before `initialize`, after `shutdown`, `exit`, a vanished client, absurd Content-Length values)
each get their own server process.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harvester_glossary_ls.lsp.pygls_fixes.transport import MAX_MESSAGE_BYTES
from tests.robustness.conftest import write_project
from tests.robustness.rawclient import RawServer, encode

PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32700, -32600, -32601, -32602
SERVER_NOT_INITIALIZED, REQUEST_CANCELLED = -32002, -32800
EXIT_WITHIN = 5.0
"""Seconds a server may take to exit once its client is gone."""

TEXT = "The Frobnicator sits beside the quux bridge.\n"


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def hover_request(msg_id: Any, params: Any) -> bytes:
    return frame(json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": "textDocument/hover",
                             "params": params}).encode())


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("faults") / "ws").resolve()


@pytest.fixture(scope="module")
def served(workspace: Path) -> Iterator[tuple[RawServer, str]]:
    server = RawServer(cwd=workspace)
    server.initialize("visual_studio_code", workspace)
    uri = (workspace / "faults.md").as_uri()
    server.open(uri, TEXT)
    yield server, uri
    assert server.shutdown() == 0


def still_serving(server: RawServer, uri: str) -> None:
    hover = server.hover(uri, 0, 6, timeout=10)
    assert hover is not None and "Frobnicator" in hover["contents"]["value"]
    assert server.alive()


# name, bytes, the id of the error response (None: id null), its code; code None: no answer
CASES: list[tuple[str, bytes, Any, int | None]] = [
    ("malformed JSON", frame(b'{"jsonrpc": "2.0", "id": 1, "method": '), None, PARSE_ERROR),
    ("invalid UTF-8", frame(b'{"jsonrpc": "2.0", "id": 1, "method": "\xff\xfe"}'), None,
     PARSE_ERROR),
    ("NUL bytes", frame(b"\x00\x00\x00\x00"), None, PARSE_ERROR),
    ("JSON nested 100,000 deep", frame(b"[" * 100_000 + b"]" * 100_000), None, PARSE_ERROR),
    ("a batch (array)", frame(b'[{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}]'), None,
     INVALID_REQUEST),
    ("JSON null", frame(b"null"), None, INVALID_REQUEST),
    ("a bare number", frame(b"42"), None, INVALID_REQUEST),
    ("no jsonrpc member", frame(b'{"id": 501, "method": "textDocument/hover"}'), 501,
     INVALID_REQUEST),
    ("jsonrpc 1.0", frame(b'{"jsonrpc": "1.0", "id": 502, "method": "shutdown"}'), 502,
     INVALID_REQUEST),
    ("method is a number", frame(b'{"jsonrpc": "2.0", "id": 503, "method": 5}'), 503,
     INVALID_REQUEST),
    ("hover params of wrong types", hover_request(504, {"textDocument": 5, "position": "x"}),
     504, INVALID_PARAMS),
    ("hover without params", frame(b'{"jsonrpc": "2.0", "id": 505, '
                                   b'"method": "textDocument/hover"}'), 505, INVALID_PARAMS),
    ("hover params as a list", hover_request(506, [1, 2]), 506, INVALID_PARAMS),
    ("negative position", hover_request(507, {"textDocument": {"uri": "file:///x.md"},
                                              "position": {"line": -1, "character": -5}}),
     507, INVALID_PARAMS),
    ("position beyond uinteger", hover_request(508, {"textDocument": {"uri": "file:///x.md"},
                                                     "position": {"line": 2**40,
                                                                  "character": 0}}),
     508, INVALID_PARAMS),
    ("string id", hover_request("abc", {"textDocument": 5}), "abc", INVALID_PARAMS),
    ("unknown request", frame(b'{"jsonrpc": "2.0", "id": 509, "method": "harvester/nope"}'), 509,
     METHOD_NOT_FOUND),
    ("unknown notification", frame(b'{"jsonrpc": "2.0", "method": "harvester/nope"}'), None,
     None),
    ("unknown $/ notification", frame(b'{"jsonrpc": "2.0", "method": "$/nope", "params": {}}'),
     None, None),
    ("cancel of an unknown id", frame(b'{"jsonrpc": "2.0", "method": "$/cancelRequest", '
                                      b'"params": {"id": 99999}}'), None, None),
    ("didChange of wrong types", frame(b'{"jsonrpc": "2.0", "method": '
                                       b'"textDocument/didChange", "params": {"textDocument": '
                                       b'{"uri": 1}, "contentChanges": "x"}}'), None, None),
    ("didChange of a document never opened", encode({
        "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///never/opened.md", "version": 2},
            "contentChanges": [{"text": "x"}]}}), None, None),
    ("didClose of a document never opened", encode({
        "jsonrpc": "2.0", "method": "textDocument/didClose",
        "params": {"textDocument": {"uri": "file:///never/opened.md"}}}), None, None),
    ("a response nobody asked for", frame(b'{"jsonrpc": "2.0", "id": 777, "result": 1}'), None,
     None),
    ("garbage before a header", b"hello\r\nX-Whatever: 1\r\n" + frame(b"{}"), None, None),
    ("a header line of 1 MB", b"X" * 1_000_000 + b"\r\n" + frame(b"{}"), None, None),
    ("Content-Length not a number", b"Content-Length: abc\r\n\r\n", None, None),
    ("Content-Length 0", b"Content-Length: 0\r\n\r\n", None, None),
    ("Content-Length too small", b"Content-Length: 10\r\n\r\n"
     b'{"jsonrpc": "2.0", "method": "harvester/nope"}', None, PARSE_ERROR),
    ("Content-Type header", b"Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; "
     b"charset=utf-8\r\n\r\n{}", None, None),
]


@pytest.mark.parametrize(("name", "data", "error_id", "code"), CASES, ids=[c[0] for c in CASES])
def test_fault_is_answered_and_server_keeps_serving(served: tuple[RawServer, str], name: str,
                                                    data: bytes, error_id: Any,
                                                    code: int | None) -> None:
    server, uri = served
    nulls = len(server.null_id_errors)
    shown = len(server.messages())
    server.send_bytes(data)
    if code is not None and error_id is not None:
        response = server.response(error_id)
        assert response["error"]["code"] == code, response
    still_serving(server, uri)  # its answer arrives after any answer to the fault
    if code is not None and error_id is None:
        assert [e["error"]["code"] for e in server.null_id_errors[nulls:]] == [code]
    else:
        assert server.null_id_errors[nulls:] == []
    assert server.messages()[shown:] == [], "a protocol fault is not the user's business"


def test_content_length_larger_than_the_body_resynchronises(
        served: tuple[RawServer, str]) -> None:
    """The frame swallows the start of the next message; the one after that is understood."""
    server, uri = served
    server.send_bytes(b"Content-Length: 60\r\n\r\n{}")
    server.notify("harvester/nope")  # eaten by the short frame's body
    server.notify("harvester/nope")
    still_serving(server, uri)


def test_cancelled_request_whose_progress_reply_comes_late(served: tuple[RawServer, str]) -> None:
    """pygls #621: a late reply to a request the server stopped awaiting is ignored."""
    server, uri = served
    server.hold.add("window/workDoneProgress/create")
    try:
        msg_id = server.request_async("textDocument/references", {
            "textDocument": {"uri": uri}, "position": {"line": 0, "character": 6},
            "context": {"includeDeclaration": True}})
        assert server.wait_for(lambda: any(
            r["method"] == "window/workDoneProgress/create" for r in server.server_requests))
        create = [r for r in server.server_requests
                  if r["method"] == "window/workDoneProgress/create"][-1]
        server.notify("$/cancelRequest", {"id": msg_id})
        response = server.response(msg_id)
        assert response.get("error", {}).get("code") == REQUEST_CANCELLED
        shown = len(server.messages())
        server.send({"jsonrpc": "2.0", "id": create["id"], "result": None})
        still_serving(server, uri)
        assert server.messages()[shown:] == []
    finally:
        server.hold.discard("window/workDoneProgress/create")


def test_oversized_message_is_skipped_and_the_stream_stays_in_step(
        served: tuple[RawServer, str]) -> None:
    """A frame over MAX_MESSAGE_BYTES is read in 1 MiB chunks and dropped, with a message."""
    server, uri = served
    before = server.rss_kb()
    size = MAX_MESSAGE_BYTES + 1
    head = b'{"jsonrpc": "2.0", "method": "x", "params": "'
    body = head + b"a" * (size - len(head) - 2) + b'"}'
    assert len(body) == size
    server.send_bytes(b"Content-Length: %d\r\n\r\n" % size + body)
    del body
    still_serving(server, uri)
    assert any("skipped a message" in m["message"] for m in server.messages())
    grown_mb = (server.rss_kb("VmRSS") - before) / 1024
    assert grown_mb < 20, f"RSS grew {grown_mb:.0f} MB"
    print(f"BOUND: a {size}-byte frame skipped, RSS +{grown_mb:.1f} MB")


# --- lifecycle ------------------------------------------------------------------------------


@pytest.fixture
def fresh(workspace: Path) -> Iterator[RawServer]:
    server = RawServer(cwd=workspace)
    yield server
    server.stop(2)


def test_before_initialize(fresh: RawServer, workspace: Path) -> None:
    uri = (workspace / "early.md").as_uri()
    response = fresh.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
    assert response["error"]["code"] == SERVER_NOT_INITIALIZED
    fresh.open(uri, TEXT)  # a notification before initialize is dropped
    fresh.initialize("neovim", workspace)
    assert fresh.hover(uri, 0, 6) is None  # never opened as far as the server knows
    fresh.open(uri, TEXT)
    still_serving(fresh, uri)
    again = fresh.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    assert again["error"]["code"] == INVALID_REQUEST
    still_serving(fresh, uri)


def test_after_shutdown(fresh: RawServer, workspace: Path) -> None:
    fresh.initialize("emacs", workspace)
    assert fresh.result("shutdown") is None
    response = fresh.request("textDocument/hover", {
        "textDocument": {"uri": "file:///x.md"}, "position": {"line": 0, "character": 0}})
    assert response["error"]["code"] == INVALID_REQUEST
    fresh.notify("textDocument/didOpen", {"textDocument": {
        "uri": "file:///x.md", "languageId": "markdown", "version": 1, "text": TEXT}})
    fresh.notify("exit")
    assert fresh.proc.wait(EXIT_WITHIN) == 0


def test_exit_without_shutdown(fresh: RawServer, workspace: Path) -> None:
    fresh.initialize("visual_studio_code", workspace)
    fresh.notify("exit")
    assert fresh.proc.wait(EXIT_WITHIN) == 1  # as the specification says


def test_client_disappears_stdin_closed(fresh: RawServer, workspace: Path) -> None:
    fresh.initialize("visual_studio_code", workspace)
    fresh.open((workspace / "gone.md").as_uri(), TEXT * 1000)
    started = time.monotonic()
    fresh.stdin.close()
    assert fresh.proc.wait(EXIT_WITHIN) == 1  # 1: no shutdown request came first
    print(f"BOUND: exited {time.monotonic() - started:.2f} s after stdin closed")


def test_client_disappears_mid_message(fresh: RawServer, workspace: Path) -> None:
    fresh.initialize("neovim", workspace)
    fresh.send_bytes(b"Content-Length: 5000\r\n\r\n" + b'{"jsonrpc": "2.0", "method": ')
    fresh.stdin.close()
    assert fresh.proc.wait(EXIT_WITHIN) is not None


def test_client_killed_while_server_writes(workspace: Path, tmp_path: Path) -> None:
    """A client process is SIGKILLed while the server writes diagnostics for a big document:
    both pipes close at once; the orphaned server exits."""
    pid_file = tmp_path / "server.pid"
    script = f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).parents[2])!r})
from pathlib import Path
from tests.robustness.rawclient import RawServer
server = RawServer(cwd=Path({str(workspace)!r}))
Path({str(pid_file)!r}).write_text(str(server.proc.pid))
server.initialize("visual_studio_code", Path({str(workspace)!r}))
server.open(Path({str(workspace / "noisy.md")!r}).as_uri(),
            "the old frobber and the guest clustr. " * 20000)
print("opened", flush=True)
time.sleep(60)
"""
    client = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert client.stdout is not None
    assert client.stdout.readline() == b"opened\n"
    server_pid = int(pid_file.read_text())
    client.kill()
    client.wait()
    deadline = time.monotonic() + EXIT_WITHIN
    while time.monotonic() < deadline and process_running(server_pid):
        time.sleep(0.05)
    assert not process_running(server_pid), "the server outlived its client"


def process_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.parametrize("length", [10**9, 10**12, 10**30])
def test_absurd_content_length_allocates_nothing(fresh: RawServer, workspace: Path,
                                                 length: int) -> None:
    """pygls would allocate the whole length at once (10**12: MemoryError, the server dies).
    Now the server discards what arrives in 1 MiB chunks and stays small; the client, which
    will never send a terabyte, can only close the connection, and then the server exits."""
    fresh.initialize("visual_studio_code", workspace)
    before = fresh.rss_kb()
    fresh.send_bytes(b"Content-Length: %d\r\n\r\n" % length + b"x" * 5_000_000)
    fresh.notify("harvester/nope")  # swallowed by the frame
    time.sleep(0.5)
    assert fresh.alive()
    grown_mb = (fresh.rss_kb("VmHWM") - before) / 1024
    assert grown_mb < 20, f"peak RSS grew {grown_mb:.0f} MB"
    started = time.monotonic()
    fresh.stdin.close()
    assert fresh.proc.wait(EXIT_WITHIN) == 1
    print(f"BOUND: Content-Length {length}: 5 MB sent, peak RSS +{grown_mb:.1f} MB, exit "
          f"{time.monotonic() - started:.2f} s after stdin closed")


def test_configuration_reply_of_the_wrong_shape(fresh: RawServer, workspace: Path) -> None:
    """A client answering workspace/configuration with garbage: defaults, and ready anyway."""
    fresh.replies["workspace/configuration"] = "not a list"
    fresh.replies["client/registerCapability"] = {"unexpected": True}
    fresh.initialize("visual_studio_code", workspace)
    uri = (workspace / "shape.md").as_uri()
    fresh.open(uri, TEXT)
    still_serving(fresh, uri)


def test_sigterm_ends_the_server(fresh: RawServer, workspace: Path) -> None:
    fresh.initialize("emacs", workspace)
    fresh.proc.send_signal(signal.SIGTERM)
    assert fresh.proc.wait(EXIT_WITHIN) is not None
