"""The load benchmark's PostgreSQL dataset: cohorts with full rosters, admitted applications
waiting for a place, a site manager and their API token.

Essaim's migrations make the schema and its services make the account, the token and the
cohorts' report facts; the bulk rows go in by COPY (``bench.national``'s path). Every cohort
is seeded alike: ``ROSTER`` people enrolled, a few places left, then the waitlist. The cohorts
come in three equal groups, so that each side of a write starts from the same state: the
roster reads (both servers read them), Essaim's enrolments, the baseline's enrolments. Each
side gets its own admitted applications, one learner each, dealt to its cohorts in turn so
that consecutive requests lock different cohorts; their months spread over two years, so
that the funnel summary rows a write locks are spread too.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from core.auth import service as auth
from core.auth.roles import Role
from core.clock import SystemClock
from core.db.engine import connect
from core.db.migrate import migrate
from core.plugins import load_plugins
from core.reporting.enrolment_facts import refresh_cohorts
from core.reporting.facts import FILL_FUNNEL_MONTHS, local_month
from core.settings import Settings

SITES = {"paris": "Europe/Paris", "bordeaux": "Europe/Paris"}
PROGRAM = "digital"
TRACKS = ("beginner", "intermediate", "advanced")
ROSTER = 20
"""People enrolled in every cohort at the start: a roster read returns and audits them."""
CAPACITY = 24
MONTHS = 24
FACTS_SLICE = 50
"""Cohorts whose report facts are computed in one go after the copy."""
FIRST_MONTH = date(2025, 1, 1)
MANAGER = "responsable.bench@example.org"
PASSWORD = "bench password 2026"

Pair = tuple[int, int]
"""(cohort id, application id): one enrolment request."""


@dataclass(frozen=True, slots=True)
class Dataset:
    """What the load needs: the token, the cohorts to read, each side's enrolment requests."""

    account_id: int
    token: str
    read_cohorts: list[int]
    essaim_pairs: list[Pair]
    bare_pairs: list[Pair]
    rows: dict[str, int]


@dataclass(frozen=True, slots=True)
class _Cohort:
    id: int
    site: str
    track: str


class _Rows:
    """The rows to copy, table by table, with ids handed out in order."""

    def __init__(self, account_id: int) -> None:
        self.account_id = account_id
        self.tables: dict[str, list[tuple[Any, ...]]] = {
            "learner": [],
            "application": [],
            "application_event": [],
            "report_application": [],
            "enrolment": [],
        }

    def application(self, cohort: _Cohort, n: int, *, enrolled: bool) -> int:
        """A learner and their admitted application (enrolled in ``cohort`` if asked)."""
        learner = len(self.tables["learner"]) + 1
        application = len(self.tables["application"]) + 1
        created = datetime.combine(
            _month_start(n % MONTHS), datetime.min.time(), tzinfo=UTC
        ) + timedelta(days=n % 27, hours=9)
        self.tables["learner"].append(
            (
                learner,
                cohort.site,
                f"Prénom{learner}",
                f"Nom{learner}",
                f"nom{learner} prenom{learner}",
                date(1970 + learner % 35, 1 + learner % 12, 1 + learner % 28),
                "female" if learner % 2 else "male",
                learner % 3 == 0,
            )
        )
        status = "enrolled" if enrolled else "admitted"
        self.tables["application"].append(
            (
                application,
                learner,
                cohort.site,
                PROGRAM,
                cohort.track,
                cohort.id if enrolled else None,
                status,
                True,
                self.account_id,
                created,
                created,
            )
        )
        self.tables["application_event"].append(
            (application, "screening", status, self.account_id, created, "")
        )
        month = local_month(created, SITES[cohort.site])
        self.tables["report_application"].append(
            (application, cohort.site, PROGRAM, cohort.track, cohort.id if enrolled else None,
             month, True, True, enrolled)
        )  # fmt: skip
        if enrolled:
            self.tables["enrolment"].append(
                (cohort.id, learner, application, "enrolled", "", created, created)
            )
        return application


