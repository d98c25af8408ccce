"""Keeping each enrolment's report facts equal to the raw records, cohort by cohort.

Whatever changes a cohort's enrolments, sessions, attendance, completions, dates or its
learners' records calls ``refresh_cohorts`` inside its transaction: the facts of every
enrolment of those cohorts are recomputed from the raw records (a few queries for one cohort)
and replaced; a new enrolment adds its own (``record_enrolments``). ``drifted_cohorts``
recomputes them all and names the cohorts whose stored facts differ, which the test suite
checks after every test.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from core.db.bulk import insert_rows
from core.db.raw import placeholders, summed_minutes
from core.enrolment.tables import Enrolment
from core.learners.ages import under_26
from core.outcomes.rules import due_on
from core.reporting.tables import EnrolmentFact

LOW_QUALIFICATIONS = frozenset({"none", "below_bac"})
"""Below the baccalauréat: the "low qualification" audience (RULES.md C7)."""
SEEKING = frozenset({"job_seeker", "neet"})
"""Job-seekers, and people neither in work nor in training."""
REFUGEES = frozenset({"refugee", "asylum_seeker"})
ATTENDED = ("present", "late")

FOLLOW_UPS = (3, 6)
"""The months after exit at which the indicators read outcomes (RULES.md, Indicators)."""
_FIELDS = (
    "enrolment", "site", "program", "track", "cohort", "month", "status", "woman", "qpv",
    "low_qualified", "job_seeker", "refugee", "under_26", "scheduled_minutes",
    "attended_minutes", "entered", "completed", "follow_up_3", "outcome_3", "follow_up_6",
    "outcome_6",
)  # fmt: skip
_COLUMNS = [getattr(EnrolmentFact, name) for name in _FIELDS]


def _known(value: str, members: frozenset[str]) -> bool | None:
    """True or False for a recorded attribute, None when it is ``unknown``."""
    return None if value == "unknown" else value in members


@functools.cache
def _enrolments_query(engine_type: str) -> str:
    """Each enrolment with its cohort, its learner's attributes, the minutes its cohort's
    sessions last and those it attended (present or late)."""
    scheduled = summed_minutes(engine_type, "t.starts_at", "t.ends_at")
    return (
        "SELECT e.id AS id, e.cohort AS cohort, e.status AS status, "
        "e.under_26_kept AS under_26_kept, e.learner AS learner, c.site AS site, "
        "c.program AS program, c.track AS track, c.starts_on AS starts_on, "
        "c.ends_on AS ends_on, l.gender AS gender, l.birth_date AS birth_date, "
        "l.qpv_resident AS qpv_resident, l.highest_qualification AS highest_qualification, "
        "l.employment_status AS employment_status, l.refugee_status AS refugee_status, "
        f"(SELECT {scheduled} FROM training_session t WHERE t.cohort = e.cohort) "
        "AS scheduled_minutes, "
        "(SELECT SUM(m.minutes) FROM attendance_mark m "
        "JOIN training_session s ON s.id = m.session "
        f"WHERE s.cohort = e.cohort AND m.learner = e.learner AND m.status IN {ATTENDED}) "
        "AS attended_minutes "
        "FROM enrolment e LEFT JOIN cohort c ON c.id = e.cohort "
        "LEFT JOIN learner l ON l.id = e.learner WHERE 1 = 1"
    )


_COMPLETED = "SELECT enrolment FROM completion WHERE completed = {}"
_OUTCOMES = (
    "SELECT o.enrolment AS enrolment, o.checkpoint AS checkpoint, o.status AS status "
    "FROM outcome o JOIN enrolment e ON e.id = o.enrolment "
    f"WHERE o.checkpoint IN ({', '.join(str(months) for months in FOLLOW_UPS)})"
)


class _Query:
    """A raw statement and its values, narrowed by ``IN`` lists."""

    def __init__(self, text: str, *values: Any) -> None:
        self.text = text
        self.values = list(values)

    def among(self, column: str, values: list[Any] | None) -> _Query:
        """Only the rows whose ``column`` is one of ``values`` (all rows when None)."""
        if values is not None:
            self.text += f" AND {column} IN ({placeholders(len(values))})"
            self.values += values
        return self

    async def rows(self) -> list[dict[str, Any]]:
        """Run it (in the current transaction, if any)."""
        return await EnrolmentFact.raw(self.text, *self.values)


async def _completed(cohort_ids: list[int] | None, enrolment_ids: list[int] | None) -> set[int]:
    query = _Query(_COMPLETED, True).among("cohort", cohort_ids).among("enrolment", enrolment_ids)
    return {row["enrolment"] for row in await query.rows()}


async def _outcomes(
    cohort_ids: list[int] | None, enrolment_ids: list[int] | None
) -> dict[tuple[int, int], str]:
    """The outcome status recorded per enrolment and follow-up month of FOLLOW_UPS."""
    query = _Query(_OUTCOMES).among("e.cohort", cohort_ids).among("o.enrolment", enrolment_ids)
    return {(row["enrolment"], row["checkpoint"]): row["status"] for row in await query.rows()}


async def computed_facts(
    cohort_ids: Iterable[int] | None,
    enrolment_ids: Iterable[int] | None = None,
    *,
    created: bool = False,
) -> list[dict[str, Any]]:
    """The facts of every enrolment of ``cohort_ids`` (all cohorts when None), or only of
    ``enrolment_ids`` among them, from the raw records; ``created`` when those enrolments
    were just made, so that no completion or outcome can refer to them yet."""
    cohorts = None if cohort_ids is None else sorted(set(cohort_ids))
    only = None if enrolment_ids is None else sorted(set(enrolment_ids))
    if cohorts == [] or only == []:
        return []
    query = _Query(_enrolments_query(EnrolmentFact._meta.db.engine_type))
    rows = await query.among("e.cohort", cohorts).among("e.id", only).rows()
    if not rows:
        return []
    completed = set() if created else await _completed(cohorts, only)
    outcomes = {} if created else await _outcomes(cohorts, only)
    facts = []
    for row in rows:
        starts: date = row["starts_on"]
        minutes = int(row["attended_minutes"] or 0)
        birth_date = row["birth_date"]
        facts.append(
            {
                "enrolment": row["id"],
                "site": row["site"],
                "program": row["program"],
                "track": row["track"],
                "cohort": row["cohort"],
                "month": starts.strftime("%Y-%m"),
                "status": row["status"],
                "woman": row["gender"] == "female",
                "qpv": None if row["qpv_resident"] is None else bool(row["qpv_resident"]),
                "low_qualified": _known(row["highest_qualification"], LOW_QUALIFICATIONS),
                "job_seeker": _known(row["employment_status"], SEEKING),
                "refugee": _known(row["refugee_status"], REFUGEES),
                "under_26": row["under_26_kept"]
                if birth_date is None
                else under_26(birth_date, starts),
                "scheduled_minutes": int(row["scheduled_minutes"] or 0),
                "attended_minutes": minutes,
                "entered": minutes > 0,
                "completed": row["id"] in completed,
            }
        )
        went_through = row["status"] == "enrolled"
        for months in FOLLOW_UPS:
            facts[-1][f"follow_up_{months}"] = (
                due_on(row["ends_on"], months) if went_through else None
            )
            facts[-1][f"outcome_{months}"] = outcomes.get((row["id"], months))
    return facts


async def refresh_cohorts(cohort_ids: Iterable[int]) -> None:
    """Replace the facts of every enrolment of ``cohort_ids`` by a fresh computation; call
    it inside the transaction of the change (it opens one otherwise)."""
    cohorts = sorted(set(cohort_ids))
    if not cohorts:
        return
    async with EnrolmentFact._meta.db.transaction():  # the caller's, when it has one
        await _Query("DELETE FROM report_enrolment WHERE 1 = 1").among("cohort", cohorts).rows()
        facts = await computed_facts(cohorts)
        await insert_rows(
            EnrolmentFact, _COLUMNS, [[fact[name] for name in _FIELDS] for fact in facts]
        )


async def record_enrolments(cohort_id: int, enrolment_ids: Iterable[int]) -> None:
    """Add the facts of enrolments just made in ``cohort_id``, inside their transaction: no
    facts, completion or outcome refers to them yet, so that only their rows, the cohort's
    sessions and the learners' attendance are read."""
    facts = await computed_facts([cohort_id], enrolment_ids, created=True)
    await insert_rows(EnrolmentFact, _COLUMNS, [[fact[name] for name in _FIELDS] for fact in facts])


