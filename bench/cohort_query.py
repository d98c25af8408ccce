"""cohort_query: the ORM path of a site manager's cohort list against hand-written SQL.

N synthetic cohorts spread over 50 sites are written with the driver's bulk path (sqlite3
``executemany``, asyncpg ``copy_records_to_table``), then ``core.cohorts.service.list_cohorts``
(Piccolo, through the engine ``make_engine`` builds, as the app uses it) and the same two
statements by hand on a persistent driver connection are called alternately, one site after
another, for a bounded number of iterations and seconds. Both build the same ``CohortRead``
page and total; the first call of each is checked against the others.

SQLite always; PostgreSQL when a server answers on 127.0.0.1:5432, in a database
``essaim_bench_<random>`` created for the run and dropped after it.
Ratio: ORM milliseconds per call divided by raw-driver milliseconds per call.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine

from bench.databases import pool_of, postgres_database, postgres_unreachable
from bench.results import BenchResult, Case
from core.auth.roles import Principal, Role
from core.cohorts.schemas import CohortRead
from core.cohorts.service import list_cohorts
from core.cohorts.tables import Cohort
from core.db.engine import make_engine
from core.db.migrate import migrate
from core.logging import configure_logging
from core.plugins import PluginHost, load_plugins
from core.settings import Settings

NAME = "cohort_query"
LIMIT = 50
SITES = tuple(f"site-{n:02d}" for n in range(50))
PROGRAMS = (("digital", ("web", "data")), ("digistart", ("a1", "a2")), ("digitous", ("dev",)))
COLUMNS = ("site", "program", "track", "title", "starts_on", "ends_on", "capacity", "created_at")

SELECT = (
    "SELECT id, site, program, track, title, starts_on, ends_on, capacity, status, room,"
    " lead_trainer, weekdays, day_starts, day_ends FROM cohort"
    " WHERE site = {0} AND site IN ({1}) ORDER BY starts_on DESC, id DESC LIMIT {2} OFFSET 0"
)
COUNT = "SELECT COUNT(*) FROM cohort WHERE site = {0} AND site IN ({1})"
SQLITE_SELECT, SQLITE_COUNT = SELECT.format("?", "?", "?"), COUNT.format("?", "?")
PG_SELECT, PG_COUNT = SELECT.format("$1", "$2", "$3"), COUNT.format("$1", "$2")

Page = tuple[list[CohortRead], int]
Variant = Callable[[str], Awaitable[Page]]


@dataclass(frozen=True, slots=True)
class Params:
    """How many rows, and how long the alternating calls go on."""

    rows: int
    warmup: int
    max_iterations: int
    max_seconds: float


SIZES = {
    "quick": Params(rows=5_000, warmup=10, max_iterations=2_000, max_seconds=2.0),
    "full": Params(rows=200_000, warmup=30, max_iterations=20_000, max_seconds=10.0),
}


def run(size: str) -> BenchResult:
    """Measure on SQLite, then on PostgreSQL when it answers."""
    params = SIZES[size]
    configure_logging("console", "warning")
    host = load_plugins()
    host.validate()
    rows = synthetic_rows(params.rows)
    cases: list[Case] = []
    table: list[list[str]] = []
    extras: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="essaim-bench-cohorts-") as tmp:
        case, row, extra = asyncio.run(_sqlite(Path(tmp), host, rows, params))
        cases.append(case)
        table.append(row)
        extras["sqlite"] = extra
    reason = asyncio.run(postgres_unreachable())
    if reason:
        skipped["postgresql"] = reason
    else:
        case, row, extra = asyncio.run(_postgres(host, rows, params))
        cases.append(case)
        table.append(row)
        extras["postgresql"] = extra
    return BenchResult(
        name=NAME,
        size=size,
        ratio_definition="ORM ms per call / raw-driver ms per call (mean)",
        cases=cases,
        headers=["database", "engine", "rows", "insert rows/s", "calls", "ORM ms", "raw ms",
                 "ratio", "other ms"],
        rows=table,
        parameters={**asdict(params), "sites": len(SITES), "limit": LIMIT, "engines": extras},
        skipped=skipped,
        notes=[
            "a call is one page of 50 cohorts and its total (two statements), with CohortRead",
            "'other ms' (SQLite): sync sqlite3 on a persistent connection / Piccolo's own "
            "SQLiteEngine, a new connection and thread per query",
        ],
    )  # fmt: skip


def synthetic_rows(count: int, seed: int = 2026) -> list[tuple[Any, ...]]:
    """``count`` cohorts over ``SITES``, starting within ten years, in ``COLUMNS`` order."""
    rng = random.Random(seed)
    first = date(2016, 1, 4)
    rows = []
    for n in range(count):
        program, tracks = PROGRAMS[n % len(PROGRAMS)]
        starts = first + timedelta(days=rng.randrange(3650))
        rows.append(
            (
                SITES[n % len(SITES)],
                program,
                rng.choice(tracks),
                f"Promotion {n}",
                starts,
                starts + timedelta(days=rng.randint(28, 200)),
                rng.randint(10, 20),
                datetime(starts.year, starts.month, starts.day, 9, tzinfo=UTC) - timedelta(days=30),
            )
        )
    return rows


def manager(site: str) -> Principal:
    """The manager of ``site`` alone."""
    return Principal(
        account_id=1, email="bench", display_name="bench", role=Role.SITE_MANAGER,
        sites=frozenset({site}),
    )  # fmt: skip


def _read(row: Sequence[Any]) -> CohortRead:
    return CohortRead(
        id=row[0], site=row[1], program=row[2], track=row[3], title=row[4],
        starts_on=row[5], ends_on=row[6], capacity=row[7], status=row[8], room=row[9],
        lead_trainer=row[10], weekdays=[int(day) for day in row[11].split()],
        day_starts=row[12], day_ends=row[13],
    )  # fmt: skip


def orm_variant(engine: Engine | None = None) -> Variant:
    """``list_cohorts`` as a site manager; on ``engine`` instead of the bound one if given."""
    principals = {site: manager(site) for site in SITES}

    async def call(site: str) -> Page:
        if engine is None:
            return await list_cohorts(principals[site], site=site, limit=LIMIT)
        bound = Cohort._meta.db
        Cohort._meta.db = engine
        try:
            return await list_cohorts(principals[site], site=site, limit=LIMIT)
        finally:
            Cohort._meta.db = bound

    return call


async def measure(variants: dict[str, Variant], params: Params) -> dict[str, list[float]]:
    """Warm up and check that every variant answers alike, then call them in turn.

    Each iteration calls every variant once for the same site, the next site the next time;
    the loop stops at ``max_iterations`` or ``max_seconds``. Returns seconds per call.
    """
    first = {name: await variant(SITES[0]) for name, variant in variants.items()}
    expected = next(iter(first.values()))
    for name, page in first.items():
        if page != expected:
            raise AssertionError(f"{name} answers differently from the first variant")
    if not expected[0]:
        raise AssertionError("the page is empty: the data did not load")
    for n in range(params.warmup):
        for variant in variants.values():
            await variant(SITES[n % len(SITES)])
    timings: dict[str, list[float]] = {name: [] for name in variants}
    started = time.perf_counter()
    for n in range(params.max_iterations):
        if time.perf_counter() - started > params.max_seconds:
            break
        site = SITES[n % len(SITES)]
        for name, variant in variants.items():
            before = time.perf_counter()
            await variant(site)
            timings[name].append(time.perf_counter() - before)
    return timings


def _ms(timings: list[float]) -> float:
    return round(statistics.fmean(timings) * 1000, 4)


def _case(
    database: str,
    driver: str,
    engine: Engine,
    rows: int,
    insert_s: float,
    timings: dict[str, list[float]],
    others: Sequence[str],
) -> tuple[Case, list[str], dict[str, Any]]:
    orm, raw = _ms(timings["orm"]), _ms(timings["raw"])
    figures = {"orm_ms_per_call": orm, "calls": len(timings["orm"])}
    figures |= {f"{name}_ms_per_call": _ms(timings[name]) for name in others}
    figures |= {"orm_p50_ms": round(statistics.median(timings["orm"]) * 1000, 4)}
    baseline = {
        "raw_ms_per_call": raw,
        "raw_p50_ms": round(statistics.median(timings["raw"]) * 1000, 4),
    }
    ratio = round(orm / raw, 3)
    row = [
        database, type(engine).__name__, f"{rows:,}", f"{rows / insert_s:,.0f}",
        f"{len(timings['orm']):,}", f"{orm:.3f}", f"{raw:.3f}", f"{ratio:.2f}",
        " / ".join(f"{_ms(timings[name]):.3f}" for name in others) or "-",
    ]  # fmt: skip
    extra = {"engine": type(engine).__name__, "bulk_insert_rows_per_s": round(rows / insert_s)}
    return Case(database, figures, f"hand-written SQL, {driver}", baseline, ratio), row, extra


def sqlite_bulk_insert(path: str, rows: list[tuple[Any, ...]]) -> float:
    """Insert ``rows`` with sqlite3 ``executemany`` in one transaction, then ANALYZE; seconds."""
    started = time.perf_counter()
    with contextlib.closing(sqlite3.connect(path)) as connection:
        with connection:
            connection.executemany(
                f"INSERT INTO cohort ({', '.join(COLUMNS)})"
                f" VALUES ({', '.join('?' * len(COLUMNS))})",
                rows,
            )
        elapsed = time.perf_counter() - started
        connection.execute("ANALYZE")
    return elapsed


async def _sqlite(
    root: Path, host: PluginHost, rows: list[tuple[Any, ...]], params: Params
) -> tuple[Case, list[str], dict[str, Any]]:
    settings = Settings(var_dir=root)
    path = str(settings.sqlite_path)
    engine = make_engine(settings)
    detect = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
    # The pool is closed even when something fails: an idle pooled connection's thread
    # would keep the interpreter from exiting.
    async with pool_of(engine):
        await migrate(engine, host)
        insert_s = sqlite_bulk_insert(path, rows)
        plain = SQLiteEngine(path=path)
        with contextlib.closing(sqlite3.connect(path, detect_types=detect)) as sync:
            async with aiosqlite.connect(path, detect_types=detect) as connection:

                async def raw(site: str) -> Page:
                    async with connection.execute(SQLITE_SELECT, (site, site, LIMIT)) as cursor:
                        page = [_read(row) for row in await cursor.fetchall()]
                    async with connection.execute(SQLITE_COUNT, (site, site)) as cursor:
                        total = (await cursor.fetchone())[0]
                    return page, total

                def sqlite3_sync(site: str) -> Page:
                    page = [_read(row) for row in sync.execute(SQLITE_SELECT, (site, site, LIMIT))]
                    return page, sync.execute(SQLITE_COUNT, (site, site)).fetchone()[0]

                async def sqlite3_blocking(site: str) -> Page:
                    return sqlite3_sync(site)

                variants = {
                    "orm": orm_variant(),
                    "raw": raw,
                    "sqlite3_sync": sqlite3_blocking,
                    "orm_piccolo_sqliteengine": orm_variant(plain),
                }
                timings = await measure(variants, params)
    others = ("sqlite3_sync", "orm_piccolo_sqliteengine")
    return _case(
        "sqlite", "aiosqlite, persistent connection", engine, len(rows), insert_s, timings, others
    )


async def _postgres(
    host: PluginHost, rows: list[tuple[Any, ...]], params: Params
) -> tuple[Case, list[str], dict[str, Any]]:
    async with postgres_database() as url:
        engine = make_engine(Settings(database_url=url))
        async with pool_of(engine):
            await migrate(engine, host)
            connection = await asyncpg.connect(url, timeout=5)
            try:
                started = time.perf_counter()
                await connection.copy_records_to_table("cohort", records=rows, columns=COLUMNS)
                insert_s = time.perf_counter() - started
                # As autovacuum leaves a table at rest: statistics and visibility map.
                await connection.execute("VACUUM ANALYZE cohort")

                async def raw(site: str) -> Page:
                    found = await connection.fetch(PG_SELECT, site, site, LIMIT)
                    return [_read(row) for row in found], await connection.fetchval(
                        PG_COUNT, site, site
                    )

                timings = await measure({"orm": orm_variant(), "raw": raw}, params)
            finally:
                await connection.close()
    return _case(
        "postgresql", "asyncpg, persistent connection", engine, len(rows), insert_s, timings, ()
    )
