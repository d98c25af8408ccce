"""Funder exports of the funnel: CSV, and XLSX with one sheet per indicator and a sheet of
definitions. Always suppressed, whoever downloads them: they are made to leave Essaim."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from core.reporting.definitions import DIMENSION_TITLES, FUNNEL, SUPPRESSION_NOTE
from core.reporting.funnel import COUNTS
from core.reporting.schemas import FunnelReport, FunnelRow
from core.reporting.service import RATES

INDICATORS = (*COUNTS, *RATES)
TOTAL = "Total"


def _cell(row: FunnelRow, indicator: str) -> int | float | str:
    """A published count or rate as a number, a hidden one as its marker."""
    cell = row.counts.get(indicator) or row.rates[indicator]
    return cell.value if cell.value is not None else cell.display


def _group_cells(report: FunnelReport, row: FunnelRow) -> list[object]:
    if row is report.total:
        return [TOTAL] + [""] * (len(report.group_by) - 1) if report.group_by else [TOTAL]
    return [row.group[d] for d in report.group_by]


def _header(report: FunnelReport) -> list[str]:
    return [DIMENSION_TITLES[d] for d in report.group_by] or [TOTAL]


def funnel_csv(report: FunnelReport) -> bytes:
    """One line per group then the total; ``;``-separated UTF-8 with a BOM, as French
    spreadsheets open it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([*_header(report), *(FUNNEL[i][0] for i in INDICATORS)])
    for row in [*report.rows, report.total]:
        writer.writerow([*_group_cells(report, row), *(_cell(row, i) for i in INDICATORS)])
    writer.writerow([])
    writer.writerow([SUPPRESSION_NOTE])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def funnel_xlsx(report: FunnelReport) -> bytes:
    """A workbook: one sheet per indicator (groups down, the total last), then the
    definitions and the suppression note."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for indicator in INDICATORS:
        title, _ = FUNNEL[indicator]
        sheet = workbook.create_sheet(title[:31])
        sheet.append([*_header(report), title])
        for row in [*report.rows, report.total]:
            sheet.append([*_group_cells(report, row), _cell(row, indicator)])
            if indicator in RATES and isinstance(
                sheet.cell(sheet.max_row, sheet.max_column).value, float
            ):
                sheet.cell(sheet.max_row, sheet.max_column).number_format = "0%"
        for cell in sheet[1]:
            cell.font = bold
    definitions = workbook.create_sheet("Définitions")
    definitions.append(["Indicateur", "Définition"])
    for cell in definitions[1]:
        cell.font = bold
    for indicator in INDICATORS:
        definitions.append(list(FUNNEL[indicator]))
    definitions.append([])
    definitions.append([SUPPRESSION_NOTE])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
