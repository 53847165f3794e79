"""Worker processes for a big `check`: the documents are shared out among forked copies of the
process, which already holds every compiled glossary (forking copies it for free; spawning would
compile each glossary again in each worker, which costs more than it saves).

Written by hand rather than with multiprocessing.Pool: a pool's start-up, task queue and result
thread cost more than a whole check of a 200-page site, and a fork per share with one pipe back
is all that is needed. Only where fork is safe: Linux, and a process with no other thread
running (the CLI; not a test calling `main()` beside a server thread). A worker that fails for
any reason has its share done again by the parent, so a result never goes missing.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_SHARE = 40
"""Files per process below which forking costs more than it saves (measured on the shared
corpora: a fork and its pipe cost about as much as checking 10-20 pages)."""


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def processes_for(count: int, jobs: int) -> int:
    """How many processes share `count` files: `jobs` when given (0: as many as there are
    CPUs), never more than gives each one MIN_SHARE files, 1 where forking is not safe."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return 1
    wanted = jobs if jobs > 0 else available_cpus()
    return max(1, min(wanted, count // MIN_SHARE))


def map_forked(work: Callable[[Item], Result], items: Sequence[Item],
               processes: int) -> list[Result]:
    """[work(item) for item in items], shared among `processes` processes (this one included);
    results must be JSON values (tuples come back as lists). Items are dealt round-robin, so a
    folder of big pages is shared too."""
    if processes <= 1 or len(items) < 2:
        return [work(item) for item in items]
    shares = [range(first, len(items), processes) for first in range(processes)]
    gc.freeze()  # a collection in a worker would otherwise touch, and so copy, every page
    try:
        children = [(_fork(work, items, share), share) for share in shares[1:]]
    finally:
        gc.unfreeze()
    results: dict[int, Result] = {index: work(items[index]) for index in shares[0]}
    for (pid, read_end), share in children:
        values = _collect(pid, read_end, len(share))
        if values is None:  # the worker failed: do its share here
            values = [work(items[index]) for index in share]
        results.update(zip(share, cast("list[Result]", values), strict=True))
    return [results[index] for index in range(len(items))]


def _fork(work: Callable[[Item], Result], items: Sequence[Item],
          share: range) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: never returns
        status = 1
        try:
            os.close(read_end)
            data = json.dumps([work(items[index]) for index in share]).encode("utf-8")
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)  # no atexit handlers, no flush of the parent's stdio buffers
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, read_end: int, expected: int) -> list[object] | None:
    """A worker's results, or None when it did not deliver all of them."""
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        values = json.loads(data)  # JSON even from our own fork: nothing loaded can run code
    except ValueError:
        return None
    return values if isinstance(values, list) and len(values) == expected else None
