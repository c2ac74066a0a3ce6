"""The region's central list kept between requests: building it reads every submission (about
half a second at 10,000), a page of it should take milliseconds. It is built again as soon as
the store changes (Store.version), whichever process changed it. A few dates are kept, so that
someone paging back and forth between peildatums does not rebuild it on every request."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from kit.services import Store
from kit.views.report import ReportRow, build_report

KEPT = 4  # lists kept: the latest for today and a few other peildatums


class ListCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lists: OrderedDict[tuple[object, ...], list[ReportRow]] = OrderedDict()

    def rows(self, store: Store, day: date) -> list[ReportRow]:
        """Every row of the central list on `day` (unfiltered; callers narrow and sort copies)."""
        key = (store.url, store.version(), day)
        with self._lock:
            if key in self._lists:
                self._lists.move_to_end(key)
                return self._lists[key]
            rows = build_report(store, day)
            self._lists[key] = rows
            while len(self._lists) > KEPT:
                self._lists.popitem(last=False)
            return rows
