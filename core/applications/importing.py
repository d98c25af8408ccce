"""Bulk import of applications from a site's spreadsheet export (CSV or XLSX).

Each row names a learner of the site, by record id (``learner``) or by the ``import_key``
the learners' import gave them (``learner_key``), a program, and maybe a track and a
cohort. It goes through ``service.create_application`` as the account running the import:
the same checks and refusals as the API, eligibility findings stored with their snapshot,
the same history; nobody is notified, since these applications were received long before.
Each row runs under a savepoint, so that a refused row leaves nothing behind in its batch.
A dry run does the same work and rolls every batch back: it finds every refusal the real
import would, eligibility included.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import msgspec

from core.applications.schemas import ApplicationCreate, Id
from core.applications.service import create_application, imported_keys
from core.applications.tables import Application
from core.auth.roles import Principal
from core.errors import Forbidden, NotFound, ServiceError
from core.imports import (
    KEY_COLUMN,
    ImportReport,
    RowError,
    batches,
    header_errors,
    key_of,
    shape_error,
)
from core.learners.service import ids_by_import_key
from core.plugin import Key
from core.runtime import Runtime
from core.sheets import Row, Sheet

COLUMNS = ("learner", "learner_key", "program", "track", "cohort", KEY_COLUMN)
"""The columns a file may have, in any order; the site is given for the whole file."""
REQUIRED = ("program",)


class ApplicationRow(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A row's cells, typed; exactly one of ``learner`` and ``learner_key``."""

    program: Key
    learner: Id | None = None
    learner_key: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    track: Key | None = None
    cohort: Id | None = None


class _Rollback(Exception):
    """Ends a dry run's batch: its transaction rolls back."""


def _typed(row: Row) -> ApplicationRow | RowError:
    if row.problem:
        return RowError(line=row.line, field="-", message=row.problem)
    values = {
        name: cell.strip()
        for name, cell in row.cells.items()
        if cell.strip() and name != KEY_COLUMN
    }
    try:
        typed = msgspec.convert(values, ApplicationRow, strict=False)
    except msgspec.ValidationError as exc:
        return shape_error(row.line, exc)
    if (typed.learner is None) == (typed.learner_key is None):
        return RowError(line=row.line, field="learner", message="give learner or learner_key")
    return typed


async def _learner_ids(site: str, typed: list[tuple[Row, ApplicationRow]]) -> dict[str, int]:
    keys = sorted({t.learner_key for _, t in typed if t.learner_key is not None})
    return await ids_by_import_key(site, keys) if keys else {}


async def _run_batch(
    runtime: Runtime,
    principal: Principal,
    site: str,
    batch: list[Row],
    report: ImportReport,
    known: set[str],
) -> None:
    """Create the batch's applications in the current transaction, each under a savepoint."""
    typed: list[tuple[Row, ApplicationRow]] = []
    for row in batch:
        checked = _typed(row)
        if isinstance(checked, RowError):
            report.invalid.append(checked)
        else:
            typed.append((row, checked))
    learner_ids = await _learner_ids(site, typed)
    transaction = Application._meta.db.current_transaction.get()
    for row, data in typed:
        learner = data.learner or learner_ids.get(data.learner_key or "")
        if learner is None:
            report.invalid.append(
                RowError(
                    line=row.line,
                    field="learner_key",
                    message=f"no learner imported at {site!r} with key {data.learner_key!r}",
                )
            )
            continue
        request = ApplicationCreate(
            learner=learner, site=site, program=data.program, track=data.track, cohort=data.cohort
        )
        key = key_of(row, msgspec.to_builtins(request))
        if isinstance(key, RowError):
            report.invalid.append(key)
            continue
        if key in known:
            report.skipped += 1
            continue
        known.add(key)
        savepoint = await transaction.savepoint()
        try:
            await create_application(
                runtime, principal, request, notify_learner=False, import_key=key
            )
        except ServiceError as exc:
            await savepoint.rollback_to()
            report.invalid.append(
                RowError(line=row.line, field=exc.field or "-", message=exc.detail)
            )
            continue
        await savepoint.release()
        report.created += 1


async def import_applications(
    path: Path,
    site: str,
    principal: Principal,
    runtime: Runtime,
    *,
    dry_run: bool = False,
    batch_size: int = 200,
    progress: Callable[[int], None] = lambda rows: None,
) -> ImportReport:
    """Import the applications of a CSV or XLSX file into ``site`` as ``principal``.

    Raises NotFound for a site the principal cannot see, Forbidden for one it does not
    manage, SheetError for a file that cannot be read as a spreadsheet.
    """
    if runtime.sites.get(site) is None or not principal.can_see_site(site):
        raise NotFound(f"no site {site!r}", field="site")
    if not principal.can_manage_site(site):
        raise Forbidden("only the site's managers and admins import applications")
    report = ImportReport()
    known = await imported_keys(site)
    with Sheet(path) as sheet:
        report.invalid.extend(header_errors(sheet.columns, COLUMNS, REQUIRED, "application"))
        if report.invalid:
            return report
        for batch in batches(sheet.rows(), batch_size):
            # A dry run's keys stay known after the rollback: a row the file repeats is
            # counted as skipped, as the import would.
            try:
                async with Application._meta.db.transaction():
                    await _run_batch(runtime, principal, site, batch, report, known)
                    if dry_run:
                        raise _Rollback
            except _Rollback:
                pass
            progress(len(batch))
    report.invalid.sort(key=lambda error: error.line)
    return report
