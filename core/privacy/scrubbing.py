"""Emptying a learner's personal columns in place, idempotently, core's and plugins'.

Each declared personal column of each of the learner's rows becomes NULL where the column
allows it, else empty (``""``, or a JSON column's empty default). A few columns are scrubbed
instead of emptied, because their rows must stay readable: an eligibility check's snapshot of
the facts loses the birth date and the French level, and the learner's record keeps a label
in place of the names. Running it twice changes nothing the second time, which a restore
relies on when it replays the erasure log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import msgspec
from piccolo.columns import JSON
from piccolo.columns.base import Column
from piccolo.table import Table

from core.cohorts.tables import Cohort
from core.enrolment.tables import Enrolment
from core.learners.ages import age_band, under_26
from core.learners.tables import Learner
from core.plugin import PersonalColumn
from core.privacy.rows import RowIds

ERASED_NAME = "Personne effacée"
"""What an erased record reads as, wherever a name is shown."""
_LABELS = {("learner", "last_name"): ERASED_NAME, ("volunteer", "last_name"): ERASED_NAME}


def _scrubbed_facts(stored: str) -> str:
    """An eligibility snapshot without the birth date and the French level."""
    facts = msgspec.json.decode(stored) if stored else {}
    if isinstance(facts, dict):
        facts.update(birth_date=None, french_level=None)
    return msgspec.json.encode(facts).decode()


SCRUBBED: dict[tuple[str, str], Callable[[str], str]] = {
    ("eligibility_check", "facts"): _scrubbed_facts,
}
"""Columns rewritten row by row instead of emptied, so that their rows still read."""


def empty_value(column: Column) -> Any:
    """NULL where ``column`` allows it, else its empty form."""
    if column._meta.null:
        return None
    if isinstance(column, JSON):
        return column.default
    return ""


async def keep_coarse_attributes(learner_id: int, now: datetime) -> None:
    """Before the birth date goes: the age band on the record, and under-26 at each cohort's
    start on each enrolment, so that the reports count the person as before."""
    row = await Learner.select(Learner.birth_date).where(Learner.id == learner_id).first()
    born = row["birth_date"] if row else None
    if born is None:
        return
    await Learner.update({Learner.age_band: age_band(born, now.date())}).where(
        Learner.id == learner_id
    )
    enrolments = await Enrolment.select(Enrolment.id, Enrolment.cohort).where(
        Enrolment.learner == learner_id
    )
    starts = {
        row["id"]: row["starts_on"]
        for row in await Cohort.select(Cohort.id, Cohort.starts_on).where(
            Cohort.id.is_in(sorted({e["cohort"] for e in enrolments}) or [0])
        )
    }
    for enrolment in enrolments:
        await Enrolment.update(
            {Enrolment.under_26_kept: under_26(born, starts[enrolment["cohort"]])}
        ).where(Enrolment.id == enrolment["id"])


async def empty_personal_columns(
    tables: Iterable[type[Table]], declared: Iterable[PersonalColumn], ids: RowIds
) -> list[str]:
    """Empty every declared column of the rows in ``ids``; the names of the tables touched."""
    by_table: dict[str, list[str]] = defaultdict(list)
    for column in declared:
        by_table[column.table].append(column.column)
    touched = []
    for table in tables:
        name = table._meta.tablename
        if name not in ids or name not in by_table:
            continue
        columns = [table._meta.get_column_by_name(c) for c in by_table[name]]
        where = table._meta.primary_key.is_in(sorted(ids[name]))
        plain = {
            column: _LABELS.get((name, column._meta.name), empty_value(column))
            for column in columns
            if (name, column._meta.name) not in SCRUBBED
        }
        if plain:
            await table.update(plain).where(where)
        for column in columns:
            scrub = SCRUBBED.get((name, column._meta.name))
            if scrub is not None:
                await _scrub_rows(table, column, scrub, where)
        touched.append(name)
    return touched


async def _scrub_rows(
    table: type[Table], column: Column, scrub: Callable[[str], str], where: Any
) -> None:
    key = table._meta.primary_key
    for row in await table.select(key, column).where(where):
        await table.update({column: scrub(row[column._meta.name])}).where(key == row["id"])
