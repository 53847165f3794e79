"""Results serialised by the handler: a large answer is sent as the JSON text it already is.

pygls 2.1 serialises every result on every response: `_send_data` runs
`json.dumps(response, default=self._serialize_message)`, which unstructures the whole result
through cattrs (a dict per object) and then encodes it. For a references answer of 5,400
locations (880 KB of JSON) that was about 30 ms per request in the server (cattrs 7 ms, the
rest json.dumps), and the dicts cattrs makes for it, alive until json.dumps is done, pushed the
collector into full collections of the server's heap (the workspace index): 70-240 ms pauses,
the p99 of the workspace benchmark (tests/benchmarks/bench_workspace.py).
No upstream issue found (openlawlibrary/pygls#120 only removed a second encoding of the body).

A handler that returns `PreparedResult(text)` has `text` sent as the response's `result`
verbatim: the handler guarantees it is the JSON the result would have serialised to (see
`lsp/reference_answers.py`, whose test compares it with pygls' own serialisation). Every other
result, and every error, takes pygls' path.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from dataclasses import dataclass
from typing import Any

from pygls.exceptions import JsonRpcInternalError
from pygls.protocol import LanguageServerProtocol

logger = logging.getLogger(__name__)
_writing: set[asyncio.Future[Any]] = set()


@dataclass(frozen=True, slots=True)
class PreparedResult:
    """A request's result as JSON text (what `json.dumps` of the unstructured result gives)."""

    text: str


def response_body(msg_id: Any, result: PreparedResult) -> bytes:
    """The JSON-RPC response carrying `result`; ASCII whenever `result.text` is (json.dumps
    escapes everything else by default), as pygls' own bodies are."""
    return f'{{"id": {json.dumps(msg_id)}, "jsonrpc": "2.0", "result": {result.text}}}'.encode()


class PreparedResults(LanguageServerProtocol):
    """Sends a `PreparedResult` without unstructuring or re-encoding it."""

    def _send_response(self, msg_id: Any, result: Any | None = None,
                       error: Any | None = None) -> None:
        if error is None and isinstance(result, PreparedResult):
            self._result_types.pop(msg_id, None)  # as pygls does when it answers
            self._send_body(response_body(msg_id, result))
            return
        super()._send_response(msg_id, result, error)

    def _send_body(self, body: bytes) -> None:
        """pygls' `_send_data` from the JSON encoding on: the same headers, writer and error
        handling."""
        if self.writer is None:
            logger.error("Unable to send data, no available transport!")
            return
        try:
            data = body
            if self._include_headers:
                header = (f"Content-Length: {len(body)}\r\n"
                          f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n")
                data = header.encode("ascii") + body
            written = self.writer.write(data)
            if inspect.isawaitable(written):  # an async writer (not stdio): keep its task
                task = asyncio.ensure_future(written)
                _writing.add(task)
                task.add_done_callback(_writing.discard)
        except BrokenPipeError:
            logger.exception("Error sending data. BrokenPipeError", exc_info=True)
            raise
        except Exception as error:
            logger.exception("Error sending data", exc_info=True)
            self._server._report_server_error(error, JsonRpcInternalError)
