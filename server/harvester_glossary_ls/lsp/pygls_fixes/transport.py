"""The stdin transport: one bounded frame reader over a pipe or, failing that, a thread.

pygls 2.1 reads a frame with `stdin.read(n)` (`pygls.io_.StdinAsyncReader`), which allocates
all `n` bytes up front: a `Content-Length` of 10**12 kills the process; a header line without
an end is read whole; and each header line and body costs a thread hand-off. No upstream issue
found. `BoundedReader` reads header lines up to 64 KiB and bodies up to MAX_MESSAGE_BYTES;
longer ones are read in 1 MiB chunks and discarded (memory stays bounded, the stream stays in
step), and a frame that was skipped is reported to the user (`SkippedFrameReport`). It reads
on the event loop where stdin is a pipe or socket (an LSP client's, half the cost of a small
message) and through the server's thread pool otherwise, e.g. from a file: the limits are the
same code either way.

Start-up manners (issue 11): stdin that is closed, or that ends before the first byte
(`< /dev/null`, an empty file or pipe), ends the process with one line on stderr instead of an
asyncio traceback or a hang: `/dev/null` is a character device, which asyncio accepts as a pipe
and then cannot poll (`PermissionError` in `_add_reader`, logged in a callback, never raised to
us), so pollability is tested up front and anything unpollable is read through a thread. A
terminal on stdin gets one line saying what the program speaks, then it serves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import selectors
import sys
import threading
from typing import Any, BinaryIO, Protocol

from lsprotocol import types as t
from pygls.io_ import StdoutWriter, run_async
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from harvester_glossary_ls.no_client import CHECK_HINT, SPEAKS

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 128 * 1024 * 1024
"""Larger frames are skipped: a 50 MB document still opens (and is then not checked)."""
MAX_HEADER_LINE = 64 * 1024
CHUNK = 1024 * 1024
SKIPPED_KEY = "harvesterGlossary/skippedBytes"
_LONG_HEADER = b"X-Skipped: header line too long\r\n"


class ByteSource(Protocol):
    """Where frames come from: a line (without its end if longer than the limit), exactly
    `size` bytes (fewer at the end of input), or up to `size` bytes (b"" at the end)."""

    async def readline(self, limit: int) -> bytes: ...

    async def readexactly(self, size: int) -> bytes: ...

    async def read(self, size: int) -> bytes: ...


class PipeSource:
    """stdin read on the event loop."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self.stream = stream

    @classmethod
    async def open(cls, pipe: BinaryIO) -> PipeSource:
        """Raises ValueError or OSError where `pipe` is not a pipe or socket."""
        loop = asyncio.get_running_loop()
        stream = asyncio.StreamReader(limit=MAX_HEADER_LINE, loop=loop)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stream), pipe)
        return cls(stream)

    async def readline(self, limit: int) -> bytes:
        """Up to the stream's own limit (MAX_HEADER_LINE) whatever `limit` says."""
        try:
            return await self.stream.readuntil(b"\n")
        except asyncio.IncompleteReadError as error:
            return error.partial  # end of input
        except asyncio.LimitOverrunError as error:  # the start of an endless line
            return await self.stream.readexactly(error.consumed)

    async def readexactly(self, size: int) -> bytes:
        try:
            return await self.stream.readexactly(size)
        except asyncio.IncompleteReadError:
            return b""  # the client went away in the middle: stop serving

    async def read(self, size: int) -> bytes:
        return await self.stream.read(size)


class ThreadSource:
    """stdin read by blocking calls in a thread pool (a regular file cannot be a pipe)."""

    def __init__(self, stream: BinaryIO, executor: Any) -> None:
        self.stream = stream
        self.executor = executor

    async def readline(self, limit: int) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.stream.readline, limit)

    async def readexactly(self, size: int) -> bytes:
        return await self.read(size)

    async def read(self, size: int) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.stream.read, size)


