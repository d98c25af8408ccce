"""funnel: the central team's cross-site funnel by site, program and month, at national scale,
against a hand-written SQL query over the raw records.

``bench.national`` fills a fresh PostgreSQL database by COPY (full size: 1 M people, 1.5 M
applications, 1 M enrolments, 20 M attendance marks over 50 sites and 10 years). Essaim's side
is ``core.reporting.service.funnel``, the function ``GET /api/v1/reports/funnel`` calls, as a
central viewer: scope, the fixed groupings and secondary suppression included. The baseline is
one hand-written query over the raw tables (applications, their events, enrolments and
completions, months in each site's zone) computing the same counts. Before timing, the exact
report (as an admin) must equal the baseline's numbers, and every count the central view
publishes must equal them too.

PostgreSQL only (the dataset's home, DESIGN.md); skipped with a message when no server
answers on 127.0.0.1:5432. Ratio: best service seconds / best hand-written query seconds.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg

from bench.databases import postgres_database, postgres_unreachable
from bench.national import Scale, generate, site_zones
from bench.results import BenchResult, Case
from core.auth import service as auth
from core.auth.roles import Principal, Role
from core.db.engine import connect
from core.db.migrate import migrate
from core.logging import configure_logging
from core.plugins import load_plugins
from core.reporting.aggregates import ReportFilters
from core.reporting.indicator_sets import FUNNEL
from core.reporting.service import FINEST, report
from core.settings import Settings

NAME = "funnel"


@dataclass(frozen=True, slots=True)
class Params:
    """The dataset's scale, whether attendance marks are generated, and the repeats."""

    scale: Scale
    marks: bool
    repeats: int


SIZES = {
    "quick": Params(
        Scale(people=2_000, applications=3_000, sites=6, months=12), marks=True, repeats=3
    ),
    "full": Params(Scale(people=1_000_000, applications=1_500_000), marks=True, repeats=5),
}

CENTRAL = Principal(account_id=0, email="", display_name="bench", role=Role.CENTRAL_VIEWER)
TODAY = date(2026, 12, 31)
ADMIN = Principal(account_id=0, email="", display_name="bench", role=Role.ADMIN)


def hand_written_query(zones: dict[str, str]) -> str:
    """The funnel by site, program and local month, straight from the raw records."""
    values = ", ".join(f"('{site}', '{zone}')" for site, zone in zones.items())
    milestones = ", ".join(
        f"bool_or(to_status = '{status}') AS {status}"
        for status in ("admitted", "waitlisted", "enrolled", "withdrawn")
    )
    return f"""
        WITH zone(site, name) AS (VALUES {values}),
        reached AS (
            SELECT application, {milestones} FROM application_event GROUP BY application
        ),
        completed AS (
            SELECT DISTINCT n.application FROM enrolment n
            JOIN completion c ON c.enrolment = n.id WHERE c.completed
        ),
        certified AS (
            SELECT DISTINCT n.application FROM enrolment n
            JOIN digital_certificate c ON c.enrolment = n.id
        )
        SELECT a.site, a.program,
               to_char(a.created_at AT TIME ZONE zone.name, 'YYYY-MM') AS month,
               count(*) AS applications,
               count(*) FILTER (WHERE a.eligible) AS eligible,
               count(*) FILTER (WHERE r.admitted) AS admitted,
               count(*) FILTER (WHERE r.waitlisted) AS waitlisted,
               count(*) FILTER (WHERE r.enrolled) AS enrolled,
               count(*) FILTER (WHERE r.withdrawn) AS withdrawn,
               count(c.application) AS completed,
               count(k.application) AS certified
        FROM application a
        JOIN zone ON zone.site = a.site
        LEFT JOIN reached r ON r.application = a.id
        LEFT JOIN completed c ON c.application = a.id
        LEFT JOIN certified k ON k.application = a.id
        GROUP BY 1, 2, 3
    """


