"""The funnel in SQL: applications and the milestones they reached, counted per group.

One aggregation over the report facts (``report_application``), on indexed columns, the
same statement on SQLite and PostgreSQL. Dimensions and filters are whitelisted names; every
value travels as a bound parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from core.reporting.tables import ApplicationFact

DIMENSIONS = ("site", "program", "track", "cohort", "month")
"""What a funnel can be grouped and filtered by."""
COUNTS = (
    "applications",
    "eligible",
    "admitted",
    "waitlisted",
    "enrolled",
    "withdrawn",
    "completed",
)
"""The funnel's counts, in order; each but the first is a milestone of the report facts."""


class FunnelFilters(msgspec.Struct, frozen=True, kw_only=True):
    """Which applications a funnel counts: made between two months, at some sites..."""

    from_month: str | None = None
    to_month: str | None = None
    sites: tuple[str, ...] | None = None
    """None: every site; an empty tuple: none (a caller who reaches no site)."""
    program: str | None = None
    track: str | None = None
    cohort: int | None = None


def _where(filters: FunnelFilters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    values: list[Any] = []
    if filters.from_month is not None:
        clauses.append("month >= {}")
        values.append(filters.from_month)
    if filters.to_month is not None:
        clauses.append("month <= {}")
        values.append(filters.to_month)
    if filters.sites is not None:
        if not filters.sites:
            clauses.append("1 = 0")
        else:
            clauses.append(f"site IN ({', '.join('{}' for _ in filters.sites)})")
            values.extend(filters.sites)
    for name in ("program", "track", "cohort"):
        value = getattr(filters, name)
        if value is not None:
            clauses.append(f"{name} = {{}}")
            values.append(value)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), values


async def funnel_counts(
    filters: FunnelFilters, group_by: Sequence[str]
) -> dict[tuple[Any, ...], dict[str, int]]:
    """The funnel's counts for each group of ``group_by`` (a subset of DIMENSIONS, in that
    order of columns), only groups with at least one application."""
    unknown = set(group_by) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions {sorted(unknown)}")
    columns = ", ".join(group_by)
    sums = ", ".join(f"SUM(CASE WHEN {name} THEN 1 ELSE 0 END) AS {name}" for name in COUNTS[1:])
    where, values = _where(filters)
    select = f"SELECT {columns + ', ' if columns else ''}COUNT(*) AS applications, {sums} "
    group = f" GROUP BY {columns}" if columns else ""
    rows = await ApplicationFact.raw(select + "FROM report_application" + where + group, *values)
    return {
        tuple(row[d] for d in group_by): {name: int(row[name] or 0) for name in COUNTS}
        for row in rows
        if row["applications"]
    }
