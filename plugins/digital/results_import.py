"""Importing a test centre's result sheet (CSV) into an exam session's attempts.

A dry run checks every row and reports each invalid one with its line and field, writing
nothing; the import then writes the valid rows in one transaction and reports the others.
Each row's attempt is keyed on enrolment, module, syllabus, day and test centre: a row
already imported is left unchanged, one whose score was corrected updates the attempt, so
that importing the same sheet twice creates nothing.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from datetime import date, datetime
from typing import Any

import msgspec
import structlog

from core.plugin.services import InvalidField, Principal, Runtime, audit, transaction
from plugins.digital import scope
from plugins.digital.attempts import find_attempt
from plugins.digital.certification import MODULES, passes
from plugins.digital.exams import WHAT, session_row
from plugins.digital.schemas import ImportReport, RowError
from plugins.digital.sheet import SheetError, SheetRow, normalise, read_sheet
from plugins.digital.tables import ExamCandidate, ModuleAttempt

log = structlog.get_logger(__name__)

COLUMNS = {
    "enrolment": ("enrolment", "inscription", "reference"),
    "module": ("module",),
    "syllabus": ("syllabus", "version"),
    "score": ("score", "note"),
    "result": ("result", "resultat"),
    "date": ("date",),
}
"""Each column the sheet may have, with the headers that name it (normalised)."""
REQUIRED = ("enrolment", "module", "syllabus")

RESULTS = {"passed": True, "reussi": True, "failed": False, "echoue": False}
MODULE_NAMES = {normalise(title): key for key, title in MODULES.items()} | {k: k for k in MODULES}
_SYLLABUS = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$")


class _Row(msgspec.Struct, frozen=True, kw_only=True):
    """A valid row: the attempt it records."""

    line: int
    enrolment: int
    learner: int
    module: str
    syllabus: str
    taken_on: date
    score: float | None
    passed: bool


def _columns(header: list[str]) -> tuple[dict[str, str], list[RowError]]:
    """Which header names each column, and the header's errors (line 1)."""
    found: dict[str, str] = {}
    errors = []
    for name in header:
        column = next((c for c, names in COLUMNS.items() if name in names), None)
        if column is None:
            errors.append(RowError(line=1, field=name or "(empty)", message="unknown column"))
        elif column in found:
            errors.append(RowError(line=1, field=name, message="column given twice"))
        else:
            found[column] = name
    errors.extend(
        RowError(line=1, field=column, message="missing column")
        for column in REQUIRED
        if column not in found
    )
    if "score" not in found and "result" not in found:
        errors.append(RowError(line=1, field="score", message="give a score or a result column"))
    return found, errors


def _score(text: str) -> float:
    value = float(text.replace("%", "").replace(",", ".").strip())
    if not 0 <= value <= 100:
        raise ValueError(value)
    return value


def _day(text: str) -> date:
    if "/" in text:
        return datetime.strptime(text, "%d/%m/%Y").date()
    return date.fromisoformat(text)


def _check_row(
    row: SheetRow,
    columns: dict[str, str],
    candidates: dict[int, int],
    modules: list[str],
    held_on: date,
) -> _Row | RowError:
    """The attempt a row records, or the first thing wrong with it."""

    def cell(column: str) -> str:
        return row.cells.get(columns[column], "") if column in columns else ""

    def error(field: str, message: str) -> RowError:
        return RowError(line=row.line, field=field, message=message)

    reference = cell("enrolment").lstrip("#")
    if not reference.isdigit() or int(reference) not in candidates:
        return error("enrolment", f"{reference or '(empty)'} is not a candidate of this session")
    module = MODULE_NAMES.get(normalise(cell("module")))
    if module is None or (modules and module not in modules):
        return error("module", f"{cell('module') or '(empty)'} is not a module of this session")
    syllabus = cell("syllabus")
    if not _SYLLABUS.match(syllabus):
        return error("syllabus", f"{syllabus or '(empty)'} is not a syllabus version")
    try:
        taken_on = _day(cell("date")) if cell("date") else held_on
    except ValueError:
        return error("date", f"{cell('date')} is not a date (YYYY-MM-DD or DD/MM/YYYY)")
    score = None
    if cell("score"):
        try:
            score = _score(cell("score"))
        except ValueError:
            return error("score", f"{cell('score')} is not a percentage from 0 to 100")
    result = RESULTS.get(normalise(cell("result"))) if cell("result") else None
    if cell("result") and result is None:
        return error("result", f"{cell('result')} is not réussi or échoué")
    if score is None and result is None:
        return error("score", "give the score or the result")
    if score is not None and result is not None and result != passes(score):
        return error("result", f"a score of {score:g} % does not give {cell('result')}")
    return _Row(
        line=row.line,
        enrolment=int(reference),
        learner=candidates[int(reference)],
        module=module,
        syllabus=syllabus,
        taken_on=taken_on,
        score=score,
        passed=passes(score) if score is not None else bool(result),
    )


