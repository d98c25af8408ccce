"""Bulk import of learners from a site's spreadsheet export (CSV or XLSX, ``core.sheets``).

Every row goes through what the API's ``POST /learners`` goes through: the ``LearnerCreate``
struct, the record rules (``service.new_record``) and the duplicate check, then an insert
audited as the system. A person the file itself lists twice is a duplicate too, caught in
the dry run already. Rows are written one transaction per batch: one query for the
duplicates, one insert for the learners and one for their audit entries
(``core.db.bulk``). Each row has an idempotency key (the file's ``import_key`` column, else a
hash of the row as it would be stored), unique per site: a row whose key is already
recorded (the site's keys are read once, at the start) is skipped, so running a file
twice, or again after an interrupted run, adds nothing twice; two imports into one site at
once cannot both write a key: the second's batch fails on the unique index, whole.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import msgspec

from core.audit import service as audit
from core.db.bulk import insert_numbered_rows, prefer_indexes
from core.errors import InvalidField
from core.import_checking import checked_batches
from core.imports import (
    KEY_COLUMN,
    ImportReport,
    RowError,
    header_errors,
    key_of,
    shape_error,
)
from core.learners.duplicates import PersonKeys, find_duplicates_of_many
from core.learners.rules import Sites, site_exists
from core.learners.schemas import DuplicateMatch, LearnerCreate, MatchCriterion
from core.learners.service import PossibleDuplicate, new_record
from core.learners.tables import Learner
from core.sheets import Row, Sheet

COLUMNS = (*(name for name in LearnerCreate.__struct_fields__ if name != "site"), KEY_COLUMN)
"""The columns a file may have, in any order; the site is given for the whole file."""
REQUIRED = ("first_name", "last_name", "gender")

_LIST_SEPARATORS = re.compile(r"[\s,;]+")


class Candidate(msgspec.Struct, kw_only=True):
    """A valid row: its columns as stored, its idempotency key, the keys duplicate
    detection compares."""

    line: int
    row: dict[str, Any]
    key: str
    confirm_new_person: bool
    person: PersonKeys


class FileIndex:
    """The idempotency keys already recorded for the site or read from the file, and who
    the file's rows record (by each duplicate criterion, the line that first did)."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self._people: dict[tuple[MatchCriterion, str], int] = {}

    def earlier(self, person: PersonKeys) -> tuple[int, MatchCriterion] | None:
        """The first line already recording ``person``, and on which criterion."""
        for criterion in person.criteria:
            if (line := self._people.get(criterion)) is not None:
                return line, criterion[0]
        return None

    def add(self, person: PersonKeys, line: int) -> None:
        """Remember that ``line`` records ``person``."""
        for criterion in person.criteria:
            self._people.setdefault(criterion, line)


def check_row(row: Row, site: str, sites: Sites, today: date) -> Candidate | RowError:
    """A row of the file as a candidate record, or the first thing wrong with it."""
    if row.problem:
        return RowError(line=row.line, field="-", message=row.problem)
    values: dict[str, Any] = {}
    for name, cell in row.cells.items():
        text = cell.strip()
        if text and name != KEY_COLUMN:
            values[name] = _LIST_SEPARATORS.split(text) if name == "languages" else text
    values["site"] = site
    try:
        data = msgspec.convert(values, LearnerCreate, strict=False)
        record = new_record(data, sites, today)
    except msgspec.ValidationError as exc:
        return shape_error(row.line, exc)
    except InvalidField as exc:
        return RowError(line=row.line, field=exc.field or "-", message=exc.detail)
    key = key_of(row, record)
    if isinstance(key, RowError):
        return key
    person = PersonKeys(
        name_key=record["name_key"],
        birth_date=record["birth_date"],
        phone_key=record["phone_key"],
        email=record["email"],
    )
    person.criteria  # noqa: B018 - computed here, in the checking thread
    return Candidate(
        line=row.line,
        row=record,
        key=key,
        confirm_new_person=data.confirm_new_person,
        person=person,
    )


class CheckedBatch(msgspec.Struct, kw_only=True):
    """A batch of rows, checked: the candidates, the errors, how many rows it held."""

    rows: int
    candidates: list[Candidate]
    errors: list[RowError]


