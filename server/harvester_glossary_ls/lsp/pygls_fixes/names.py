"""Every private pygls name the fixes in this package rely on, in one place.

pygls is pinned to the minor version these were written against (pyproject.toml);
tests/lsp/test_pygls_private_names.py fails when any of them disappears, before a user sees it.
"""

from __future__ import annotations

PRIVATE_NAMES: dict[str, tuple[str, ...]] = {
    # owner (module:class, or module) -> names read, called or overridden there
    "pygls.protocol:LanguageServerProtocol": (
        "_send_data",  # jsonrpc: error responses with "id": null
        "_send_response",  # prepared: results already serialised
        "_result_types",  # prepared: popped when answering, as pygls does
        "_include_headers",  # prepared: framing as _send_data frames
        "_request_futures",  # jsonrpc, leaks: pending requests and handler futures
        "_execute_handler",  # leaks: drop each handler's future when done
        "_handle_response",  # leaks: ignore replies to cancelled requests (#621)
        "_shutdown",  # jsonrpc: refuse requests after shutdown; server: the exit code
        "_server",  # transport: show a message about a skipped frame; prepared: report errors
        "_workspace",  # document: install LspWorkspace; transport: initialized yet?
    ),
    "pygls.workspace:Workspace": (
        "_create_text_document",  # document: the document factory
        "_sync_kind",
        "_position_codec",
    ),
    "pygls.workspace:TextDocument": (
        "_apply_incremental_change",  # document: cheap incremental edits
        "_source",
        "_position_codec",
    ),
    "pygls.lsp.server:LanguageServer": (
        "_stop_event",  # transport: serve_stdio replaces start_io
        "_report_server_error",  # prepared: a failed write, as _send_data reports it
    ),
}
