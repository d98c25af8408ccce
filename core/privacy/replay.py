"""Replaying the erasure log after a restore, so that an old backup brings no one back.

A backup taken before an erasure still holds the person. ``restore_backup`` reads the log of
the database it replaces before loading the backup (``logged_erasures``), then, on the
restored database, erases again every logged learner it holds and completes its log
(``replay``). Erasing twice changes nothing, so a replay is safe to repeat. A logged learner
absent from the backup is skipped and not carried over: their id may be given to someone
else after the restore, whom a later replay must not erase.
"""

from __future__ import annotations

from typing import Any

from core.learners.tables import Learner
from core.plugins import PluginHost
from core.privacy.erasure import erase_rows
from core.privacy.tables import Erasure


async def logged_erasures() -> list[dict[str, Any]]:
    """Every entry of the bound database's erasure log; none when it has no log yet (an
    empty database, or one older than the log)."""
    if not await Erasure.table_exists():
        return []
    return await Erasure.select(
        Erasure.learner, Erasure.erased_by, Erasure.erased_at, Erasure.reason
    ).order_by(Erasure.id)


async def replay(host: PluginHost, erasures: list[dict[str, Any]]) -> int:
    """Erase again, in one transaction, every learner of ``erasures`` and of the bound
    database's own log that it holds, logging those its log lacks; how many were erased."""
    entries = {row["learner"]: row for row in [*await logged_erasures(), *erasures]}
    if not entries:
        return 0
    present = {
        row["id"]
        for row in await Learner.select(Learner.id).where(Learner.id.is_in(sorted(entries)))
    }
    async with Learner._meta.db.transaction():
        logged = {row["learner"] for row in await Erasure.select(Erasure.learner)}
        for learner_id in sorted(present):
            entry = entries[learner_id]
            await erase_rows(host, learner_id, entry["erased_at"])
            if learner_id not in logged:
                await Erasure.insert(Erasure(**entry))
    return len(present)
