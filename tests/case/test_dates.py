from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from kit.dates import add_months, months_between


def test_add_months_clamps_to_month_end():
    assert add_months(date(2024, 8, 31), -6) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)


def test_months_between_is_at_most_n_months_exactly():
    as_of = date(2024, 4, 2)
    assert months_between(date(2023, 10, 2), as_of) == 6  # exactly six months: still "at most 6"
    assert months_between(date(2023, 10, 1), as_of) == 7  # one day more
    assert months_between(date(2024, 4, 2), as_of) == 0
    assert months_between(date(2024, 5, 1), as_of) == 0  # issued after the as-of date


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)),
    st.integers(min_value=0, max_value=120),
)
def test_months_between_matches_its_definition(start, end, n):
    # "at most n months old" <=> start + n months >= end
    assert (months_between(start, end) <= n) == (add_months(start, n) >= end)
