"""Bulk import of learners from a CSV export of a site's spreadsheet.

Every row goes through what the API's ``POST /learners`` goes through: the ``LearnerCreate``
struct, the record rules (``service.new_record``) and the duplicate check, then an insert
audited as the system. Rows are written one transaction per batch, each with an idempotency
key (the file's ``import_key`` column, else a hash of the row as it would be stored), unique
per site: a row whose key is already recorded is skipped, so running a file twice, or again
after an interrupted run, adds nothing twice.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from core.audit import service as audit
from core.errors import InvalidField
from core.learners.duplicates import find_duplicates
from core.learners.rules import Sites, site_exists
from core.learners.schemas import LearnerCreate
from core.learners.service import PossibleDuplicate, new_record
from core.learners.tables import Learner

KEY_COLUMN = "import_key"
MAX_KEY_LENGTH = 64
COLUMNS = (*(name for name in LearnerCreate.__struct_fields__ if name != "site"), KEY_COLUMN)
"""The columns a file may have, in any order; the site is given for the whole file."""
REQUIRED = ("first_name", "last_name", "gender")
HEADER_LINE = 1

_MISSING = re.compile(r"missing required field `(\w+)`")
_AT = re.compile(r"^(.*) - at `\$\.(\w+)")
_LIST_SEPARATORS = re.compile(r"[\s,;]+")


class RowError(msgspec.Struct, frozen=True, kw_only=True):
    """Why one line of the file cannot be imported."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


class Candidate(msgspec.Struct, kw_only=True):
    """A valid row: its columns as stored, its idempotency key."""

    line: int
    row: dict[str, Any]
    key: str
    confirm_new_person: bool


class ImportReport(msgspec.Struct, kw_only=True):
    """What an import did (or, in a dry run, would do)."""

    created: int = 0
    skipped: int = 0
    invalid: list[RowError] = msgspec.field(default_factory=list)


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def _reader(handle: Any) -> csv.DictReader[str]:
    header = handle.readline()
    handle.seek(0)
    reader = csv.DictReader(handle, delimiter=_delimiter(header))
    if reader.fieldnames is not None:
        reader.fieldnames = [name.strip() for name in reader.fieldnames]
    return reader


def count_rows(path: Path) -> int:
    """The number of data rows in the file (for the progress bar)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in _reader(handle))


def header_errors(fieldnames: list[str] | None) -> list[RowError]:
    """Unknown, repeated or missing columns, reported on line 1."""
    names = list(fieldnames or [])
    errors = [
        RowError(line=HEADER_LINE, field=name or "(empty)", message="not a learner column")
        for name in names
        if name not in COLUMNS
    ]
    errors.extend(
        RowError(line=HEADER_LINE, field=name, message="column given twice")
        for name in sorted({n for n in names if names.count(n) > 1})
    )
    errors.extend(
        RowError(line=HEADER_LINE, field=name, message="required column missing")
        for name in REQUIRED
        if name not in names
    )
    return errors


def row_key(row: dict[str, Any]) -> str:
    """The hash of a row as it would be stored (site included): the same person typed the
    same way gives the same key."""
    return hashlib.sha256(msgspec.json.encode(row, order="sorted")).hexdigest()


def _shape_error(line: int, exc: msgspec.ValidationError) -> RowError:
    text = str(exc)
    if missing := _MISSING.search(text):
        return RowError(line=line, field=missing.group(1), message="required")
    if at := _AT.match(text):
        return RowError(line=line, field=at.group(2), message=at.group(1))
    return RowError(line=line, field="-", message=text)


def check_row(
    line: int, cells: dict[str, str], site: str, sites: Sites, today: Any
) -> Candidate | RowError:
    """A row of the file as a candidate record, or the first thing wrong with it."""
    values: dict[str, Any] = {}
    for name, cell in cells.items():
        if name is None or cell is None:
            return RowError(line=line, field="-", message="not as many cells as columns")
        text = cell.strip()
        if text and name != KEY_COLUMN:
            values[name] = _LIST_SEPARATORS.split(text) if name == "languages" else text
    values["site"] = site
    try:
        data = msgspec.convert(values, LearnerCreate, strict=False)
        row = new_record(data, sites, today)
    except msgspec.ValidationError as exc:
        return _shape_error(line, exc)
    except InvalidField as exc:
        return RowError(line=line, field=exc.field or "-", message=exc.detail)
    key = (cells.get(KEY_COLUMN) or "").strip() or row_key(row)
    if len(key) > MAX_KEY_LENGTH:
        return RowError(line=line, field=KEY_COLUMN, message=f"at most {MAX_KEY_LENGTH} characters")
    return Candidate(line=line, row=row, key=key, confirm_new_person=data.confirm_new_person)


def _batches(reader: csv.DictReader[str], size: int) -> Iterator[list[tuple[int, dict[str, str]]]]:
    batch: list[tuple[int, dict[str, str]]] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        batch.append((line, cells))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def _known_keys(site: str, keys: list[str]) -> set[str]:
    rows = await Learner.select(Learner.import_key).where(
        Learner.site == site, Learner.import_key.is_in(keys)
    )
    return {row["import_key"] for row in rows}


async def _run_batch(
    site: str,
    candidates: list[Candidate],
    report: ImportReport,
    seen: set[str],
    *,
    at: datetime,
    write: bool,
) -> None:
    known = await _known_keys(site, [c.key for c in candidates]) if candidates else set()
    for candidate in candidates:
        if candidate.key in known or candidate.key in seen:
            report.skipped += 1
            continue
        seen.add(candidate.key)
        row = candidate.row
        matches = await find_duplicates(
            first_name=row["first_name"],
            last_name=row["last_name"],
            birth_date=row["birth_date"],
            phone=row["phone"],
            email=row["email"],
        )
        if matches and not candidate.confirm_new_person:
            detail = str(PossibleDuplicate(matches))
            report.invalid.append(
                RowError(line=candidate.line, field="confirm_new_person", message=detail)
            )
            continue
        report.created += 1
        if not write:
            continue
        inserted = await Learner.insert(
            Learner(**row, import_key=candidate.key, created_at=at)
        ).returning(Learner.id)
        details = {"confirmed_despite": [m.id for m in matches]} if matches else None
        await audit.record(
            audit.SYSTEM_ACTOR,
            "learner.imported",
            "learner",
            inserted[0]["id"],
            at=at,
            details=details,
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
    """Import the learners of a CSV file into ``site``; a dry run writes nothing.

    Each batch of ``batch_size`` rows commits on its own; invalid rows are reported and
    left out. Raises InvalidField for an unknown site, UnicodeDecodeError for a file that is
    not UTF-8.
    """
    if not site_exists(site, sites):
        raise InvalidField(f"no site {site!r}", field="site")
    report = ImportReport()
    seen: set[str] = set()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = _reader(handle)
        report.invalid.extend(header_errors(reader.fieldnames))
        if report.invalid:
            return report
        for batch in _batches(reader, batch_size):
            candidates: list[Candidate] = []
            for line, cells in batch:
                checked = check_row(line, cells, site, sites, at.date())
                if isinstance(checked, RowError):
                    report.invalid.append(checked)
                else:
                    candidates.append(checked)
            if dry_run:
                await _run_batch(site, candidates, report, seen, at=at, write=False)
            else:
                async with Learner._meta.db.transaction():
                    await _run_batch(site, candidates, report, seen, at=at, write=True)
                # Keys of committed rows are found in the table from now on.
                seen.clear()
            progress(len(batch))
    report.invalid.sort(key=lambda error: error.line)
    return report
