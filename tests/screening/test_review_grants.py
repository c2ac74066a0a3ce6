"""P4 on the review itself (kit.screening.review, pure): a grant made after a request ran out
reopens the review at that request's round, and that round is the last; a grant never takes
rounds away that the review still had."""

from __future__ import annotations

from datetime import date

import pytest

from kit.kinds.rulesets import shipped_rulesets
from kit.screening.review import Grant, Mark, Request, Review, RoundError

PROCESS = shipped_rulesets()["kit-2025"].process()


def review(
    marks: list[tuple[int, date]], requests: list[tuple[int, date, date]], granted: list[date]
) -> Review:
    return Review(
        "INS-2024-0042",
        0,
        tuple(Mark(pk, number, day) for pk, (number, day) in enumerate(marks, 1)),
        tuple(
            Request(pk, number, sent, deadline, frozenset({"k"}))
            for pk, (number, sent, deadline) in enumerate(requests, 1)
        ),
        tuple(Grant(pk, day) for pk, day in enumerate(granted, 1)),
        PROCESS,
    )


ROUND_0, ROUND_1 = (0, date(2024, 4, 2)), (1, date(2024, 4, 20))
LATE_1 = (1, date(2024, 4, 2), date(2024, 4, 16))  # round 1 came in on 20 April: too late
ANSWERED_1 = (1, date(2024, 4, 17), date(2024, 5, 1))  # round 1 came in on 20 April: in time
GRANT = date(2024, 5, 10)


def test_a_grant_after_a_request_that_a_later_round_answered_takes_nothing_away():
    """The first request for round 1 ran out, a second one was answered in time: nothing was
    closed when inkoop granted an extra round, so the grant adds one to the rule set's three."""
    before = review([ROUND_0, ROUND_1], [LATE_1, ANSWERED_1], [])
    after = review([ROUND_0, ROUND_1], [LATE_1, ANSWERED_1], [GRANT])
    assert before.allowed(GRANT) == PROCESS.max_rounds
    assert after.reopened_round(GRANT) is None
    assert after.allowed(GRANT) == PROCESS.max_rounds + 1


def test_a_grant_reopens_the_round_whose_request_ran_out_and_it_is_the_last():
    late_2 = (2, date(2024, 4, 21), date(2024, 5, 6))  # round 2 never came in
    again_2 = (2, date(2024, 5, 11), date(2024, 5, 27))  # the request the grant opened
    requests = [LATE_1, ANSWERED_1, late_2, again_2]
    reopened = review([ROUND_0, ROUND_1], requests, [GRANT])
    assert reopened.reopened_round(date(2024, 5, 12)) == 2
    assert reopened.allowed(date(2024, 5, 12)) == 2  # round 1 used, round 2 the extra one
    reopened.check(2, date(2024, 5, 12))  # round 2 may come in on its new request
    with pytest.raises(RoundError, match="herstelronde 3 geweigerd"):
        reopened.check(3, date(2024, 5, 20))
    # Once round 2 came in (after the grant), it stays the last round.
    used = review([ROUND_0, ROUND_1, (2, date(2024, 5, 12))], requests, [GRANT])
    assert used.allowed(date(2024, 6, 1)) == 2