REBUILD_SLICE = 200
"""Cohorts whose enrolments' facts are computed and written at a time by ``rebuild_cohorts``."""


async def rebuild_cohorts(progress: Callable[[int], None] = lambda done: None) -> int:
    """Replace every enrolment's facts by a fresh computation from the raw records, inside
    the caller's transaction; ``progress`` hears of each slice's cohorts. Returns how many
    enrolments have facts."""
    await EnrolmentFact.raw("DELETE FROM report_enrolment")
    cohorts = [row["id"] for row in await EnrolmentFact.raw("SELECT id FROM cohort ORDER BY id")]
    written = 0
    for first in range(0, len(cohorts), REBUILD_SLICE):
        chunk = cohorts[first : first + REBUILD_SLICE]
        facts = await computed_facts(chunk)
        await insert_rows(
            EnrolmentFact, _COLUMNS, [[fact[name] for name in _FIELDS] for fact in facts]
        )
        written += len(facts)
        progress(len(chunk))
    return written


async def refresh_learners(learner_ids: Iterable[int]) -> None:
    """Refresh the cohorts ``learner_ids`` are enrolled in: their attributes changed."""
    ids = sorted(set(learner_ids))
    if ids:
        rows = await Enrolment.select(Enrolment.cohort).where(Enrolment.learner.is_in(ids))
        await refresh_cohorts(row["cohort"] for row in rows)


_FLAGS = frozenset(
    {"woman", "qpv", "low_qualified", "job_seeker", "refugee", "under_26", "entered", "completed"}
)


def _comparable(row: dict[str, Any]) -> tuple[Any, ...]:
    """A row's values with booleans as booleans, whichever engine read them."""
    return tuple(
        bool(row[name]) if name in _FLAGS and row[name] is not None else row[name]
        for name in _FIELDS
    )


async def drifted_cohorts() -> list[int]:
    """The cohorts whose stored facts differ from the raw records: empty unless a write
    path forgot ``refresh_cohorts``."""
    expected = {row["enrolment"]: row for row in await computed_facts(None)}
    stored = {row["enrolment"]: row for row in await EnrolmentFact.select(*_COLUMNS)}
    drifted = {
        (expected.get(n) or stored[n])["cohort"]
        for n in expected.keys() | stored.keys()
        if n not in expected
        or n not in stored
        or _comparable(expected[n]) != _comparable(stored[n])
    }
    return sorted(drifted)
