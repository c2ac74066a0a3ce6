"""Work in chunks over worker processes, as the batch screening and the impact of a rule change
both do: chunking an iterable, a pool fed two chunks per worker at a time, and the peak memory
of a process. Standard library only."""

from __future__ import annotations

import multiprocessing
import resource
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def peak_mb() -> float:
    """This process's peak resident size (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def in_workers(
    work: Callable[[list[T]], R],
    chunks: Iterable[list[T]],
    workers: int,
    start: Callable[..., None],
    start_args: tuple[Any, ...],
) -> Generator[R, None, None]:
    """`work` of each chunk in `workers` processes (each set up by `start(*start_args)`), as
    they finish. The chunks are handed out two per worker at a time, so a region is never read
    ahead into memory; stopped early (Ctrl-C, an error), the workers finish what they have."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # The pool's feeder would read every chunk ahead into its queue: allow two per worker.
    slots = threading.BoundedSemaphore(2 * workers)
    stopping = threading.Event()

    def fed() -> Iterator[list[T]]:
        for chunk in chunks:
            while not slots.acquire(timeout=0.1):
                if stopping.is_set():
                    return
            if stopping.is_set():
                return
            yield chunk

    pool = context.Pool(workers, start, start_args)
    try:
        for result in pool.imap_unordered(work, fed()):
            slots.release()
            yield result
    finally:
        # Not Pool.terminate: it can hang on a chunk half written into the pipe of a worker it
        # has just killed.
        stopping.set()
        pool.close()
        pool.join()
