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
PR_SET_PDEATHSIG = 1  # Linux prctl(2)


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
    as it would have raised in this process: a KitError with its message (also a database
    error, kit.stored), anything else with the child's traceback. Where no child can be
    started (no fork, no process or file left), the parts run here."""
    if not forked or len(parts) < 2 or cores() < 2:
        return here(), [part() for part in parts]
    children: list[tuple[int, int]] = []
    try:
        for part in parts[1:]:
            child = _fork(part, in_child)
            if child is None:  # the system would not start another process: the rest here
                break
            children.append(child)
        later = 1 + len(children)  # parts[1:later] run in the children
        mine = here()
        first, rest = parts[0](), [part() for part in parts[later:]]
        answers = []
        while children:
            answers.append(_result(*children.pop(0)))
        return mine, [first, *answers, *rest]
    finally:
        for pid, pipe in children:  # not read: this process failed or was stopped meanwhile
            os.close(pipe)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)


def _fork(part: Callable[[], Any], in_child: Callable[[], None]) -> tuple[int, int] | None:
    """A child running `part`: its pid and the pipe its answer comes through (None: the system
    would not start one). The child never returns from here: Ctrl-C is blocked across the fork
    and ignored in the child (the parent stops it), and whatever happens it ends in os._exit."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        os.close(read_end)
        os.close(write_end)
        return None
    if pid:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        os.close(write_end)
        return pid, read_end
    status = 1
    try:
        parent = os.getppid()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        _end_with(parent)
        os.close(read_end)
        try:
            in_child()
            answer = pickle.dumps(("ok", part()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # sent to the parent, which raises it
            answer = pickle.dumps(_failure(exc))
        with os.fdopen(write_end, "wb") as stream:
            stream.write(answer)
        status = 0
    finally:
        os._exit(status)


def _end_with(parent: int) -> None:
    """A child ends when its parent does, also when the parent is killed (SIGTERM from a
    service manager) and cannot stop it: Linux's parent-death signal; elsewhere the parent's
    own clean-up is all there is."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(1)


def _failure(exc: BaseException) -> tuple[str, str]:
    """What the parent raises for a part that failed: a user's error or a database error as
    its Dutch line (kit.stored.database_trouble, as the command line's last resort gives it),
    a bug with its traceback."""
    if isinstance(exc, KitError):
        return "kit", exc.message
    from kit.stored import database_trouble

    trouble = database_trouble(exc)
    if trouble is not None:
        return "kit", trouble
    return "bug", "".join(traceback.format_exception(exc))


def _result(pid: int, pipe: int) -> Any:
    """A child's answer, once it has ended; a child that did not end normally (killed, out of
    memory) gave none, whatever it wrote."""
    try:
        with os.fdopen(pipe, "rb") as stream:
            answer = stream.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0) or not answer:
        raise RuntimeError(f"a forked part ended without an answer (wait status {status})")
    kind, value = pickle.loads(answer)
    if kind == "ok":
        return value
    if kind == "kit":
        raise KitError(value)
    raise RuntimeError(f"a forked part failed:\n{value}")
