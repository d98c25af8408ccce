"""Writes cancelled in flight leave no half-written record and nothing leaked (issue 9).

1000 service-layer writes (a learner, then their application: learner, audit entry,
application, its event, its eligibility check, its report facts and monthly sums, its
message) are each cancelled in flight, on both engines: half by cancelling the task after a
different number of turns of the event loop, half by a time-out of 0 to 49 ms (as a request
time-out does). Afterwards every record is whole (each learner has its audit entry, each application
its event, check and facts; the facts and sums equal the raw records, which the ``client``
fixture checks after the test), every pooled connection is back in its pool, the process has
no more threads than before, and the service still writes.
"""

from __future__ import annotations

import asyncio
import threading

from core.applications import service as applications
from core.applications.schemas import ApplicationCreate
from core.applications.tables import Application, ApplicationEvent, EligibilityCheck
from core.audit.tables import AuditEntry
from core.auth.service import principal_by_email
from core.learners import service as learners
from core.learners.schemas import LearnerCreate
from core.learners.tables import Learner
from core.reporting.tables import ApplicationFact

WRITES = 1000
TURNS = 400
"""A task is cancelled after 0 to 399 turns of the loop: before or inside its first steps."""
TIME_OUTS_MS = 50
"""A time-out of 0 to 49 ms cancels a write anywhere: most need from 10 to 40 ms."""


async def _write(runtime, principal, n: int) -> None:
    learner = await learners.create_learner(
        principal,
        LearnerCreate(
            site="paris",
            first_name=f"Prénom{n}",
            last_name=f"Annulé{n}",
            gender="female" if n % 2 else "male",
            birth_date=None,
            confirm_new_person=True,
        ),
        runtime.clock,
        runtime.sites,
    )
    await applications.create_application(
        runtime, principal, ApplicationCreate(learner=learner.id, site="paris", program="atelier")
    )


def _pool_is_whole(engine) -> bool:
    """Every connection the engine's pool lent is back (none held by a cancelled task)."""
    pool = engine.pool
    if hasattr(pool, "get_idle_size"):  # asyncpg
        return pool.get_idle_size() == pool.get_size()
    return pool._slots._value == pool._size


async def _count(table, *where) -> int:
    return await table.count().where(*where) if where else await table.count()


async def test_cancelled_writes_leave_whole_records_and_no_leak(app, client, people):
    runtime = app.state.runtime
    principal = await principal_by_email("paris_manager@example.org")
    threads = threading.active_count()
    outcomes = {"done": 0, "cancelled": 0}
    for n in range(WRITES):
        try:
            if n % 2:
                timeout = (n // 2 % TIME_OUTS_MS) / 1000
                await asyncio.wait_for(_write(runtime, principal, n), timeout)
            else:
                task = asyncio.ensure_future(_write(runtime, principal, n))
                for _ in range(n // 2 % TURNS):
                    await asyncio.sleep(0)
                task.cancel()
                await task
            outcomes["done"] += 1
        except (asyncio.CancelledError, TimeoutError):
            outcomes["cancelled"] += 1
    assert outcomes["cancelled"], outcomes

    learners_count = await _count(Learner)
    assert await _count(AuditEntry, AuditEntry.action == "learner.created") == learners_count
    created = await _count(Application)
    for table, where in (
        (ApplicationEvent, ApplicationEvent.to_status == "submitted"),
        (EligibilityCheck, EligibilityCheck.stage == "submission"),
        (ApplicationFact, None),
    ):
        assert await _count(table, *([where] if where is not None else [])) == created, table

    engine = Learner._meta.db
    assert _pool_is_whole(engine)
    assert threading.active_count() <= threads + getattr(engine.pool, "_size", 0)
    await _write(runtime, principal, WRITES)
    assert await _count(Learner) == learners_count + 1
