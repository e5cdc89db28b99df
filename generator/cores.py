"""How many worker processes to use: one per usable core, or what PORTAL_WORKERS says."""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def worker_count(items: int, worthwhile_from: int) -> int:
    """Workers for `items` pieces of work that repay parallel workers from `worthwhile_from` on.

    `PORTAL_WORKERS=N` sets the count whatever the size (1 keeps everything in one process).
    Workers are forked, so only on Linux: elsewhere forking a process that has loaded
    native libraries is not safe.
    """
    if not sys.platform.startswith("linux"):
        return 1
    configured = os.environ.get("PORTAL_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        return min(int(configured), max(items, 1))
    if items < worthwhile_from:
        return 1
    return len(os.sched_getaffinity(0))


def forked_map(function: Callable[[T], R], items: Sequence[T], workers: int, chunksize: int = 64) -> list[R]:
    """`function` over `items` in `workers` forked processes, results in order.

    The workers inherit `function` (a closure or partial is fine) and everything it holds
    by forking, so nothing but the items and results is pickled.
    """
    global _FUNCTION
    if workers <= 1:
        return [function(item) for item in items]
    _FUNCTION = function
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_call, items, chunksize=max(1, chunksize)))
    finally:
        _FUNCTION = None


_FUNCTION: Callable[[Any], Any] | None = None


def _call(item: Any) -> Any:
    assert _FUNCTION is not None  # set before the workers were forked
    return _FUNCTION(item)
