"""Keeping the report facts equal to the raw records, on every write that changes them.

Every service that creates an application, changes its status, cohort, site or track,
stores an eligibility verdict or decides a completion calls ``refresh_applications`` inside
its transaction. The milestones are recomputed from the raw records (the application, its
events, its enrolments' completions), never incremented, so that a refresh is idempotent and
``drifted_applications`` can prove, in the tests, that no write path was forgotten.

The funnel's monthly summary (``FunnelMonth``) follows in the same transaction, by the
difference between an application's old and new facts: one upsert per (site, program, month)
that changed, at the end of the writes. Increments commute, so two transactions changing the
same month only wait for each other's row lock; summing the month again from its facts, as
before, read every application of the month on each write (at 100,000 applications a month,
most of an enrolment's time). ``drifted_funnel_months`` proves the summary equal to the facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.applications.pipeline import ApplicationStatus as S
from core.db.bulk import insert_rows
from core.db.instants import as_utc
from core.db.raw import placeholders
from core.reporting.tables import ApplicationFact, FunnelMonth

MILESTONES = {
    "admitted": S.ADMITTED,
    "waitlisted": S.WAITLISTED,
    "enrolled": S.ENROLLED,
    "withdrawn": S.WITHDRAWN,
}
"""Funnel milestones an application reached when one of its events moved it there."""

_CERTIFIED_SOURCES: list[str] = []
"""Each program's ``SELECT`` of certified enrolments (``ProgramIndicators.certified``)."""


def use_certifications(sources: Sequence[str]) -> None:
    """Read certificates from the programs' ``sources`` (set when the plugins are bound)."""
    _CERTIFIED_SOURCES[:] = sources


def _raw_query(*, stored: bool = False) -> str:
    """The facts of applications from their raw records; with ``stored``, each
    application's stored facts beside them (``stored_<name>``, None when it has none)."""
    milestones = ", ".join(
        f"EXISTS (SELECT 1 FROM application_event e WHERE e.application = a.id "
        f"AND e.to_status = '{status.value}') AS {name}"
        for name, status in MILESTONES.items()
    )
    certified = (
        "EXISTS (SELECT 1 FROM enrolment n WHERE n.application = a.id AND n.id IN ("
        + " UNION ".join(_CERTIFIED_SOURCES)
        + "))"
        if _CERTIFIED_SOURCES
        else "1 = 0"
    )
    kept = "".join(f", f.{name} AS stored_{name}" for name in ("month", *_FIELDS))
    return (
        "SELECT a.id, a.site, a.program, a.track, a.cohort, a.eligible, a.created_at, "
        f"{milestones}, "
        "EXISTS (SELECT 1 FROM enrolment n JOIN completion c ON c.enrolment = n.id "
        "WHERE n.application = a.id AND c.completed) AS completed, "
        f"{certified} AS certified"
        + (
            f"{kept} FROM application a LEFT JOIN report_application f ON f.application = a.id"
            if stored
            else " FROM application a"
        )
    )


_FIELDS = ("site", "program", "track", "cohort", "eligible", *MILESTONES, "completed", "certified")
_FLAGS = (*MILESTONES, "completed", "certified")
SUMMED = ("eligible", *_FLAGS)
"""The funnel summary's counts besides ``applications``: one per yes/no fact."""
MonthKey = tuple[str, str, str]
"""Site, program and month: a row of the funnel summary."""
_SUMMARY_COLUMNS = ("applications", *SUMMED)
_SUMS = ", ".join(
    ["COUNT(*) AS applications", *(f"SUM(CASE WHEN {n} THEN 1 ELSE 0 END) AS {n}" for n in SUMMED)]
)
"""The facts of a group summed into the summary's columns."""


def local_month(instant: datetime, timezone: str) -> str:
    """``YYYY-MM`` of ``instant`` in ``timezone``: the month a site reports it in."""
    return as_utc(instant).astimezone(ZoneInfo(timezone)).strftime("%Y-%m")


def _facts(row: dict[str, Any]) -> dict[str, Any]:
    facts = {name: row[name] for name in _FIELDS}
    for name in _FLAGS:
        facts[name] = bool(facts[name])
    if facts["eligible"] is not None:
        facts["eligible"] = bool(facts["eligible"])
    return facts


async def _raw(
    application_ids: Iterable[int] | None, *, stored: bool = False
) -> list[dict[str, Any]]:
    if application_ids is None:
        return await ApplicationFact.raw(_raw_query(stored=stored))
    ids = sorted(set(application_ids))
    if not ids:
        return []
    return await ApplicationFact.raw(
        f"{_raw_query(stored=stored)} WHERE a.id IN ({placeholders(len(ids))})", *ids
    )


_UPDATE_FACT = (
    f"UPDATE report_application SET {', '.join(f'{name} = {{}}' for name in _FIELDS)} "
    "WHERE application = {}"
)
_ADD_TO_MONTH = (
    f"INSERT INTO report_funnel_month (site, program, month, {', '.join(_SUMMARY_COLUMNS)}) "
    f"VALUES ({placeholders(3 + len(_SUMMARY_COLUMNS))}) "
    "ON CONFLICT (site, program, month) DO UPDATE SET "
    + ", ".join(
        f"{name} = report_funnel_month.{name} + excluded.{name}" for name in _SUMMARY_COLUMNS
    )
)
"""Adds counts to a (site, program, month) of the summary, creating its row when new."""


def _counts(facts: Mapping[str, Any]) -> list[int]:
    """What one application's facts add to its month's summary, in ``_SUMMARY_COLUMNS``."""
    return [1, *(1 if facts[name] else 0 for name in SUMMED)]


