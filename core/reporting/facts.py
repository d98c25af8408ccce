"""Keeping the report facts equal to the raw records, on every write that changes them.

Every service that creates an application, changes its status, cohort, site or track,
stores an eligibility verdict or decides a completion calls ``refresh_applications`` inside
its transaction. The milestones are recomputed from the raw records (the application, its
events, its enrolments' completions), never incremented, so that a refresh is idempotent and
``drifted_applications`` can prove, in the tests, that no write path was forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.applications.pipeline import ApplicationStatus as S
from core.db.instants import as_utc
from core.reporting.tables import ApplicationFact

MILESTONES = {
    "admitted": S.ADMITTED,
    "waitlisted": S.WAITLISTED,
    "enrolled": S.ENROLLED,
    "withdrawn": S.WITHDRAWN,
}
"""Funnel milestones an application reached when one of its events moved it there."""

_RAW = (
    "SELECT a.id, a.site, a.program, a.track, a.cohort, a.eligible, a.created_at, "
    + ", ".join(
        f"EXISTS (SELECT 1 FROM application_event e WHERE e.application = a.id "
        f"AND e.to_status = '{status.value}') AS {name}"
        for name, status in MILESTONES.items()
    )
    + ", EXISTS (SELECT 1 FROM enrolment n JOIN completion c ON c.enrolment = n.id "
    "WHERE n.application = a.id AND c.completed) AS completed "
    "FROM application a"
)
_FIELDS = ("site", "program", "track", "cohort", "eligible", *MILESTONES, "completed")


def local_month(instant: datetime, timezone: str) -> str:
    """``YYYY-MM`` of ``instant`` in ``timezone``: the month a site reports it in."""
    return as_utc(instant).astimezone(ZoneInfo(timezone)).strftime("%Y-%m")


def _facts(row: dict[str, Any]) -> dict[str, Any]:
    facts = {name: row[name] for name in _FIELDS}
    for name in (*MILESTONES, "completed"):
        facts[name] = bool(facts[name])
    if facts["eligible"] is not None:
        facts["eligible"] = bool(facts["eligible"])
    return facts


async def _raw(application_ids: Iterable[int] | None) -> list[dict[str, Any]]:
    if application_ids is None:
        return await ApplicationFact.raw(_RAW)
    ids = sorted(set(application_ids))
    if not ids:
        return []
    placeholders = ", ".join("{}" for _ in ids)
    return await ApplicationFact.raw(f"{_RAW} WHERE a.id IN ({placeholders})", *ids)


async def record_application(application_id: int, created_at: datetime, timezone: str) -> None:
    """Add a new application's facts, its month in its site's zone; inside its transaction."""
    [row] = await _raw([application_id])
    await ApplicationFact.insert(
        ApplicationFact(
            application=application_id, month=local_month(created_at, timezone), **_facts(row)
        )
    )


async def refresh_applications(application_ids: Iterable[int]) -> None:
    """Recompute the facts of existing applications from their raw records; call it inside
    the transaction of the change. An application without facts yet is left to
    ``record_application``."""
    for row in await _raw(application_ids):
        await ApplicationFact.update(_facts(row)).where(ApplicationFact.application == row["id"])


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