async def import_results(
    runtime: Runtime, principal: Principal, session_id: int, content: bytes, *, dry_run: bool
) -> ImportReport:
    """Check, and unless ``dry_run`` write, the attempts of a result sheet for the session."""
    session = await session_row(principal, session_id)
    scope.site_for_writing(principal, session["site"], WHAT)
    try:
        header, rows = read_sheet(content)
    except SheetError as exc:
        raise InvalidField(str(exc), field="sheet") from exc
    report = ImportReport(dry_run=dry_run)
    columns, report.invalid = _columns(header)
    if report.invalid:
        return report
    candidates = {
        row["enrolment"]: row["learner"]
        for row in await ExamCandidate.select(
            ExamCandidate.enrolment, ExamCandidate.enrolment.learner.as_alias("learner")
        ).where(ExamCandidate.exam_session == session_id)
    }
    modules = [m for m in session["modules"].split(",") if m]
    valid: list[_Row] = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        checked = _check_row(row, columns, candidates, modules, session["held_on"])
        if isinstance(checked, RowError):
            report.invalid.append(checked)
            continue
        key = (checked.enrolment, checked.module, checked.syllabus, checked.taken_on)
        if key in seen:
            report.invalid.append(
                RowError(
                    line=checked.line,
                    field="enrolment",
                    message=f"the same attempt is on line {seen[key]}",
                )
            )
            continue
        seen[key] = checked.line
        valid.append(checked)
    # A dry run only reads: no write transaction (nor SQLite's write lock) for it.
    async with nullcontext() if dry_run else transaction():
        for checked in valid:
            await _apply(runtime, principal, session, checked, report, dry_run=dry_run)
        if not dry_run:
            await audit(
                runtime,
                principal,
                "icdl_results.imported",
                "exam_session",
                session_id,
                {
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "invalid": len(report.invalid),
                },
            )
    log.info(
        "icdl_results_imported",
        exam_session=session_id,
        dry_run=dry_run,
        created=report.created,
        updated=report.updated,
        invalid=len(report.invalid),
    )
    return report


async def _apply(
    runtime: Runtime,
    principal: Principal,
    session: dict[str, Any],
    row: _Row,
    report: ImportReport,
    *,
    dry_run: bool,
) -> None:
    """Count, and unless ``dry_run`` write, one valid row's attempt."""
    existing = await find_attempt(
        row.enrolment, row.module, row.syllabus, row.taken_on, session["test_centre"]
    )
    if existing is not None:
        if (existing["score"], bool(existing["passed"])) == (row.score, row.passed):
            report.unchanged += 1
            return
        report.updated += 1
        if not dry_run:
            await ModuleAttempt.update(
                {ModuleAttempt.score: row.score, ModuleAttempt.passed: row.passed}
            ).where(ModuleAttempt.id == existing["id"])
        return
    report.created += 1
    if not dry_run:
        await ModuleAttempt.insert(
            ModuleAttempt(
                enrolment=row.enrolment,
                learner=row.learner,
                exam_session=session["id"],
                module=row.module,
                syllabus=row.syllabus,
                taken_on=row.taken_on,
                test_centre=session["test_centre"],
                score=row.score,
                passed=row.passed,
                recorded_by=principal.account_id,
                recorded_at=runtime.clock.now(),
            )
        )
