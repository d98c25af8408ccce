"""import: ``essaim import learners``' code path against a raw executemany of the same rows.

A CSV file of N distinct, valid people (accented names, phones, e-mails, languages, French
levels, audience attributes) is imported by ``core.learners.importing.import_learners``,
the function the command calls: parsing, validation, the record rules, duplicate checks
against the table and within the file, idempotency keys, inserts and audit entries, one
transaction per batch of 500. Then the learner rows it stored are read back and written into
a second, freshly migrated database with the driver's ``executemany`` (sqlite3; asyncpg), in
the same batches, one transaction each; both tables must then hold the same rows.

SQLite always; PostgreSQL when a server answers on 127.0.0.1:5432, in databases
``essaim_bench_<random>`` created for the run and dropped after it.
Ratio: import seconds divided by raw executemany seconds, each the best of the repeats (full
size: two runs of each, on fresh databases).
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from bench.databases import postgres_database, postgres_unreachable
from bench.results import BenchResult, Case
from core.db.engine import connect
from core.db.migrate import migrate
from core.learners.importing import ImportReport, import_learners
from core.learners.schemas import EmploymentStatus, LevelMethod, Qualification
from core.logging import configure_logging
from core.plugins import PluginHost, load_plugins
from core.settings import Settings
from core.sites.loader import SiteRegistry, load_sites

NAME = "import"
SITE = "paris"
BATCH = 500
AT = datetime(2026, 9, 1, 8, tzinfo=UTC)
HEADER = (
    "first_name", "last_name", "gender", "birth_date", "phone", "email", "languages",
    "french_level", "french_level_method", "french_level_assessed_on", "employment_status",
    "highest_qualification",
)  # fmt: skip
FIRST_NAMES = ("Awa", "Karim", "Élodie", "Mohammed", "Fatoumata", "Léa", "Oumar",
               "Zeynep", "Anaïs", "Ibrahim", "Chloé", "Youssef", "Aïcha", "Théo")  # fmt: skip
LAST_NAMES = ("Diallo", "Benali", "Martin", "N'Diaye", "Traoré", "Lefèvre", "Haddad",
              "Nguyen", "Kaya", "Dubois", "Camara", "Rousseau", "Cissé")  # fmt: skip
LANGUAGES = ("fr", "fr en", "ar fr", "wo fr", "ps", "ti ar", "fa", "uk ru")
LEVELS = ("A1", "A2", "B1", "B2", "C1")
METHODS = tuple(LevelMethod)
EMPLOYMENT = tuple(EmploymentStatus)
QUALIFICATIONS = tuple(Qualification)


@dataclass(frozen=True, slots=True)
class Params:
    """How many people the file holds; how many times each side runs (the best counts)."""

    rows: int
    repeats: int


SIZES = {"quick": Params(rows=10_000, repeats=1), "full": Params(rows=100_000, repeats=2)}


def write_people(path: Path, count: int, seed: int = 2026) -> None:
    """``count`` distinct valid people as a French Excel CSV export (semicolons)."""
    rng = random.Random(seed)
    born = date(1960, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for n in range(count):
            level = rng.choice(LEVELS)
            writer.writerow(
                (
                    f"{rng.choice(FIRST_NAMES)} {n}",
                    rng.choice(LAST_NAMES),
                    rng.choice(("female", "male")),
                    (born + timedelta(days=rng.randrange(15_000))).isoformat(),
                    f"06 {n // 1_000_000:02d} {n // 10_000 % 100:02d} {n // 100 % 100:02d} "
                    f"{n % 100:02d}",
                    f"personne{n}@exemple.fr",
                    rng.choice(LANGUAGES),
                    level,
                    rng.choice(METHODS),
                    "2026-06-15",
                    rng.choice(EMPLOYMENT),
                    rng.choice(QUALIFICATIONS),
                )
            )


def run(size: str) -> BenchResult:
    """Measure on SQLite, then on PostgreSQL when it answers."""
    params = SIZES[size]
    configure_logging("console", "warning")
    host = load_plugins()
    host.validate()
    sites = load_sites(Path(__file__).resolve().parent.parent / "sites", host)
    cases: list[Case] = []
    table: list[list[str]] = []
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="essaim-bench-import-") as tmp:
        root = Path(tmp)
        file = root / "inscrits.csv"
        write_people(file, params.rows)
        case, row = asyncio.run(_sqlite(root, file, host, sites, params))
        cases.append(case)
        table.append(row)
        reason = asyncio.run(postgres_unreachable())
        if reason:
            skipped["postgresql"] = reason
        else:
            case, row = asyncio.run(_postgres(file, host, sites, params))
            cases.append(case)
            table.append(row)
    return BenchResult(
        name=NAME,
        size=size,
        ratio_definition=(
            "best import seconds / best raw executemany seconds (same rows, same engine)"
        ),
        cases=cases,
        headers=["database", "rows", "import s", "import rows/s", "raw s", "raw rows/s",
                 "ratio"],
        rows=table,
        parameters={**asdict(params), "batch": BATCH, "site": SITE},
        skipped=skipped,
        notes=[
            "import: parsing, validation, record rules, duplicate checks (table and file), "
            "keys, learner and audit inserts; raw: the stored learner rows, executemany only",
        ],
    )  # fmt: skip


async def _import(settings: Settings, host: PluginHost, sites: SiteRegistry, file: Path) -> float:
    """Migrate, then import ``file`` as ``essaim import learners`` does; seconds."""
    async with connect(settings, host) as engine:
        await migrate(engine, host)
        started = time.perf_counter()
        report: ImportReport = await import_learners(file, SITE, sites, at=AT, batch_size=BATCH)
        elapsed = time.perf_counter() - started
    if report.invalid or report.skipped:
        raise AssertionError(f"the import refused rows: {report.invalid[:3]}")
    return elapsed


async def _migrated(settings: Settings, host: PluginHost) -> None:
    async with connect(settings, host) as engine:
        await migrate(engine, host)


def _case(
    database: str, driver: str, rows: int, import_s: float, raw_s: float
) -> tuple[Case, list[str]]:
    ratio = round(import_s / raw_s, 3)
    figures = {"rows": rows, "seconds": round(import_s, 3), "rows_per_s": round(rows / import_s)}
    baseline = {"seconds": round(raw_s, 3), "rows_per_s": round(rows / raw_s)}
    row = [database, f"{rows:,}", f"{import_s:.2f}", f"{rows / import_s:,.0f}", f"{raw_s:.2f}",
           f"{rows / raw_s:,.0f}", f"{ratio:.2f}"]  # fmt: skip
    return Case(database, figures, f"executemany, {driver}", baseline, ratio), row


def _same_rows(imported: list[Any], copied: list[Any]) -> None:
    if len(imported) != len(copied) or any(
        tuple(a) != tuple(b) for a, b in zip(imported, copied, strict=True)
    ):
        raise AssertionError("the raw executemany did not store the rows the import stored")


async def _sqlite_once(
    root: Path, file: Path, host: PluginHost, sites: SiteRegistry
) -> tuple[float, float]:
    """Import into one fresh database, copy its rows into another; both times in seconds."""
    imported, copied = Settings(var_dir=root / "import"), Settings(var_dir=root / "raw")
    for settings in (imported, copied):
        settings.var_dir.mkdir(parents=True)
    import_s = await _import(imported, host, sites, file)
    await _migrated(copied, host)
    with (
        contextlib.closing(sqlite3.connect(imported.sqlite_path)) as source,
        contextlib.closing(sqlite3.connect(copied.sqlite_path)) as target,
    ):
        columns = [r[1] for r in source.execute("PRAGMA table_info(learner)") if r[1] != "id"]
        select = f"SELECT {', '.join(columns)} FROM learner ORDER BY id"
        stored = source.execute(select).fetchall()
        insert = (
            f"INSERT INTO learner ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        )
        started = time.perf_counter()
        for first in range(0, len(stored), BATCH):
            with target:
                target.executemany(insert, stored[first : first + BATCH])
        raw_s = time.perf_counter() - started
        _same_rows(stored, target.execute(select).fetchall())
    shutil.rmtree(root)
    return import_s, raw_s


async def _postgres_once(file: Path, host: PluginHost, sites: SiteRegistry) -> tuple[float, float]:
    """The same on two fresh PostgreSQL databases, dropped after."""
    async with postgres_database() as imported_url, postgres_database() as copied_url:
        import_s = await _import(Settings(database_url=imported_url), host, sites, file)
        await _migrated(Settings(database_url=copied_url), host)
        source = await asyncpg.connect(imported_url, timeout=5)
        target = await asyncpg.connect(copied_url, timeout=5)
        try:
            described = await source.fetch(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'learner'"
                " AND column_name <> 'id' ORDER BY ordinal_position"
            )
            columns = [r["column_name"] for r in described]
            select = f"SELECT {', '.join(columns)} FROM learner ORDER BY id"
            stored = await source.fetch(select)
            marks = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
            insert = f"INSERT INTO learner ({', '.join(columns)}) VALUES ({marks})"
            started = time.perf_counter()
            for first in range(0, len(stored), BATCH):
                async with target.transaction():
                    await target.executemany(insert, stored[first : first + BATCH])
            raw_s = time.perf_counter() - started
            _same_rows(stored, await target.fetch(select))
        finally:
            await source.close()
            await target.close()
    return import_s, raw_s


async def _best_of(
    repeats: int, once: Callable[[int], Awaitable[tuple[float, float]]]
) -> tuple[float, float]:
    """The best import time and the best raw time over ``repeats`` runs, each on fresh
    databases: a neighbour's load on this shared machine slows one run, not the figure."""
    runs = [await once(attempt) for attempt in range(repeats)]
    return min(run[0] for run in runs), min(run[1] for run in runs)


async def _sqlite(
    root: Path, file: Path, host: PluginHost, sites: SiteRegistry, params: Params
) -> tuple[Case, list[str]]:
    import_s, raw_s = await _best_of(
        params.repeats, lambda n: _sqlite_once(root / f"run-{n}", file, host, sites)
    )
    return _case("sqlite", "sqlite3", params.rows, import_s, raw_s)


async def _postgres(
    file: Path, host: PluginHost, sites: SiteRegistry, params: Params
) -> tuple[Case, list[str]]:
    import_s, raw_s = await _best_of(params.repeats, lambda n: _postgres_once(file, host, sites))
    return _case("postgresql", "asyncpg", params.rows, import_s, raw_s)
