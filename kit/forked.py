"""Parts of one command's work, side by side in forked processes: a region's central list makes
its hundred thousand open findings in parts, one per core, while this process makes the rest.

A forked child starts with everything the command has already read, so a part costs no more
there than here. It sends its result back pickled through a pipe and ends at once, without the
parent's exit handlers or buffered output. Without fork (Windows), or with one core, the parts
run here one after another: the same results in the same order.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from kit.errors import KitError

T = TypeVar("T")
U = TypeVar("U")

MAX_PARTS = 4  # a list's parts; more cores than this gain nothing measurable


def cores() -> int:
    """The cores this process may run on: how many parts are worth making (1: work here)."""
    if not hasattr(os, "fork"):
        return 1
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(available or 1, MAX_PARTS))


def side_by_side(
    parts: Sequence[Callable[[], T]],
    here: Callable[[], U],
    forked: bool,
    in_child: Callable[[], None] = lambda: None,
) -> tuple[U, list[T]]:
    """`here()` and each part's result. `forked`: every part but the first runs in a child of
    its own, which first calls `in_child` (to leave the parent's database connections alone);
    meanwhile this process runs `here` and then the first part. A part that fails raises here
    as it would have raised in this process: a KitError with its message, anything else with
    the child's traceback."""
    if not forked or len(parts) < 2 or cores() < 2:
        mine = here()
        return mine, [part() for part in parts]
    children: list[tuple[int, int]] = []
    try:
        for part in parts[1:]:
            children.append(_fork(part, in_child))
        mine = here()
        results = [parts[0]()]
        while children:
            results.append(_result(*children.pop(0)))
        return mine, results
    finally:
        for pid, pipe in children:  # not read: this process failed or was stopped meanwhile
            os.close(pipe)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)


def _fork(part: Callable[[], Any], in_child: Callable[[], None]) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)  # the child: from here on it never returns
    try:
        in_child()
        answer = pickle.dumps(("ok", part()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # sent to the parent, which raises it
        answer = pickle.dumps(_failure(exc))
    try:
        with os.fdopen(write_end, "wb") as stream:
            stream.write(answer)
    finally:
        os._exit(0)


def _failure(exc: BaseException) -> tuple[str, str]:
    """What the parent raises for a part that failed: a user's error as its Dutch line (also a
    value the database layer could not read, kit.stored), a bug with its traceback."""
    if isinstance(exc, KitError):
        return "kit", exc.message
    from kit.stored import unreadable_value

    damaged = unreadable_value(exc, exc.__traceback__)
    if damaged is not None:
        return "kit", damaged
    return "bug", "".join(traceback.format_exception(exc))


def _result(pid: int, pipe: int) -> Any:
    """A child's answer, once it has ended."""
    try:
        with os.fdopen(pipe, "rb") as stream:
            answer = stream.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if not answer:
        raise RuntimeError(f"a forked part ended without an answer (wait status {status})")
    kind, value = pickle.loads(answer)
    if kind == "ok":
        return value
    if kind == "kit":
        raise KitError(value)
    raise RuntimeError(f"a forked part failed:\n{value}")
