"""A learner's full export: every row Essaim holds that leads to them, core's and plugins'.

The site's managers and admins ask for it (a right of access, RGPD article 15); the read is
audited with ids only. The rows are grouped by table, as stored, so that nothing is
summarised away; ``export_pdf`` prints the same content for the person.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from core.audit import service as audit
from core.auth.roles import Principal
from core.learners.service import row_to_manage
from core.plugins import PluginHost
from core.privacy.links import all_tables, linked_tables
from core.privacy.rows import learner_row_ids, read_rows


class LearnerExport(msgspec.Struct, frozen=True, kw_only=True):
    """Everything Essaim holds on one learner, by table."""

    learner: int
    exported_at: datetime
    tables: dict[str, list[dict[str, Any]]]
    """Each table's rows that lead to the learner, as stored; tables without any left out."""


async def learner_export(
    host: PluginHost, principal: Principal, learner_id: int, *, now: datetime, kind: str
) -> LearnerExport:
    """The learner's export, for their site's managers and admins; audited as ``kind``
    (``json`` or ``pdf``)."""
    await row_to_manage(principal, learner_id, erased_too=True)
    tables = linked_tables(all_tables(host))
    async with tables[0]._meta.db.transaction():
        ids = await learner_row_ids(tables, learner_id)
        found = {
            table._meta.tablename: await read_rows(table, ids[table._meta.tablename])
            for table in tables
            if table._meta.tablename in ids
        }
        await audit.record(
            principal.account_id,
            "learner.exported",
            "learner",
            learner_id,
            at=now,
            details={"format": kind, "tables": sorted(found)},
        )
    return LearnerExport(learner=learner_id, exported_at=now, tables=found)