def _checked(batch: list[Row], *, site: str, sites: Sites, today: date) -> CheckedBatch:
    checked = CheckedBatch(rows=len(batch), candidates=[], errors=[])
    for row in batch:
        result = check_row(row, site, sites, today)
        if isinstance(result, RowError):
            checked.errors.append(result)
        else:
            checked.candidates.append(result)
    return checked


async def _imported_keys(site: str) -> set[str]:
    """Every idempotency key the site's records carry, read once before the first batch."""
    rows = await Learner.select(Learner.import_key).where(
        Learner.site == site, Learner.import_key.is_not_null()
    )
    return {row["import_key"] for row in rows}


def _duplicate_error(
    candidate: Candidate, matches: list[DuplicateMatch], earlier: tuple[int, MatchCriterion] | None
) -> RowError:
    if matches:
        detail = str(PossibleDuplicate(matches))
    else:
        assert earlier is not None
        line, criterion = earlier
        detail = (
            f"line {line} of this file may be the same person ({criterion}); check with them, "
            "then set confirm_new_person to true to record a new person anyway"
        )
    return RowError(line=candidate.line, field="confirm_new_person", message=detail)


async def _accepted(
    candidates: list[Candidate], report: ImportReport, index: FileIndex
) -> list[tuple[Candidate, list[DuplicateMatch]]]:
    """The candidates to create, with the records they were confirmed despite; the others
    counted as skipped (key known) or reported (possible duplicate)."""
    fresh = []
    for candidate in candidates:
        if candidate.key in index.keys:
            report.skipped += 1
        else:
            index.keys.add(candidate.key)
            fresh.append(candidate)
    found = await find_duplicates_of_many([c.person for c in fresh]) if fresh else []
    accepted = []
    for candidate, matches in zip(fresh, found, strict=True):
        person = candidate.person
        earlier = index.earlier(person)
        if (matches or earlier) and not candidate.confirm_new_person:
            report.invalid.append(_duplicate_error(candidate, matches, earlier))
            continue
        index.add(person, candidate.line)
        accepted.append((candidate, matches))
    report.created += len(accepted)
    return accepted


async def _write(accepted: list[tuple[Candidate, list[DuplicateMatch]]], at: datetime) -> None:
    """Insert the batch's learners, then one audit entry each, naming the confirmed matches."""
    names = list(accepted[0][0].row)
    ids = await insert_numbered_rows(
        Learner,
        [*(getattr(Learner, name) for name in names), Learner.import_key, Learner.created_at],
        # Every record comes out of new_record with its columns in the same order.
        [(*c.row.values(), c.key, at) for c, _ in accepted],
    )
    await audit.record_many(
        audit.SYSTEM_ACTOR,
        "learner.imported",
        "learner",
        [
            (learner_id, {"confirmed_despite": [m.id for m in matches]} if matches else None)
            for learner_id, (_, matches) in zip(ids, accepted, strict=True)
        ],
        at=at,
    )


async def import_learners(
    path: Path,
    site: str,
    sites: Sites,
    *,
    at: datetime,
    dry_run: bool = False,
    batch_size: int = 500,
    progress: Callable[[int], None] = lambda rows: None,
) -> ImportReport:
    """Import the learners of a CSV or XLSX file into ``site``; a dry run writes nothing.

    Each batch of ``batch_size`` rows commits on its own; invalid rows are reported and
    left out. Raises InvalidField for an unknown site, SheetError for a file that cannot be
    read as a spreadsheet.
    """
    if not site_exists(site, sites):
        raise InvalidField(f"no site {site!r}", field="site")
    report = ImportReport()
    index = FileIndex()
    index.keys.update(await _imported_keys(site))
    with Sheet(path) as sheet:
        report.invalid.extend(header_errors(sheet.columns, COLUMNS, REQUIRED, "learner"))
    if report.invalid:
        return report
    check = functools.partial(_checked, site=site, sites=sites, today=at.date())
    async with checked_batches(path, check, batch_size) as checked_ones:
        async for checked in checked_ones:
            report.invalid.extend(checked.errors)
            if dry_run:
                await _accepted(checked.candidates, report, index)
            else:
                async with Learner._meta.db.transaction():
                    await prefer_indexes(Learner)
                    if accepted := await _accepted(checked.candidates, report, index):
                        await _write(accepted, at)
            progress(checked.rows)
    report.invalid.sort(key=lambda error: error.line)
    return report
