"""Limits that keep the logged-in working while others flood the server: password checks,
exports and letters each run in a small pool of their own, and whatever finds its pool full is
answered at once with a Dutch 429 (with Retry-After) instead of queueing for the threads the
pages need.

Why their own threads: argon2 takes 64 MiB and most of a core per check, an xlsx export or a
Word letter hundreds of megabytes at its peak. Run on the framework's shared pool of forty
threads, a flood of them made every page wait, and Word letters rendered on ever other threads
left memory behind that was never returned (measured: 160 MB flat over 1,200 letters on two
threads, 380 MB and growing on forty threads taking turns). A pool of a few threads bounds both.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Annotated, ParamSpec, TypeVar

from fastapi import Depends
from fastapi.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from kit.services.accounts import Login
from kit.web.auth import COOKIE, current_login

P = ParamSpec("P")
T = TypeVar("T")
RETRY_AFTER = 5  # seconds a refused client is asked to wait


class TooBusy(Exception):
    """A pool is full: the Dutch 429 page (kit.web.app), with Retry-After."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Pool:
    """At most `at_once` jobs of one kind running, at most `per_user` of them for one account,
    and `waiting` more admitted to wait their turn; beyond that: TooBusy. The jobs run on the
    pool's own threads."""

    what: str  # Dutch, for the message: "exports", "brieven", "aanmeldingen"
    at_once: int
    per_user: int
    waiting: int = 0
    nice: int = 0  # how much lower than the pages the pool's threads run (Linux: 0-19)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _busy: Counter[str] = field(default_factory=Counter, repr=False)
    _threads: ThreadPoolExecutor | None = field(default=None, repr=False)

    @property
    def admitted(self) -> int:
        """Jobs running or waiting now."""
        return self._busy.total()

    def _admit(self, who: str) -> None:
        with self._lock:
            if self._busy.total() >= self.at_once + self.waiting:
                raise TooBusy(
                    f"Het is nu te druk voor {self.what}; probeer het over {RETRY_AFTER} "
                    "seconden opnieuw."
                )
            if who and self._busy[who] >= self.per_user:
                raise TooBusy(
                    f"U heeft al {self.per_user} {self.what} tegelijk lopen; wacht tot die klaar "
                    f"zijn en probeer het dan opnieuw."
                )
            self._busy[who] += 1

    def _leave(self, who: str) -> None:
        with self._lock:
            self._busy[who] -= 1
            if self._busy[who] <= 0:
                del self._busy[who]

    def slot(self, who: str) -> Iterator[None]:
        """A place in this pool for `who` (an account name; '' for anyone) while it lasts."""
        self._admit(who)
        try:
            yield
        finally:
            self._leave(who)

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._threads is None:
                prefix = f"kit-{self.what}"
                self._threads = ThreadPoolExecutor(
                    self.at_once, thread_name_prefix=prefix, initializer=self._lower_priority
                )
            return self._threads

    def _lower_priority(self) -> None:
        """Run this thread, and the threads it starts (argon2 computes its lanes on threads of
        its own), below the pages: Linux keeps a priority per thread, inherited by new ones. A
        flood of password checks then takes only the CPU the pages leave."""
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), self.nice)
        except (AttributeError, OSError):  # not Linux, or not allowed: the pool still bounds
            pass

    def run(self, job: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `job` on this pool's threads and wait for it (from a route's own thread: the
        slot the route holds keeps the pool from queueing more than it admitted)."""
        return self._executor().submit(job, *args, **kwargs).result()

    async def run_async(self, who: str, job: Callable[[], T]) -> T:
        """Admit `who`, then run `job` on this pool's threads; the request waits in the event
        loop, holding none of the framework's threads (for routes that are async)."""
        self._admit(who)
        try:
            return await asyncio.wrap_future(self._executor().submit(job))
        finally:
            self._leave(who)

    def shutdown(self) -> None:
        with self._lock:
            if self._threads is not None:
                self._threads.shutdown(wait=False, cancel_futures=True)
                self._threads = None


# Password checks: two at a time (argon2's memory and the two cores of a small server), a few
# more may wait a second for their turn; a flood beyond that is refused at once.
PASSWORDS = Pool("aanmeldingen", at_once=2, per_user=2, waiting=6, nice=19)
EXPORTS = Pool("exports", at_once=2, per_user=1)
LETTERS = Pool("brieven", at_once=2, per_user=2, nice=10)


def _export_slot(login: Annotated[Login, Depends(current_login)]) -> Iterator[None]:
    yield from EXPORTS.slot(login.actor.name)


def _letter_slot(login: Annotated[Login, Depends(current_login)]) -> Iterator[None]:
    yield from LETTERS.slot(login.actor.name)


# A route's `dependencies=[…]`: it runs only with a place in the pool, or answers 429.
EXPORT_SLOT = Depends(_export_slot)
LETTER_SLOT = Depends(_letter_slot)


ANONYMOUS_AT_ONCE = 8  # requests without a session being answered at the same time


class AnonymousLimit:
    """At most ANONYMOUS_AT_ONCE requests without a session cookie (the login form, its posts,
    anything of someone not logged in) are served at the same time; more are refused at once
    with a short Dutch 429, before their body is read. A flood of anonymous requests then takes
    a bounded share of the server, and the logged-in keep the rest. (A made-up session cookie
    gets past this door, and costs one indexed lookup before it is sent to the login form.)"""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.busy = 0
        self.refusal = PlainTextResponse(
            f"Het is nu te druk; probeer het over {RETRY_AFTER} seconden opnieuw.",
            429,
            headers={**headers, "Retry-After": str(RETRY_AFTER)},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _has_session(scope) or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        if self.busy >= ANONYMOUS_AT_ONCE:
            await self.refusal(scope, receive, send)
            return
        self.busy += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.busy -= 1


def _has_session(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"cookie" and COOKIE.encode("ascii") + b"=" in value:
            return True
    return False
