"""What every bulk import shares: its report, row errors, columns, keys and batches.

An import reads a spreadsheet (``core.sheets``), checks each row, and writes one transaction
per batch. Each row carries an idempotency key, the file's ``import_key`` cell or a hash of
the row as it would be stored, unique per site, so that running a file twice adds nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import msgspec

from core.sheets import HEADER_LINE, Row

KEY_COLUMN = "import_key"
MAX_KEY_LENGTH = 64

_MISSING = re.compile(r"missing required field `(\w+)`")
_AT = re.compile(r"^(.*) - at `\$\.(\w+)")


class RowError(msgspec.Struct, frozen=True, kw_only=True):
    """Why one line of the file cannot be imported."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


class ImportReport(msgspec.Struct, kw_only=True):
    """What an import did (or, in a dry run, would do)."""

    created: int = 0
    skipped: int = 0
    invalid: list[RowError] = msgspec.field(default_factory=list)

    def summary(self, *, dry_run: bool) -> str:
        """``C created, S skipped, I invalid`` (``C to create`` in a dry run)."""
        verb = "to create" if dry_run else "created"
        return f"{self.created} {verb}, {self.skipped} skipped, {len(self.invalid)} invalid"


def header_errors(
    columns: Sequence[str], allowed: Sequence[str], required: Sequence[str], what: str
) -> list[RowError]:
    """Unknown, repeated or missing columns, reported on line 1; ``what`` names the kind
    of row (``learner``)."""
    errors = [
        RowError(line=HEADER_LINE, field=name or "(empty)", message=f"not a{_n(what)} column")
        for name in columns
        if name not in allowed
    ]
    errors.extend(
        RowError(line=HEADER_LINE, field=name, message="column given twice")
        for name in sorted({n for n in columns if columns.count(n) > 1})
    )
    errors.extend(
        RowError(line=HEADER_LINE, field=name, message="required column missing")
        for name in required
        if name not in columns
    )
    return errors


def _n(word: str) -> str:
    return f"n {word}" if word[:1] in "aeiou" else f" {word}"


def shape_error(line: int, exc: msgspec.ValidationError) -> RowError:
    """A msgspec error on a row's cells as the field it names and what is wrong."""
    text = str(exc)
    if missing := _MISSING.search(text):
        return RowError(line=line, field=missing.group(1), message="required")
    if at := _AT.match(text):
        return RowError(line=line, field=at.group(2), message=at.group(1))
    return RowError(line=line, field="-", message=text)


def row_key(values: Mapping[str, Any]) -> str:
    """The hash of a row as it would be stored: the same row typed the same way gives the
    same key."""
    return hashlib.sha256(msgspec.json.encode(values, order="sorted")).hexdigest()


def key_of(row: Row, stored: Mapping[str, Any]) -> str | RowError:
    """The row's idempotency key: its ``import_key`` cell, else the hash of ``stored``."""
    key = row.cells.get(KEY_COLUMN, "").strip() or row_key(stored)
    if len(key) > MAX_KEY_LENGTH:
        return RowError(
            line=row.line, field=KEY_COLUMN, message=f"at most {MAX_KEY_LENGTH} characters"
        )
    return key


def batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    """``rows`` in lists of ``size`` (the last one shorter)."""
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
