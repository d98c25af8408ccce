"""The application status pipeline: the statuses and which may follow which. Pure data."""

from __future__ import annotations

import enum
from collections.abc import Mapping


class ApplicationStatus(enum.StrEnum):
    """Where an application stands."""

    SUBMITTED = "submitted"
    SCREENING = "screening"
    PLACEMENT_TEST_PENDING = "placement_test_pending"
    ADMITTED = "admitted"
    WAITLISTED = "waitlisted"
    ENROLLED = "enrolled"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


S = ApplicationStatus

TRANSITIONS: Mapping[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.SUBMITTED: frozenset({S.SCREENING, S.REJECTED, S.WITHDRAWN}),
    S.SCREENING: frozenset({S.PLACEMENT_TEST_PENDING, S.ADMITTED, S.REJECTED, S.WITHDRAWN}),
    S.PLACEMENT_TEST_PENDING: frozenset({S.SCREENING, S.REJECTED, S.WITHDRAWN}),
    S.ADMITTED: frozenset({S.ENROLLED, S.WAITLISTED, S.WITHDRAWN}),
    S.WAITLISTED: frozenset({S.ENROLLED, S.WITHDRAWN}),
    S.ENROLLED: frozenset({S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
"""Which status may follow which. Rejected and withdrawn are final: a person who comes back
applies again, so that the history of the first application stays as it was decided."""

ENROLMENT_OWNED = frozenset({S.ENROLLED, S.WAITLISTED})
"""Statuses that only enrolment into a cohort sets or leaves: a place taken or freed must go
through the cohort's capacity and waitlist, never through a bare status change."""

NEEDS_REASON = frozenset({S.REJECTED, S.WITHDRAWN})
"""A rejection is explained to the person; a withdrawal's reason feeds the dropout figures."""

DECISIONS = frozenset({S.ADMITTED, S.REJECTED})
"""Changes that are decisions: each keeps a snapshot of the facts it was taken on."""

_STATE = {
    S.SUBMITTED: "submitted",
    S.SCREENING: "in screening",
    S.PLACEMENT_TEST_PENDING: "waiting for its placement test",
    S.ADMITTED: "admitted",
    S.WAITLISTED: "on the waitlist",
    S.ENROLLED: "enrolled",
    S.REJECTED: "rejected",
    S.WITHDRAWN: "withdrawn",
}
_VERB = {
    S.SUBMITTED: "submitted again",
    S.SCREENING: "put in screening",
    S.PLACEMENT_TEST_PENDING: "sent to a placement test",
    S.ADMITTED: "admitted",
    S.WAITLISTED: "waitlisted",
    S.ENROLLED: "enrolled",
    S.REJECTED: "rejected",
    S.WITHDRAWN: "withdrawn",
}


def api_targets(current: ApplicationStatus) -> list[ApplicationStatus]:
    """The statuses the transitions endpoint may set from ``current``, in pipeline order."""
    if current in ENROLMENT_OWNED:
        return []
    return [status for status in S if status in TRANSITIONS[current] - ENROLMENT_OWNED]


def refusal(current: ApplicationStatus, to: ApplicationStatus) -> str | None:
    """Why ``current`` may not become ``to``, as a sentence; None when the table allows it."""
    if to is current:
        return f"the application is already {_STATE[current]}"
    if to in TRANSITIONS[current]:
        return None
    allowed = [_VERB[status] for status in S if status in TRANSITIONS[current]]
    if not allowed:
        then = "it is closed: a new application starts again"
    elif len(allowed) == 1:
        then = f"it can only be {allowed[0]}"
    else:
        then = f"it can be {', '.join(allowed[:-1])} or {allowed[-1]}"
    return f"an application {_STATE[current]} cannot be {_VERB[to]}; {then}"
