"""Issue 22, part P: repair requests as the legal acts they are (P1-P6, M3, M5). A deadline
runs from a request that was sent; a lot is afgewezen only when a request that named one of its
open herstel findings ran out without a round in time, or the last round leaves one open; a
re-screen opens a new review; an extra round opens a new request, also after closing."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import ROOT

from kit.kinds.process import ProcessRule
from kit.rounds import deadline_of
from kit.rules.loader import shipped_rulesets

# --- the calendar (P2) ----------------------------------------------------------------------------


def process_of(ruleset: str = "kit-2026") -> ProcessRule:
    return shipped_rulesets()[ruleset].process()


def test_5_may_is_no_working_day_in_any_year():
    """A request of 20 April 2026 runs until 6 May: 27 April (Koningsdag) and 5 May do not count
    (Algemene termijnenwet art. 3), though the calendar has 5 May only in lustrum years."""
    assert deadline_of(process_of(), date(2026, 4, 20)) == date(2026, 5, 6)
    without = process_of().model_copy(update={"extra_holidays": []})
    assert deadline_of(without, date(2026, 4, 20)) == date(2026, 5, 5)  # the calendar alone


def test_goede_vrijdag_is_no_working_day_whatever_the_calendar_says(monkeypatch):
    """Goede Vrijdag (3 April 2026) comes from the rule set's data (P2), not from the version of
    the `holidays` package: a calendar without it still skips it."""
    import kit.rounds as rounds

    original = rounds._public_holidays
    good_friday = date(2026, 4, 3)

    def without_good_friday(country: str, year: int) -> frozenset[date]:
        return original(country, year) - {good_friday}

    for cache in (rounds._days_off, rounds._add_working_days):
        cache.cache_clear()
    monkeypatch.setattr(rounds, "_public_holidays", without_good_friday)
    try:
        # 27 March + 10 working days: not 3 April (Goede Vrijdag) nor 6 April (Easter Monday).
        assert deadline_of(process_of(), date(2026, 3, 27)) == date(2026, 4, 14)
        without = process_of().model_copy(update={"extra_holidays": []})
        assert deadline_of(without, date(2026, 3, 27)) == date(2026, 4, 13)
    finally:
        for cache in (rounds._days_off, rounds._add_working_days):
            cache.cache_clear()
    from typer.testing import CliRunner

    from kit.cli import app

    shown = " ".join(CliRunner().invoke(app, ["rules", "show", "kit-2026"]).stdout.split())
    assert "Goede Vrijdag" in shown and "Bevrijdingsdag" in shown and "P6" in shown


def test_the_days_the_law_adds_are_checked_rule_data(tmp_path):
    from kit.errors import KitError
    from kit.rules.loader import load_ruleset

    rules = tmp_path / "rules"
    import shutil

    shutil.copytree(ROOT / "rules", rules)
    path = rules / "kit-2025" / "80-proces.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("easter_offset: -2", "month: 2, day: 30"),
        encoding="utf-8",
    )
    with pytest.raises(KitError, match="extra_holidays"):
        load_ruleset("kit-2025", rules)
