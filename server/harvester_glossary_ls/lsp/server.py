"""The composition root: builds the language server from its features, and serves it on stdio.

The only module that imports the feature modules. Each feature has a `register(server)` that
adds its handlers; features import the server (`session`) only for its type, and share what
they need through it, so none imports another. All answers come from the engine; the `lsp`
package only converts between it and the protocol.
"""

from __future__ import annotations

import gc
import logging
import sys

from harvester_glossary_ls.lsp import (
    actions,
    codelens,
    completion,
    configuration,
    diagnostics,
    documents,
    hover,
    navigation,
    rename,
)
from harvester_glossary_ls.lsp.pygls_fixes import serve_stdio
from harvester_glossary_ls.lsp.session import GlossaryServer

FEATURES = (configuration, documents, diagnostics, hover, completion, actions, navigation,
            codelens, rename)


def create_server() -> GlossaryServer:
    server = GlossaryServer()
    for feature in FEATURES:
        feature.register(server)
    return server


def serve() -> int:
    """Serve LSP on stdio until the client says exit (or goes away). The exit code is 0 after a
    `shutdown` request, 1 otherwise, as the specification says for `exit`: so also 1, after one
    line on stderr, when no client ever came (stdin closed or empty, `< /dev/null`)."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format="harvester-glossary-ls %(levelname)s: %(message)s")
    server = create_server()
    # The ~54,000 objects the imports made (lsprotocol's classes, attrs' and cattrs' tables) live
    # as long as the process: out of the collector, so that each full collection walks only what
    # the session builds (the index, analyses). The standard advice for a long-lived process.
    gc.freeze()
    serve_stdio(server)
    return 0 if getattr(server.protocol, "_shutdown", False) else 1
