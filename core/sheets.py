"""The rows of a spreadsheet export, CSV or XLSX, as text cells under their column names.

Sites keep their lists in spreadsheets; an import reads either kind the same way: a header
line, then one row per line, each cell as the text a person would see. CSV files are UTF-8
(with or without the BOM Excel writes), separated by commas or semicolons (the French
Excel's default); an XLSX workbook is read from its first sheet, in read-only mode so that
a large one streams. Blank lines are skipped; line numbers are those a spreadsheet shows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl

HEADER_LINE = 1
XLSX_SUFFIXES = (".xlsx", ".xlsm")


class SheetError(ValueError):
    """The file cannot be read as a spreadsheet at all (not UTF-8, not a workbook)."""


class Row(NamedTuple):
    """A line of the file: its number, its cells by column name, or what is wrong with its
    shape (more or fewer cells than columns), in which case ``cells`` is empty."""

    line: int
    cells: dict[str, str]
    problem: str = ""


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a person sees: a date as 2026-09-01, 12.0 as 12."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Sheet:
    """An open export: ``columns`` (stripped header names) and ``rows()``, read once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._xlsx = path.suffix.lower() in XLSX_SUFFIXES
        self._handle: Any = None
        self._workbook: Any = None
        self.columns: list[str] = []
        self._rows: Iterator[Row] = iter(())

    def __enter__(self) -> Sheet:
        try:
            if self._xlsx:
                self._open_workbook()
            else:
                self._open_csv()
        except Exception:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the file; safe to call twice."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None

    def rows(self) -> Iterator[Row]:
        """Every non-blank row after the header, with its line number."""
        return self._rows

    def _open_csv(self) -> None:
        self._handle = self.path.open(encoding="utf-8-sig", newline="")
        try:
            header = self._handle.readline()
        except UnicodeDecodeError as exc:
            raise SheetError(f"{self.path.name} is not UTF-8 text ({exc.reason})") from None
        self._handle.seek(0)
        reader = csv.reader(self._handle, delimiter=_delimiter(header))
        self.columns = [name.strip() for name in next(reader, [])]
        self._rows = self._csv_rows(reader)

    def _csv_rows(self, reader: Any) -> Iterator[Row]:
        width = len(self.columns)
        try:
            for cells in reader:
                if not any(cell.strip() for cell in cells):
                    continue
                line = reader.line_num
                if len(cells) != width:
                    yield Row(line, {}, f"{len(cells)} cells for {width} columns")
                    continue
                yield Row(line, dict(zip(self.columns, cells, strict=True)))
        except UnicodeDecodeError as exc:
            raise SheetError(f"{self.path.name} is not UTF-8 text ({exc.reason})") from None

    def _open_workbook(self) -> None:
        try:
            self._workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises zipfile, KeyError or its own errors
            raise SheetError(f"{self.path.name} is not an XLSX workbook ({exc})") from None
        sheet = self._workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = next(values, ())
        self.columns = [_cell_text(value).strip() for value in header]
        while self.columns and not self.columns[-1]:
            self.columns.pop()
        self._rows = self._workbook_rows(values)

    def _workbook_rows(self, values: Iterator[tuple[Any, ...]]) -> Iterator[Row]:
        width = len(self.columns)
        for line, cells in enumerate(values, start=HEADER_LINE + 1):
            texts = [_cell_text(value) for value in cells]
            if not any(text.strip() for text in texts):
                continue
            if any(text.strip() for text in texts[width:]):
                yield Row(line, {}, f"cells beyond the {width} named columns")
                continue
            texts += [""] * (width - len(texts))
            yield Row(line, dict(zip(self.columns, texts[:width], strict=True)))


def count_rows(path: Path) -> int:
    """The number of rows an import will read (for the progress bar)."""
    with Sheet(path) as sheet:
        return sum(1 for _ in sheet.rows())
