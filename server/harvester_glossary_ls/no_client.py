"""What the server says when no client is on stdin, and the cheap checks that tell so early.

`harvester-glossary-ls < /dev/null` (a CI smoke test) must end within a second with one line.
Importing the LSP libraries alone takes about half a second, so the CLI asks `stdin_without_client`
before it imports them; the transport (lsp/pygls_fixes/transport.py) says the same words when
stdin turns out empty later (an empty pipe cannot be told apart without reading it).
"""

from __future__ import annotations

import os
import stat
import sys

SPEAKS = "a language server speaking LSP on stdio, for editors to start"
CHECK_HINT = "to check files run `harvester-glossary-ls check --help`"


def stdin_without_client() -> str | None:
    """Why no client can be on stdin (closed, /dev/null, an empty regular file), decided
    without reading from it; None when a client may be there."""
    if sys.stdin is None:
        return f"stdin is closed, so no client can talk to it ({SPEAKS}); {CHECK_HINT}"
    try:
        info = os.fstat(sys.stdin.fileno())
        null = os.stat(os.devnull)
    except (OSError, ValueError):
        return f"stdin is closed, so no client can talk to it ({SPEAKS}); {CHECK_HINT}"
    empty_file = stat.S_ISREG(info.st_mode) and info.st_size == 0
    if empty_file or os.path.samestat(info, null):
        return f"stdin ended before any message ({SPEAKS}); {CHECK_HINT}"
    return None