class BoundedReader:
    """pygls' reader interface (`readline`, `readexactly`) with size limits."""

    def __init__(self, source: ByteSource) -> None:
        self.source = source
        self.started = False
        """Whether any byte came: input that ends before one was never from a client."""
        self.ended = False

    async def readline(self) -> bytes:
        line = await self.source.readline(MAX_HEADER_LINE)
        self.started = self.started or bool(line)
        self.ended = not line
        if len(line) >= MAX_HEADER_LINE and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # discard the rest of an endless header
                line = await self.source.readline(CHUNK)
            logger.warning("skipped a header line longer than %d bytes", MAX_HEADER_LINE)
            return _LONG_HEADER if line else b""
        header = line.find(b"Content-Length: ")
        if header > 0:  # the tail of a frame whose Content-Length was wrong: resynchronise
            logger.warning("skipped %d bytes before a header", header)
            return line[header:]
        return line

    async def readexactly(self, size: int) -> bytes:
        if size <= MAX_MESSAGE_BYTES:
            return await self.source.readexactly(size)
        left = size
        while left > 0:
            chunk = await self.source.read(min(left, CHUNK))
            if not chunk:
                return b""  # the client went away in the middle: stop serving
            left -= len(chunk)
        return b'{"%s": %d}' % (SKIPPED_KEY.encode(), size)  # see SkippedFrameReport


class SkippedFrameReport(LanguageServerProtocol):
    """Tells the user about a frame `BoundedReader` skipped (it stands in as a marker)."""

    def handle_message(self, message: Any) -> None:
        if isinstance(message, dict) and isinstance(message.get(SKIPPED_KEY), int):
            text = (f"harvester-glossary-ls skipped a message of {message[SKIPPED_KEY]} bytes "
                    f"(the limit is {MAX_MESSAGE_BYTES}).")
            logger.error(text)
            if self._workspace is not None:  # initialized: the client may be shown messages
                self._server.window_show_message(t.ShowMessageParams(type=t.MessageType.Error,
                                                                     message=text))
            return
        super().handle_message(message)


def _pollable(fd: int) -> bool:
    """Whether the event loop can wait on `fd` (a pipe, socket or terminal; not a regular
    file or /dev/null, which epoll refuses)."""
    with selectors.DefaultSelector() as selector:
        try:
            selector.register(fd, selectors.EVENT_READ)
        except (OSError, ValueError):
            return False
    return True


def _open_stdin() -> BinaryIO | None:
    """stdin's byte stream, or None where there is none (started with stdin closed)."""
    if sys.stdin is None:
        return None
    try:
        os.fstat(sys.stdin.fileno())
    except (OSError, ValueError):
        return None
    return sys.stdin.buffer


def _say(text: str) -> None:
    """One line on stderr, not through logging: what a person at a terminal reads."""
    print(f"harvester-glossary-ls: {text}", file=sys.stderr, flush=True)


def serve_stdio(server: LanguageServer) -> None:
    """pygls' start_io with `BoundedReader` over stdin, until the client says exit or goes."""
    stdin = _open_stdin()
    if stdin is None:
        _say(f"stdin is closed, so no client can talk to it ({SPEAKS}); {CHECK_HINT}")
        return
    if stdin.isatty():
        _say(f"{SPEAKS}, waiting for LSP messages (Ctrl-C quits); {CHECK_HINT}")
    stop = threading.Event()
    server._stop_event = stop
    server.protocol.set_writer(StdoutWriter(sys.stdout.buffer))
    reader = BoundedReader(ThreadSource(stdin, server.thread_pool))

    async def main() -> None:
        if _pollable(stdin.fileno()):
            with contextlib.suppress(ValueError, OSError):  # else keep the thread
                reader.source = await PipeSource.open(stdin)
        await run_async(stop_event=stop, reader=reader, protocol=server.protocol,
                        logger=logger, error_handler=server.report_server_error)

    try:
        asyncio.run(main())
    except BrokenPipeError:
        logger.error("the connection to the client is lost")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()  # type: ignore[no-untyped-call]
    if reader.ended and not reader.started:  # not after Ctrl-C in a terminal
        _say(f"stdin ended before any message ({SPEAKS}); {CHECK_HINT}")
