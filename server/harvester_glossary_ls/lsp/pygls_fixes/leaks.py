"""Request bookkeeping that pygls 2.1 leaves behind or trips over.

- pygls files the future of every notification handler (and of the handlers its built-in ones
  yield to) under a fresh uuid in `_request_futures` and never removes it: about 4 kB per
  didOpen/didChange/didClose, 40 MB for 10,000 open/close cycles. No upstream issue found for
  it (the related openlawlibrary/pygls#608 is about `_result_types` of unanswered requests).
- A client's reply to a request of ours that was cancelled while we awaited it makes
  `_handle_response` raise InvalidStateError (openlawlibrary/pygls#621): the reply is ignored.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pygls.protocol import LanguageServerProtocol


class LeakFixes(LanguageServerProtocol):
    """Drops finished handlers' futures and replies to cancelled requests."""

    def _execute_handler(self, msg_id: Any, handler: Any, callback: Any,
                         args: tuple[Any, ...] | None = None,
                         kwargs: dict[str, Any] | None = None) -> None:
        """Each `_request_futures` entry is dropped once its handler is done (requests'
        entries too, harmlessly: pygls pops those itself)."""
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return

        def drop(done: Any) -> None:
            if self._request_futures.get(msg_id) is done:
                del self._request_futures[msg_id]

        # later, on the loop: `shutdown` cancels futures while iterating over the dict
        future.add_done_callback(lambda done: loop.call_soon_threadsafe(drop, done))

    def _handle_response(self, msg_id: Any, result: Any | None = None,
                         error: Any | None = None) -> None:
        future = self._request_futures.get(msg_id)
        if future is not None and future.done():  # cancelled while awaiting the client (#621)
            self._request_futures.pop(msg_id, None)
            return
        super()._handle_response(msg_id, result, error)