COLUMNS = {
    "cohort": ("id", "site", "program", "track", "title", "starts_on", "ends_on", "capacity",
               "status", "weekdays"),
    "learner": ("id", "site", "first_name", "last_name", "name_key", "birth_date", "gender",
                "qpv_resident"),
    "application": ("id", "learner", "site", "program", "track", "cohort", "status", "eligible",
                    "created_by", "created_at", "updated_at"),
    "application_event": ("application", "from_status", "to_status", "actor", "at", "reason"),
    "report_application": ("application", "site", "program", "track", "cohort", "month",
                           "eligible", "admitted", "enrolled"),
    "enrolment": ("cohort", "learner", "application", "status", "reason", "created_at",
                  "updated_at"),
}  # fmt: skip


def _month_start(index: int) -> date:
    year, month = divmod(FIRST_MONTH.month - 1 + index, 12)
    return date(FIRST_MONTH.year + year, month + 1, 1)


def _cohorts(count: int) -> Iterator[_Cohort]:
    sites, tracks = itertools.cycle(SITES), itertools.cycle(TRACKS)
    for n in range(1, count + 1):
        yield _Cohort(n, next(sites), next(tracks))


def _cohort_row(cohort: _Cohort) -> tuple[Any, ...]:
    starts = date(2027, 1, 4) + timedelta(days=7 * (cohort.id % 20))
    return (
        cohort.id,
        cohort.site,
        PROGRAM,
        cohort.track,
        f"{PROGRAM} {cohort.track} {cohort.id}",
        starts,
        starts + timedelta(days=60),
        CAPACITY,
        "open",
        "",
    )


def _dealt(rows: _Rows, cohorts: list[_Cohort], count: int) -> list[Pair]:
    """``count`` admitted applications, dealt to ``cohorts`` in turn."""
    pairs = []
    for n in range(count):
        cohort = cohorts[n % len(cohorts)]
        pairs.append((cohort.id, rows.application(cohort, n, enrolled=False)))
    return pairs


async def build(url: str, var_dir: Path, cohorts_per_group: int, pairs_per_side: int) -> Dataset:
    """Migrate the empty database at ``url`` and fill it; return what the load needs."""
    host = load_plugins()
    settings = Settings(database_url=url, var_dir=var_dir)
    async with connect(settings, host) as engine:
        await migrate(engine, host)
        account_id = await auth.create_account(
            email=MANAGER,
            password=PASSWORD,
            display_name="Bench",
            role=Role.SITE_MANAGER,
            sites=SITES,
            known_sites=SITES,
        )
        _, token = await auth.issue_api_token(account_id, "bench", SystemClock())
    every = list(_cohorts(3 * cohorts_per_group))
    groups = [every[n::3] for n in range(3)]
    rows = _Rows(account_id)
    for n, cohort in enumerate(every):
        for k in range(ROSTER):
            rows.application(cohort, n * ROSTER + k, enrolled=True)
    essaim_pairs = _dealt(rows, groups[1], pairs_per_side)
    bare_pairs = _dealt(rows, groups[2], pairs_per_side)
    tables = {"cohort": [_cohort_row(cohort) for cohort in every], **rows.tables}
    connection = await asyncpg.connect(url, timeout=10)
    try:
        for table, records in tables.items():
            await connection.copy_records_to_table(table, records=records, columns=COLUMNS[table])
        await connection.execute(FILL_FUNNEL_MONTHS)
        for table in ("cohort", "learner", "application", "enrolment"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    finally:
        await connection.close()
    # The written cohorts' report facts, as Essaim keeps them; nothing in the run reads or
    # writes those of the cohorts only read. In slices, under PostgreSQL's 32,767 parameters.
    written = groups[1] + groups[2]
    async with connect(settings, host) as engine:
        for first in range(0, len(written), FACTS_SLICE):
            async with engine.transaction():
                await refresh_cohorts(c.id for c in written[first : first + FACTS_SLICE])
    connection = await asyncpg.connect(url, timeout=10)
    try:
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return Dataset(
        account_id=account_id,
        token=token,
        read_cohorts=[cohort.id for cohort in groups[0]],
        essaim_pairs=essaim_pairs,
        bare_pairs=bare_pairs,
        rows={table: len(records) for table, records in tables.items()},
    )
