"""The public self-check page (`/voorcontrole`): a provider uploads its filled-in intake workbook
and sees at once what the screening would say, as `kit check` prints it. No account.

Nothing is stored: the file is parsed in memory (its part never spills to a temporary file),
read, screened without a store and dropped; no audit event, no log line with the provider's
data, only a count of the checks done since the server started. Each client address may check
RATE_LIMIT workbooks per RATE_WINDOW seconds; the next is refused with a Dutch 429 page. The
size limit is the one of every upload (kit.limits, enforced on the body by kit.web.app).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from kit.case.workbook import workbook_case
from kit.errors import KitError, Lines
from kit.limits import max_file_bytes
from kit.text import visible
from kit.views.selfcheck import CHECKLIST_INTRO, SEE_GENERAL, self_check
from kit.web.render import FORM_ROOM, page

router = APIRouter()
log = logging.getLogger("kit.voorcontrole")

RATE_LIMIT = 10  # checks per address ...
RATE_WINDOW = 60.0  # ... in this many seconds
TRACKED_ADDRESSES = 10_000  # the limiter forgets the addresses least recently seen past this


class RateLimiter:
    """At most `limit` events per address in a sliding window of `window` seconds, kept in
    memory for at most `addresses` addresses."""

    def __init__(
        self, limit: int = RATE_LIMIT, window: float = RATE_WINDOW, addresses: int = 10_000
    ) -> None:
        self.limit, self.window, self.addresses = limit, window, addresses
        self.seen: OrderedDict[str, deque[float]] = OrderedDict()
        self.lock = threading.Lock()

    def allow(self, address: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self.lock:
            times = self.seen.pop(address, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            allowed = len(times) < self.limit
            if allowed:
                times.append(now)
            self.seen[address] = times
            while len(self.seen) > self.addresses:
                self.seen.popitem(last=False)
            return allowed


class _InMemory(MultiPartParser):
    """Starlette's multipart parser with the file part kept in memory: its spooled file rolls
    over to disk only past the upload size limit, which the body limit never lets through."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:

        super().__init__(*args, **kwargs)
        self.spool_max_size = max_file_bytes() + FORM_ROOM + 1


def _state(request: Request) -> Any:
    state = request.app.state
    if not hasattr(state, "self_checks"):
        state.self_checks = 0
        state.self_check_limiter = RateLimiter()
    return state


@router.get("/voorcontrole")
def form(request: Request) -> Response:
    return page(request, "voorcontrole.html", login=None, checked=None, problems=None)


@router.post("/voorcontrole")
async def check(request: Request) -> Response:
    """Screen the uploaded workbook as a preview and show the result; store nothing."""

    state = _state(request)
    address = request.client.host if request.client else "onbekend"
    if not state.self_check_limiter.allow(address):
        response = _refused(
            request,
            f"U heeft in de afgelopen minuut al {RATE_LIMIT} voorcontroles gedaan. Probeer het "
            "over een minuut opnieuw.",
            429,
        )
        response.headers["Retry-After"] = str(int(RATE_WINDOW))
        return response
    try:
        parsed = await _InMemory(
            request.headers, request.stream(), max_files=1, max_fields=1
        ).parse()
    except (MultiPartException, KeyError, ValueError):
        return _refused(request, "Het formulier kon niet worden gelezen; kies de werkmap opnieuw.")
    upload = parsed.get("bestand")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _refused(request, "Kies de ingevulde werkmap (.xlsx).")
    try:
        raw = await upload.read(max_file_bytes() + 1)
    finally:
        await upload.close()
    name = visible(upload.filename.rsplit("/", 1)[-1])[:200]
    state.self_checks += 1
    log.info("voorcontrole nummer %d", state.self_checks)  # a count, nothing of the provider
    if not name.lower().endswith(".xlsx"):
        return _refused(request, f"{name}: kies de ingevulde werkmap (.xlsx).")
    if len(raw) > max_file_bytes():
        return _refused(request, f"{name}: te groot (meer dan {max_file_bytes() // 2**20} MB).")
    try:
        checked = self_check(workbook_case(raw, ".xlsx", name))
    except KitError as exc:
        return page(
            request,
            "voorcontrole.html",
            login=None,
            checked=None,
            problems=exc.message.lines if isinstance(exc.message, Lines) else [exc.message],
            bestand=name,
        )
    finally:
        del raw
    return page(
        request,
        "voorcontrole.html",
        login=None,
        checked=checked,
        problems=None,
        bestand=name,
        see_general=SEE_GENERAL,
        checklist_intro=CHECKLIST_INTRO,
    )


def _refused(request: Request, message: str, status: int = 400) -> Response:
    return page(request, "voorcontrole.html", status, login=None, checked=None, problems=[message])
