"""Reading documents from disk with the limits every caller needs: size, binary, encoding."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

MAX_DOCUMENT_BYTES = 5_000_000
"""Larger files are skipped with a message: real docs pages are under 40 kB."""


class UnreadableFile(Exception):
    """A file that cannot be checked, with a message meant for the user."""


def read_document(path: Path) -> str:
    """The text of a document, or UnreadableFile saying why it is skipped."""
    try:
        info = path.stat()
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read forever, /dev/zero never end
        raise UnreadableFile("skipped: not a regular file")
    size = info.st_size
    if size > MAX_DOCUMENT_BYTES:
        raise UnreadableFile(f"skipped: {size} bytes is over the {MAX_DOCUMENT_BYTES} byte limit")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from None
    if b"\x00" in data[:8192]:
        raise UnreadableFile("skipped: binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"skipped: not UTF-8 (invalid byte at offset {error.start})") from None


def write_atomically(path: Path, text: str) -> None:
    """Replace a file's content through a temporary file and a rename, keeping its mode."""
    mode = path.stat().st_mode & 0o7777
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
