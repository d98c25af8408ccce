"""A small CSV reader for test centres' result sheets: ``;`` or ``,``, UTF-8 with or without BOM.

Headers are matched without case, accents or surrounding spaces, so that ``Résultat`` and
``resultat`` name the same column. Lines are numbered as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator

import msgspec


class SheetError(ValueError):
    """The file cannot be read as a sheet at all (not UTF-8, no header)."""


class SheetRow(msgspec.Struct, frozen=True, kw_only=True):
    """One data line: its number in the file and its cells by normalised header."""

    line: int
    cells: dict[str, str]


def normalise(name: str) -> str:
    """``" Résultat "`` as ``"resultat"``: lowercase, no accents, no surrounding spaces."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def read_sheet(content: bytes) -> tuple[list[str], Iterator[SheetRow]]:
    """The normalised headers and the non-blank data rows of ``content``.

    SheetError when it is not UTF-8 text or has no header line.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError("the file is not UTF-8 text: save it as CSV UTF-8") from exc
    first = text.lstrip("\r\n").split("\n", 1)[0]
    if not first.strip():
        raise SheetError("the file is empty: the first line names the columns")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    header: list[str] | None = None
    for cells in reader:
        if any(cell.strip() for cell in cells):
            header = [normalise(cell) for cell in cells]
            break
    if header is None:
        raise SheetError("the file is empty: the first line names the columns")

    def rows() -> Iterator[SheetRow]:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            padded = [cell.strip() for cell in cells] + [""] * (len(header) - len(cells))
            yield SheetRow(line=reader.line_num, cells=dict(zip(header, padded, strict=False)))

    return header, rows()
