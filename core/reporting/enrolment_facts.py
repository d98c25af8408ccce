"""Keeping each enrolment's report facts equal to the raw records, cohort by cohort.

Whatever changes a cohort's enrolments, sessions, attendance, completions, dates or its
learners' records calls ``refresh_cohorts`` inside its transaction: the facts of every
enrolment of those cohorts are recomputed from the raw records (a few queries for one cohort)
and replaced. ``drifted_cohorts`` recomputes them all and names the cohorts whose stored facts
differ, which the test suite checks after every test.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from core.completion.tables import Completion
from core.enrolment.tables import Enrolment
from core.learners.ages import under_26
from core.outcomes.rules import due_on
from core.outcomes.tables import Outcome
from core.reporting.tables import EnrolmentFact
from core.scheduling.tables import TrainingSession

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


def _known(value: str, members: frozenset[str]) -> bool | None:
    """True or False for a recorded attribute, None when it is ``unknown``."""
    return None if value == "unknown" else value in members


def _minutes(starts: Any, ends: Any) -> int:
    return (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)


async def _enrolments(
    cohort_ids: list[int] | None, enrolment_ids: list[int] | None
) -> list[dict[str, Any]]:
    query = Enrolment.select(
        Enrolment.id,
        Enrolment.cohort,
        Enrolment.status,
        Enrolment.under_26_kept,
        Enrolment.cohort.site.as_alias("site"),
        Enrolment.cohort.program.as_alias("program"),
        Enrolment.cohort.track.as_alias("track"),
        Enrolment.cohort.starts_on.as_alias("starts_on"),
        Enrolment.cohort.ends_on.as_alias("ends_on"),
        Enrolment.learner.as_alias("learner"),
        Enrolment.learner.gender.as_alias("gender"),
        Enrolment.learner.birth_date.as_alias("birth_date"),
        Enrolment.learner.qpv_resident.as_alias("qpv_resident"),
        Enrolment.learner.highest_qualification.as_alias("highest_qualification"),
        Enrolment.learner.employment_status.as_alias("employment_status"),
        Enrolment.learner.refugee_status.as_alias("refugee_status"),
    )
    if cohort_ids is not None:
        query = query.where(Enrolment.cohort.is_in(cohort_ids))
    if enrolment_ids is not None:
        query = query.where(Enrolment.id.is_in(enrolment_ids))
    return await query


async def _scheduled(cohort_ids: list[int] | None) -> dict[int, int]:
    query = TrainingSession.select(
        TrainingSession.cohort, TrainingSession.starts_at, TrainingSession.ends_at
    )
    if cohort_ids is not None:
        query = query.where(TrainingSession.cohort.is_in(cohort_ids))
    minutes: dict[int, int] = defaultdict(int)
    for row in await query:
        minutes[row["cohort"]] += _minutes(row["starts_at"], row["ends_at"])
    return minutes


async def _attended(cohort_ids: list[int] | None) -> dict[tuple[int, int], int]:
    """Minutes attended (present or late, signed) per cohort and learner."""
    where = ""
    values: list[Any] = []
    if cohort_ids is not None:
        where = f" AND s.cohort IN ({', '.join('{}' for _ in cohort_ids)})"
        values = list(cohort_ids)
    rows = await EnrolmentFact.raw(
        "SELECT s.cohort AS cohort, m.learner AS learner, SUM(m.minutes) AS minutes "
        "FROM attendance_mark m JOIN training_session s ON s.id = m.session "
        f"WHERE m.status IN ('present', 'late'){where} GROUP BY s.cohort, m.learner",
        *values,
    )
    return {(row["cohort"], row["learner"]): int(row["minutes"] or 0) for row in rows}


async def _completed(cohort_ids: list[int] | None) -> set[int]:
    query = Completion.select(Completion.enrolment).where(Completion.completed.eq(True))
    if cohort_ids is not None:
        query = query.where(Completion.cohort.is_in(cohort_ids))
    return {row["enrolment"] for row in await query}


async def _outcomes(cohort_ids: list[int] | None) -> dict[tuple[int, int], str]:
    """The outcome status recorded per enrolment and follow-up month of FOLLOW_UPS."""
    query = Outcome.select(Outcome.enrolment, Outcome.checkpoint, Outcome.status).where(
        Outcome.checkpoint.is_in(list(FOLLOW_UPS))
    )
    if cohort_ids is not None:
        query = query.where(Outcome.enrolment.cohort.is_in(cohort_ids))
    return {(row["enrolment"], row["checkpoint"]): row["status"] for row in await query}


async def computed_facts(
    cohort_ids: Iterable[int] | None, enrolment_ids: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """The facts of every enrolment of ``cohort_ids`` (all cohorts when None), or only of
    ``enrolment_ids`` among them, from the raw records."""
    cohorts = None if cohort_ids is None else sorted(set(cohort_ids))
    enrolments = None if enrolment_ids is None else sorted(set(enrolment_ids))
    if cohorts == [] or enrolments == []:
        return []
    scheduled = await _scheduled(cohorts)
    attended = await _attended(cohorts)
    completed = await _completed(cohorts)
    outcomes = await _outcomes(cohorts)
    facts = []
    for row in await _enrolments(cohorts, enrolments):
        starts: date = row["starts_on"]
        minutes = attended.get((row["cohort"], row["learner"]), 0)
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
                "scheduled_minutes": scheduled.get(row["cohort"], 0),
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


async def refresh_cohorts(
    cohort_ids: Iterable[int], *, enrolments: Iterable[int] | None = None
) -> None:
    """Replace the facts of every enrolment of ``cohort_ids`` by a fresh computation, or
    only those of ``enrolments`` when the change touched no other (one enrolment made, say:
    each fact depends on its own enrolment and on its cohort, never on the others); call it
    inside the transaction of the change."""
    cohorts = sorted(set(cohort_ids))
    only = None if enrolments is None else sorted(set(enrolments))
    if not cohorts or only == []:
        return
    stale = EnrolmentFact.delete().where(EnrolmentFact.cohort.is_in(cohorts))
    if only is not None:
        stale = stale.where(EnrolmentFact.enrolment.is_in(only))
    await stale
    facts = await computed_facts(cohorts, only)
    if facts:
        await EnrolmentFact.insert(*(EnrolmentFact(**fact) for fact in facts))


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
    columns = [getattr(EnrolmentFact, name) for name in _FIELDS]
    stored = {row["enrolment"]: row for row in await EnrolmentFact.select(*columns)}
    drifted = {
        (expected.get(n) or stored[n])["cohort"]
        for n in expected.keys() | stored.keys()
        if n not in expected
        or n not in stored
        or _comparable(expected[n]) != _comparable(stored[n])
    }
    return sorted(drifted)
