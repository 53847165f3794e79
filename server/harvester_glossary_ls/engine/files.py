"""The one way the engine reads a file: regular files only, a size limit, NUL and UTF-8 checks.

Documents, glossaries, configs, Hugo term pages and the pages a glossary links to all come from
disk trees anyone can write, so every read goes through `read_text_file`: a FIFO would block it
forever, /dev/zero never end, a binary or non-UTF-8 file is not text we can check.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MAX_DOCUMENT_BYTES = 5_000_000
"""Larger files are skipped with a message: real docs pages are under 40 kB."""

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
"""O_NONBLOCK: opening a FIFO that replaced the file since we looked must not block either."""


FileStamp = tuple[str, int, int]
"""(absolute path, st_mtime_ns, st_size) of a file as it was read; (path, -1, -1) when it could
not be opened. What `check --cache` compares to know that a glossary source is unchanged."""

_reads: list[FileStamp] | None = None
"""The stamps of every file read while `recording_reads` is active (None: not recording)."""


@contextmanager
def recording_reads() -> Iterator[list[FileStamp]]:
    """Collect a stamp of every file the engine reads inside the block, and of the folder each
    one is in (a folder's mtime changes when a file appears in it or leaves it, which is how a
    new term page or a new glossary page is noticed). Not re-entrant; the CLI uses it around
    loading a project and compiling a glossary."""
    global _reads
    outer, _reads = _reads, []
    try:
        yield _reads
    finally:
        _reads = outer


def stamp_of(path: str) -> FileStamp:
    """The current stamp of a file or folder (`os.stat`, following links)."""
    try:
        info = os.stat(path)
    except OSError:
        return (path, -1, -1)
    return (path, info.st_mtime_ns, info.st_size)


def _record(path: Path, info: os.stat_result | None) -> None:
    if _reads is None:
        return
    absolute = os.path.abspath(path)
    _reads.append((absolute, info.st_mtime_ns, info.st_size) if info else (absolute, -1, -1))
    _reads.append(stamp_of(os.path.dirname(absolute)))


class UnreadableFile(Exception):
    """A file that cannot be read as text, with a message meant for the user.

    `str(error)` is "skipped: <reason>" or "cannot read: <reason>"; `reason` alone lets a caller
    say what the file was ("cannot read glossary: ..."); `line` is where an invalid byte is.
    """

    def __init__(self, reason: str, *, skipped: bool = True, line: int = 0) -> None:
        super().__init__(f"{'skipped' if skipped else 'cannot read'}: {reason}")
        self.reason = reason
        self.line = line


def _os_error(error: OSError) -> UnreadableFile:
    return UnreadableFile(str(error.strerror or error), skipped=False)


def _too_large(size: int, limit: int) -> str:
    return f"{size} bytes is over the {limit} byte limit (files larger than that are skipped)"


def _read_bytes(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of a regular file, checked on the open descriptor (no race)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        _record(path, None)
        raise _os_error(error) from None
    try:
        info = os.fstat(fd)
        _record(path, info)
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read forever
            raise UnreadableFile("not a regular file")
        if info.st_size > limit:
            raise UnreadableFile(_too_large(info.st_size, limit))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise _os_error(error) from None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew since fstat
        raise UnreadableFile(_too_large(len(data), limit))
    return data


def read_text_file(path: Path, limit: int = MAX_DOCUMENT_BYTES) -> str:
    """The UTF-8 text of a regular file (a BOM dropped), or UnreadableFile saying why not."""
    data = _read_bytes(path, limit)
    if b"\x00" in data:
        raise UnreadableFile("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"not UTF-8 (invalid byte at offset {error.start})",
                             line=data.count(b"\n", 0, error.start)) from None


read_document = read_text_file
"""The name the CLI and the server use for reading a document to check."""


def read_bytes(path: Path, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The raw bytes of a regular file, with the same checks as `read_text_file` (`--fix`
    re-reads a file before writing, to keep its BOM and to see that it did not change)."""
    return _read_bytes(path, limit)


def write_atomically(path: Path, content: str | bytes) -> None:
    """Replace a file's content (text as UTF-8, or exact bytes) through a temporary file and a
    rename, keeping its mode (a new file gets the usual 0o666 less the umask): a run that stops
    halfway, or two at once, never leave half a file."""
    import tempfile  # only `--fix`, config edits and `check --cache` write

    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
