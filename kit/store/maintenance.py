"""What operations need of the store beyond the daily work: which latest screenings are
already a re-screen on a date (so `kit rescreen --alle` reruns only what is missing)."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from kit.store.base import Connection
from kit.store.tables import ScreeningRow

RESCREEN_REASON = "herscreening"


class Maintenance(Connection):
    """Queries for batch reruns and operations."""

    def rescreened_on(self, screening_pks: list[int], day: date) -> set[int]:
        """Those of `screening_pks` that are themselves a re-screen on `day`: a region re-screen
        on that day has already reached their submission."""
        if not screening_pks:
            return set()
        query = select(col(ScreeningRow.id)).where(
            col(ScreeningRow.id).in_(screening_pks),
            ScreeningRow.reason == RESCREEN_REASON,
            ScreeningRow.as_of == day,
        )
        with self.session() as session:
            return {pk for pk in session.exec(query) if pk is not None}
