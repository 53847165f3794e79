"""A small synchronous LSP client over the real server's stdio, writing and reading bytes itself.

pytest-lsp speaks correct JSON-RPC; these tests also need to send broken bytes, time requests
during a notification storm, read the server's RSS and drive the server from hypothesis (which
does not run async tests). A reader thread parses frames into a queue and answers the server's
own requests (workspace/configuration, client/registerCapability, progress creation).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SERVER = [sys.executable, "-m", "harvester_glossary_ls", "--stdio"]

Message = dict[str, Any]


def capabilities(profile: str) -> dict[str, Any]:
    """A real editor's captured client capabilities (pytest-lsp's snapshots), as JSON.

    "neovim+pull" is Neovim 0.11 plus workspace/diagnostic/refresh support (as in
    vscode-languageclient 9): the server then offers pull diagnostics."""
    from pygls.protocol import default_converter
    from pytest_lsp import client_capabilities

    name, _, extra = profile.partition("+")
    make_converter: Any = default_converter  # untyped in pygls
    converter: Any = make_converter()
    caps: dict[str, Any] = converter.unstructure(client_capabilities(name))
    if extra == "pull":
        caps.setdefault("workspace", {})["diagnostics"] = {"refreshSupport": True}
    return caps


def encode(message: Message) -> bytes:
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class ServerGone(Exception):
    pass


class RawServer:
    """The server as a subprocess; every byte to and from it under the test's control."""

    def __init__(self, cwd: Path | None = None, env: dict[str, str] | None = None,
                 args: list[str] | None = None) -> None:
        self.stderr_file = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(args or SERVER, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr_file,
                                     cwd=cwd, env={**os.environ, **(env or {})})
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin = self.proc.stdin
        self.stdout = self.proc.stdout
        self.ids = itertools.count(1)
        self.responses: dict[Any, Message] = {}
        self.notifications: list[Message] = []
        self.null_id_errors: list[Message] = []  # errors about messages without a usable id
        self.server_requests: list[Message] = []
        self.diagnostics: dict[str, Message] = {}
        self.cond = threading.Condition()
        self.closed = False
        self.settings: dict[str, Any] = {}
        self.apply_edit_result = True
        self.hold: set[str] = set()  # server requests by method that the test answers itself
        self.replies: dict[str, Any] = {}  # canned results by method
        self.write_lock = threading.Lock()
        self.reader = threading.Thread(target=self._read_loop, daemon=True)
        self.reader.start()

    # --- transport -----------------------------------------------------------------------------

    def _read_loop(self) -> None:
        stream = self.stdout
        try:
            while True:
                length = None
                while True:
                    line = stream.readline()
                    if not line:
                        raise EOFError
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                assert length is not None, "a frame without Content-Length"
                body = stream.read(length)
                if len(body) < length:
                    raise EOFError
                self._dispatch(json.loads(body))
        except (EOFError, ValueError, OSError):
            pass
        finally:
            with self.cond:
                self.closed = True
                self.cond.notify_all()

    def _dispatch(self, message: Message) -> None:
        if "method" in message and "id" in message:
            self._answer(message)
            with self.cond:
                self.server_requests.append(message)
                self.cond.notify_all()
            return
        with self.cond:
            if "method" in message:
                self.notifications.append(message)
                if message["method"] == "textDocument/publishDiagnostics":
                    self.diagnostics[message["params"]["uri"]] = message["params"]
            elif message.get("id") is None:
                self.null_id_errors.append(message)
            else:
                self.responses[message["id"]] = message
            self.cond.notify_all()

    def _answer(self, request: Message) -> None:
        method = request["method"]
        result: Any = None
        if method in self.hold:
            return
        if method in self.replies:
            result = self.replies[method]
        elif method == "workspace/configuration":
            items = request["params"]["items"]
            result = [self.settings.get(item.get("section") or "", {}) for item in items]
        elif method == "workspace/applyEdit":
            result = {"applied": self.apply_edit_result}
        with contextlib.suppress(OSError, ValueError):
            self.send({"jsonrpc": "2.0", "id": request["id"], "result": result})

    def send_bytes(self, data: bytes) -> None:
        with self.write_lock:
            self.stdin.write(data)
            self.stdin.flush()

    def send(self, message: Message) -> None:
        self.send_bytes(encode(message))

    # --- JSON-RPC ------------------------------------------------------------------------------

    def notify(self, method: str, params: Any = None) -> None:
        message: Message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def request_async(self, method: str, params: Any = None) -> int:
        msg_id = next(self.ids)
        message: Message = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return msg_id

    def response(self, msg_id: Any, timeout: float = 10.0) -> Message:
        deadline = time.monotonic() + timeout
        with self.cond:
            while msg_id not in self.responses:
                if self.closed:
                    raise ServerGone(f"server closed its output; stderr:\n{self.stderr()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no response to {msg_id} within {timeout} s")
                self.cond.wait(left)
            return self.responses.pop(msg_id)

    def request(self, method: str, params: Any = None, timeout: float = 10.0) -> Message:
        """The whole response (result or error)."""
        return self.response(self.request_async(method, params), timeout)

    def result(self, method: str, params: Any = None, timeout: float = 10.0) -> Any:
        response = self.request(method, params, timeout)
        assert "error" not in response, response
        return response.get("result")

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    return predicate()
                self.cond.wait(min(left, 0.05))
            return True

    def messages(self, method: str = "window/showMessage") -> list[Message]:
        with self.cond:
            return [n["params"] for n in self.notifications if n["method"] == method]

    # --- LSP session ---------------------------------------------------------------------------

    def initialize(self, profile: str, root: Path | None,
                   init_options: dict[str, Any] | None = None,
                   settings: dict[str, Any] | None = None) -> Message:
        self.profile = profile
        self.settings = {"harvesterGlossary": settings or {}}
        params: dict[str, Any] = {
            "processId": os.getpid(),
            "capabilities": capabilities(profile),
            "initializationOptions": {"debounceMs": 0, **(init_options or {})},
        }
        if root is not None:
            params["rootUri"] = root.as_uri()
            params["workspaceFolders"] = [{"uri": root.as_uri(), "name": root.name}]
        result = self.result("initialize", params, timeout=30)
        self.encoding = result["capabilities"].get("positionEncoding", "utf-16")
        self.pull_mode = "diagnosticProvider" in result["capabilities"]
        self.notify("initialized", {})
        self.ready()
        return result  # type: ignore[no-any-return]

    def ready(self) -> None:
        """A round trip through a handler that awaits the server's ready signal."""
        self.hover("file:///nonexistent/ready.md", 0, 0, timeout=30)

    def pulls(self) -> bool:
        """Whether the server offered this client pull diagnostics (else it pushes)."""
        return bool(self.pull_mode)

    def open(self, uri: str, text: str, language: str = "markdown", version: int = 1) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language, "version": version, "text": text}})

    def close_document(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def hover(self, uri: str, line: int, character: int, timeout: float = 10.0) -> Any:
        return self.result("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": line,
                                                               "character": character}},
                           timeout)

    def current_diagnostics(self, uri: str, version: int | None = None,
                            timeout: float = 10.0) -> list[dict[str, Any]]:
        """Pulled, or the last push for `version` (waits for it)."""
        if self.pulls():
            report = self.result("textDocument/diagnostic", {"textDocument": {"uri": uri}},
                                 timeout)
            return list(report["items"])

        def arrived() -> bool:
            got = self.diagnostics.get(uri)
            return got is not None and (version is None or got.get("version") == version)

        assert self.wait_for(arrived, timeout), f"no diagnostics for {uri} v{version}"
        with self.cond:
            return list(self.diagnostics[uri]["diagnostics"])

    # --- process -------------------------------------------------------------------------------

    def rss_kb(self, field: str = "VmRSS") -> int:
        """VmRSS (now) or VmHWM (peak) of the server process, in kB."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise KeyError(field)

    def stderr(self) -> str:
        self.stderr_file.seek(0)
        return self.stderr_file.read().decode("utf-8", "replace")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def shutdown(self, timeout: float = 10.0) -> int | None:
        """shutdown + exit; the exit code (None if it had to be killed)."""
        with contextlib.suppress(Exception):
            if self.alive():
                self.request("shutdown", timeout=timeout)
                self.notify("exit")
        return self.stop(timeout)

    def stop(self, timeout: float = 10.0) -> int | None:
        with contextlib.suppress(OSError):
            self.stdin.close()
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None
        finally:
            self.stdout.close()
            self.stderr_file.close()
