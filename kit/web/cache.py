"""The region's central list kept between requests: building it reads every submission (about
half a second at 10,000), a page of it should take milliseconds. It is built again as soon as
the store changes (Store.version), whichever process changed it."""

from __future__ import annotations

import threading
from datetime import date

from kit.report import ReportRow, build_report
from kit.store import Store


class ListCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[object, ...] | None = None
        self._rows: list[ReportRow] = []

    def rows(self, store: Store, day: date) -> list[ReportRow]:
        """Every row of the central list on `day` (unfiltered; callers narrow and sort copies)."""
        key = (store.url, store.version(), day)
        with self._lock:
            if key != self._key:
                self._rows = build_report(store, day)
                self._key = key
            return self._rows