def _key(facts: Mapping[str, Any], month: str) -> MonthKey:
    return (facts["site"], facts["program"], month)


async def _add_to_months(changes: Mapping[MonthKey, list[int]]) -> None:
    """Add each (site, program, month)'s changed counts to its summary row, keys in order so
    that two transactions take the rows' locks in the same order. The increments commute:
    concurrent writers of one month wait for each other's row lock, never lose a change.
    Callers refresh last in their writes, so that the lock is held only until the commit."""
    for key in sorted(changes):
        counts = changes[key]
        if any(counts):
            await FunnelMonth.raw(_ADD_TO_MONTH, *key, *counts)


async def record_application(application_id: int, created_at: datetime, timezone: str) -> None:
    """Add a new application's facts, its month in its site's zone; inside its transaction."""
    [row] = await _raw([application_id])
    month = local_month(created_at, timezone)
    facts = _facts(row)
    await ApplicationFact.insert(ApplicationFact(application=application_id, month=month, **facts))
    await _add_to_months({_key(facts, month): _counts(facts)})


async def refresh_applications(application_ids: Iterable[int]) -> None:
    """Recompute the facts of existing applications from their raw records, and move the
    summary's counts by the difference; call it inside the transaction of the change. An
    application without facts yet is left to ``record_application``."""
    changes: dict[MonthKey, list[int]] = defaultdict(lambda: [0] * len(_SUMMARY_COLUMNS))
    for row in await _raw(application_ids, stored=True):
        month = row["stored_month"]
        if month is None:
            continue
        old = _facts({name: row[f"stored_{name}"] for name in _FIELDS})
        new = _facts(row)
        if new == old:
            continue
        await ApplicationFact.raw(_UPDATE_FACT, *(new[name] for name in _FIELDS), row["id"])
        for key, counts, sign in (
            (_key(old, month), _counts(old), -1),
            (_key(new, month), _counts(new), 1),
        ):
            total = changes[key]
            for index, count in enumerate(counts):
                total[index] += sign * count
    await _add_to_months(changes)


REBUILD_SLICE = 2_000
"""Applications whose facts are computed and written at a time by ``rebuild_applications``."""


async def rebuild_applications(
    timezones: Mapping[str, str], progress: Callable[[int], None] = lambda done: None
) -> int:
    """Replace every application's facts and the whole funnel summary by a fresh computation
    from the raw records, months in the zone of ``timezones[site]``, inside the caller's
    transaction; ``progress`` hears of each slice's applications. Returns how many."""
    await ApplicationFact.raw("DELETE FROM report_funnel_month")
    await ApplicationFact.raw("DELETE FROM report_application")
    ids = [row["id"] for row in await ApplicationFact.raw("SELECT id FROM application ORDER BY id")]
    columns = [
        ApplicationFact.application,
        ApplicationFact.month,
        *(getattr(ApplicationFact, name) for name in _FIELDS),
    ]
    for first in range(0, len(ids), REBUILD_SLICE):
        rows = await _raw(ids[first : first + REBUILD_SLICE])
        await insert_rows(
            ApplicationFact,
            columns,
            [
                [
                    row["id"],
                    local_month(row["created_at"], timezones[row["site"]]),
                    *_facts(row).values(),
                ]
                for row in rows
            ],
        )
        progress(len(rows))
    await ApplicationFact.raw(FILL_FUNNEL_MONTHS)
    return len(ids)


async def drifted_applications(timezones: Mapping[str, str]) -> list[int]:
    """The applications whose facts are missing or differ from their raw records, months
    taken in the zone of ``timezones[site]``: empty unless a write path forgot a refresh."""
    stored = {
        row["application"]: row
        for row in await ApplicationFact.select(
            ApplicationFact.application,
            ApplicationFact.month,
            *(getattr(ApplicationFact, name) for name in _FIELDS),
        )
    }
    drifted = []
    for row in await _raw(None):
        fact = stored.pop(row["id"], None)
        expected = _facts(row) | {"month": local_month(row["created_at"], timezones[row["site"]])}
        if (
            fact is None
            or {
                name: (bool(fact[name]) if isinstance(expected[name], bool) else fact[name])
                for name in expected
            }
            != expected
        ):
            drifted.append(row["id"])
    return sorted([*drifted, *stored])


FILL_FUNNEL_MONTHS = (
    f"INSERT INTO report_funnel_month (site, program, month, {', '.join(_SUMMARY_COLUMNS)}) "
    f"SELECT site, program, month, {_SUMS} FROM report_application GROUP BY site, program, month"
)
"""Sums the whole funnel summary from the facts, into an empty summary (after a bulk load)."""


async def drifted_funnel_months() -> list[MonthKey]:
    """The (site, program, month) whose summary differs from the facts summed: empty unless
    a write changed facts without summing them again."""
    expected = {
        (row["site"], row["program"], row["month"]): tuple(int(row[n]) for n in _SUMMARY_COLUMNS)
        for row in await ApplicationFact.raw(
            f"SELECT site, program, month, {_SUMS} FROM report_application "
            "GROUP BY site, program, month"
        )
    }
    stored = {
        (row["site"], row["program"], row["month"]): tuple(row[n] for n in _SUMMARY_COLUMNS)
        for row in await FunnelMonth.select().where(FunnelMonth.applications > 0)
    }
    return sorted(
        key for key in expected.keys() | stored.keys() if expected.get(key) != stored.get(key)
    )
