"""JSON-RPC 2.0 and LSP lifecycle conformance: every request gets an answer.

pygls 2.1 drops a request whose params do not match the method's types, or that arrives after
`shutdown`, without answering, so the client waits forever (openlawlibrary/pygls#326 asks to
be less strict about such params; no issue found about the missing answer); answers requests
sent before `initialize` with an InternalError traceback instead of ServerNotInitialized, and
reports bytes that are not JSON as a server error (no upstream issue found for either). Here:

- InvalidParams (-32602) to a request whose params cannot be read, MethodNotFound (-32601) to
  an unknown method, InvalidRequest (-32600) to a message that is not a JSON-RPC 2.0 request,
  ParseError (-32700, id null) for bytes that are not JSON, ServerNotInitialized (-32002)
  before `initialize`, InvalidRequest after `shutdown` or for a second `initialize`;
  notifications in those states are dropped (logged), `exit` always works;
- a reply the server cannot read fails the request the server is awaiting instead of leaving
  it pending.
"""

from __future__ import annotations

import logging
from typing import Any

from lsprotocol import types as t
from pygls.exceptions import JsonRpcException
from pygls.protocol import LanguageServerProtocol

logger = logging.getLogger(__name__)

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
METHOD_NOT_FOUND = -32601
SERVER_NOT_INITIALIZED = -32002


class _Rejected:
    """A message that could not be structured and has already been answered or logged."""


REJECTED = _Rejected()


def _valid_id(value: object) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool)


class JsonRpcConformance(LanguageServerProtocol):
    """Answers every request, whatever the client sends."""

    _initialize_seen = False

    def send_error(self, msg_id: object, code: int, message: str) -> None:
        """An error response; `msg_id` None gives `"id": null` (the JSON-RPC rule)."""
        self._send_data({"jsonrpc": "2.0", "id": msg_id if _valid_id(msg_id) else None,
                         "error": {"code": code, "message": message}})

    def answer_parse_error(self, error: Exception, source: type[Exception]) -> bool:
        """Bytes that are not JSON get a ParseError (id null), not a pop-up in the editor;
        False for any other server error (pygls reports those)."""
        if source is JsonRpcException and isinstance(error, (ValueError, RecursionError)):
            logger.warning("parse error: %s", error)
            self.send_error(None, PARSE_ERROR, f"parse error: {error}")
            return True
        return False

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except Exception:  # pygls has logged the details
            pass
        msg_id = data.get("id")
        method = data.get("method")
        if "method" in data and "id" in data:
            if isinstance(method, str) and not self._known(method):
                self.send_error(msg_id, METHOD_NOT_FOUND, f"method not found: {method}")
            elif isinstance(method, str):
                self.send_error(msg_id, INVALID_PARAMS, f"invalid params for {method}")
            else:
                self.send_error(msg_id, INVALID_REQUEST, "'method' must be a string")
        elif "id" in data:  # a reply to one of our requests that we cannot read
            self._fail_pending(msg_id, "the client's reply could not be read")
        else:
            logger.warning("dropped notification %r: its params could not be read", method)
        return REJECTED

    def _known(self, method: str) -> bool:
        return method in self.fm.features or method in self.fm.builtin_features

    def _fail_pending(self, msg_id: object, message: str) -> None:
        future = (self._request_futures.pop(msg_id, None)
                  if isinstance(msg_id, (int, str)) else None)
        if future is not None and not future.done():
            future.set_exception(JsonRpcException(message=message))

    def handle_message(self, message: Any) -> None:
        if message is REJECTED:
            return
        if getattr(message, "jsonrpc", None) != "2.0":
            self._reject_non_jsonrpc(message)
        elif self._admitted(message):
            super().handle_message(message)

    def _reject_non_jsonrpc(self, message: Any) -> None:
        """A reply fails the request it answers; a request gets InvalidRequest."""
        def get(key: str) -> Any:
            if isinstance(message, dict):
                return message.get(key)
            return getattr(message, key, None)

        msg_id = get("id")
        if msg_id is not None and get("method") is None:
            self._fail_pending(msg_id, "the client's reply is not JSON-RPC 2.0")
        elif msg_id is not None or not isinstance(message, dict):
            self.send_error(msg_id, INVALID_REQUEST, "not a JSON-RPC 2.0 request")
        logger.warning("dropped a message that is not JSON-RPC 2.0: %.200r", message)

    def _admitted(self, message: Any) -> bool:
        """Whether the lifecycle lets this message through (replies and `exit` always pass);
        a request that may not pass is answered with the reason."""
        method = getattr(message, "method", None)
        if method is None or method == t.EXIT:
            return True
        is_request = _valid_id(getattr(message, "id", None))
        if method == t.INITIALIZE:
            if self._initialize_seen:
                self.send_error(message.id, INVALID_REQUEST, "initialize was already sent")
                return False
            self._initialize_seen = True
        elif not self._initialize_seen:
            if is_request:
                self.send_error(message.id, SERVER_NOT_INITIALIZED,
                                "the server has not been initialized")
            return False
        if self._shutdown:
            if is_request:
                self.send_error(message.id, INVALID_REQUEST, "the server is shutting down")
            return False
        return True
