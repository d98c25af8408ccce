"""Funder exports of a report: CSV, and XLSX with one sheet per indicator and a sheet of
definitions. Always suppressed, whoever downloads them: they are made to leave Essaim."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from core.reporting.definitions import DIMENSION_TITLES, SUPPRESSION_NOTE
from core.reporting.indicator_sets import IndicatorSet
from core.reporting.schemas import Report, ReportRow

TOTAL = "Total"


def _indicators(report: Report, indicators: IndicatorSet) -> list[tuple[str, str, str]]:
    """The report's indicators in order: key, French title, definition."""
    titles = indicators.definitions
    shown = [*report.total.counts, *report.total.rates]
    return [(key, *titles[key]) for key in shown]


def _cell(row: ReportRow, indicator: str) -> int | float | str:
    """A published count or rate as a number, a hidden one as its marker."""
    cell = row.counts.get(indicator) or row.rates[indicator]
    return cell.value if cell.value is not None else cell.display


def _group_cells(report: Report, row: ReportRow) -> list[object]:
    if row is report.total:
        return [TOTAL] + [""] * (len(report.group_by) - 1) if report.group_by else [TOTAL]
    return [row.group[d] for d in report.group_by]


def _lines(report: Report) -> list[ReportRow]:
    """The groups then the total; only the total when nothing is grouped (the one group
    would repeat it)."""
    return [*report.rows, report.total] if report.group_by else [report.total]


def _header(report: Report) -> list[str]:
    return [DIMENSION_TITLES[d] for d in report.group_by] or [TOTAL]


def report_csv(report: Report, indicators: IndicatorSet) -> bytes:
    """One line per group then the total; ``;``-separated UTF-8 with a BOM, as French
    spreadsheets open it."""
    shown = _indicators(report, indicators)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([*_header(report), *(title for _, title, _ in shown)])
    for row in _lines(report):
        writer.writerow([*_group_cells(report, row), *(_cell(row, k) for k, _, _ in shown)])
    writer.writerow([])
    writer.writerow([SUPPRESSION_NOTE])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_xlsx(report: Report, indicators: IndicatorSet) -> bytes:
    """A workbook: one sheet per indicator (groups down, the total last), then the
    definitions and the suppression note."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    shown = _indicators(report, indicators)
    for indicator, title, _ in shown:
        sheet = workbook.create_sheet(title[:31])
        sheet.append([*_header(report), title])
        for row in _lines(report):
            sheet.append([*_group_cells(report, row), _cell(row, indicator)])
            if indicator in report.total.rates and isinstance(
                sheet.cell(sheet.max_row, sheet.max_column).value, float
            ):
                sheet.cell(sheet.max_row, sheet.max_column).number_format = "0%"
        for cell in sheet[1]:
            cell.font = bold
    sheet_of_definitions = workbook.create_sheet("Définitions")
    sheet_of_definitions.append(["Indicateur", "Définition"])
    for cell in sheet_of_definitions[1]:
        cell.font = bold
    for _, title, definition in shown:
        sheet_of_definitions.append([title, definition])
    sheet_of_definitions.append([])
    sheet_of_definitions.append([SUPPRESSION_NOTE])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
