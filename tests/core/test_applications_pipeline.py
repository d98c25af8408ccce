"""The application status pipeline as data: the transition table and its sentences."""

from __future__ import annotations

import pytest

from core.applications.pipeline import (
    ENROLMENT_OWNED,
    TRANSITIONS,
    ApplicationStatus,
    api_targets,
    refusal,
)

S = ApplicationStatus
EXPECTED = {
    S.SUBMITTED: {S.SCREENING, S.REJECTED, S.WITHDRAWN},
    S.SCREENING: {S.PLACEMENT_TEST_PENDING, S.ADMITTED, S.REJECTED, S.WITHDRAWN},
    S.PLACEMENT_TEST_PENDING: {S.SCREENING, S.REJECTED, S.WITHDRAWN},
    S.ADMITTED: {S.ENROLLED, S.WAITLISTED, S.WITHDRAWN},
    S.WAITLISTED: {S.ENROLLED, S.WITHDRAWN},
    S.ENROLLED: {S.WITHDRAWN},
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
}
PAIRS = [(a, b) for a in S for b in S]


def test_the_table_covers_every_status_and_matches_the_documented_one() -> None:
    assert set(TRANSITIONS) == set(S)
    assert {status: set(targets) for status, targets in TRANSITIONS.items()} == EXPECTED


def test_every_status_but_submitted_can_be_reached() -> None:
    reached = set().union(*TRANSITIONS.values())
    assert reached == set(S) - {S.SUBMITTED}


@pytest.mark.parametrize(("current", "to"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_refusal_agrees_with_the_table(current: ApplicationStatus, to: ApplicationStatus) -> None:
    assert (refusal(current, to) is None) == (to in EXPECTED[current])


def test_a_refusal_names_both_statuses_and_what_remains_possible() -> None:
    assert refusal(S.WITHDRAWN, S.ADMITTED) == (
        "an application withdrawn cannot be admitted; it is closed: a new application starts again"
    )
    assert refusal(S.SUBMITTED, S.ADMITTED) == (
        "an application submitted cannot be admitted; "
        "it can be put in screening, rejected or withdrawn"
    )
    assert refusal(S.ENROLLED, S.REJECTED) == (
        "an application enrolled cannot be rejected; it can only be withdrawn"
    )
    assert refusal(S.SCREENING, S.SCREENING) == "the application is already in screening"


def test_the_api_never_offers_what_enrolment_owns() -> None:
    for status in S:
        assert not set(api_targets(status)) & ENROLMENT_OWNED
    assert api_targets(S.SCREENING) == [
        S.PLACEMENT_TEST_PENDING,
        S.ADMITTED,
        S.REJECTED,
        S.WITHDRAWN,
    ]
    assert api_targets(S.ADMITTED) == [S.WITHDRAWN]
    assert api_targets(S.ENROLLED) == api_targets(S.WAITLISTED) == []