async def _best(repeats: int, work: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = await work()
        best = min(best, time.perf_counter() - started)
    return best, result


def _check(exact: dict[tuple[Any, ...], dict[str, int]], central: Any, raw: list[Any]) -> int:
    """Raise unless the exact report and the central view's published counts equal the
    hand-written query's; return the number of hidden cells of the central view."""
    expected = {
        (r["site"], r["program"], r["month"]): {n: r[n] for n in FUNNEL.counts} for r in raw
    }
    if exact != expected:
        missing = set(expected) ^ set(exact)
        raise AssertionError(
            f"the report differs from the raw records (groups {list(missing)[:3]})"
        )
    hidden = 0
    for row in central.rows:
        key = (row.group["site"], row.group["program"], row.group["month"])
        for name, cell in row.counts.items():
            if cell.value is None:
                hidden += 1
            elif cell.value != expected[key][name]:
                raise AssertionError(f"the central view publishes a wrong {name} for {key}")
    return hidden


async def _measure(params: Params) -> tuple[dict[str, Any], dict[str, int]]:
    host = load_plugins()
    zones = site_zones(params.scale.sites)
    async with postgres_database() as url:
        settings = Settings(database_url=url, var_dir=Path(tempfile.mkdtemp()))
        async with connect(settings, host) as engine:
            await migrate(engine, host)
            account = await auth.create_account(
                email="bench@example.org",
                password="bench password 2026",
                display_name="bench",
                role=Role.ADMIN,
            )
        started = time.perf_counter()
        counts = await generate(url, params.scale, account, marks=params.marks)
        generate_s = time.perf_counter() - started
        raw_connection = await asyncpg.connect(url, timeout=10)
        try:
            query = hand_written_query(zones)
            raw_s, raw = await _best(params.repeats, lambda: raw_connection.fetch(query))
        finally:
            await raw_connection.close()
        async with connect(settings, host):
            filters = ReportFilters()
            exact_report = await report(ADMIN, FUNNEL, filters, FINEST, today=TODAY)
            exact = {
                (r.group["site"], r.group["program"], r.group["month"]): {
                    name: cell.value for name, cell in r.counts.items()
                }
                for r in exact_report.rows
            }
            service_s, central = await _best(
                params.repeats, lambda: report(CENTRAL, FUNNEL, filters, FINEST, today=TODAY)
            )
        hidden = _check(exact, central, raw)
    figures = {
        "generate_s": generate_s,
        "service_s": service_s,
        "raw_s": raw_s,
        "groups": len(raw),
        "hidden_cells": hidden,
    }
    return figures, counts


def run(size: str) -> BenchResult:
    """Generate the dataset, check the numbers, time the service and the raw query."""
    configure_logging(level="WARNING")
    params = SIZES[size]
    unreachable = asyncio.run(postgres_unreachable())
    result = BenchResult(
        name=NAME,
        size=size,
        ratio_definition="funnel service seconds (central view, suppressed) / hand-written "
        "SQL seconds over the raw records (best of repeats each)",
        cases=[],
        headers=["database", "applications", "groups", "service s", "raw SQL s", "ratio"],
        rows=[],
        parameters={
            "people": params.scale.people,
            "applications": params.scale.applications,
            "sites": params.scale.sites,
            "months": params.scale.months,
            "repeats": params.repeats,
        },
    )
    if unreachable:
        result.skipped["postgresql"] = unreachable
        return result
    figures, counts = asyncio.run(_measure(params))
    ratio = round(figures["service_s"] / figures["raw_s"], 3)
    result.parameters["rows"] = counts
    result.cases.append(
        Case(
            "postgresql",
            {
                "seconds": round(figures["service_s"], 4),
                "groups": figures["groups"],
                "hidden_cells": figures["hidden_cells"],
            },
            "hand-written SQL over the raw records",
            {"seconds": round(figures["raw_s"], 4)},
            ratio,
        )
    )
    result.rows.append(
        [
            "postgresql",
            f"{params.scale.applications:,}",
            f"{figures['groups']:,}",
            f"{figures['service_s']:.3f}",
            f"{figures['raw_s']:.3f}",
            f"{ratio:.2f}",
        ]
    )
    result.notes.append(
        f"generated by COPY in {figures['generate_s']:.1f} s: "
        + ", ".join(f"{table} {n:,}" for table, n in counts.items())
    )
    result.notes.append(
        "checked first: the exact report equals the hand-written query, group by group, and "
        f"the central view publishes the same numbers where it does not hide them "
        f"({figures['hidden_cells']:,} cells hidden)"
    )
    return result
