"""Worker processes for a big `check`: the documents are shared out among forked copies of the
process. Where the documents fall into several glossaries (a versioned site: one per version
tree) and those split about evenly, each process takes whole glossaries and compiles only its
own (`by_group`); otherwise the parent compiles every glossary before forking, which copies them
for free, and the documents are dealt in turn (`round_robin`). Spawning instead of forking would
compile each glossary again in each worker, which costs more than it saves.

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
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar, cast

Item = TypeVar("Item")
Result = TypeVar("Result")
Share = Sequence[int]
"""The indexes of the items one process does."""

BALANCE = 1.25
"""How much bigger than an even share a process's share may be when groups are kept whole."""
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


def round_robin(count: int, processes: int) -> list[Share]:
    """Items dealt in turn, so that a folder of big pages is shared too."""
    return [range(first, count, processes) for first in range(processes)]


def by_group(groups: Sequence[Hashable], processes: int) -> list[Share] | None:
    """Shares that keep the items of one group (a glossary: each process then compiles only its
    own) together, biggest group first to the least loaded process; None when no such split is
    within BALANCE of an even one."""
    members: dict[Hashable, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    shares: list[list[int]] = [[] for _ in range(processes)]
    for indexes in sorted(members.values(), key=len, reverse=True):
        min(shares, key=len).extend(indexes)
    if max(map(len, shares)) > BALANCE * len(groups) / processes:
        return None
    return [sorted(share) for share in shares]


def map_forked(work: Callable[[Item], Result], items: Sequence[Item],
               shares: Sequence[Share]) -> list[Result]:
    """[work(item) for item in items], each share of the indexes done by one process (the first
    by this one); results must be JSON values (tuples come back as lists)."""
    if len(shares) <= 1 or len(items) < 2:
        return [work(item) for item in items]
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
          share: Share) -> tuple[int, int]:
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
