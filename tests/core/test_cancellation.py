"""Writes cancelled in flight leave no half-written record and nothing leaked (issue 9); a
server under write load stops on SIGTERM within a bounded wait.

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
import contextlib
import os
import signal
import subprocess
import threading

import httpx
import pytest

from core.applications import service as applications
from core.applications.schemas import ApplicationCreate
from core.applications.tables import Application, ApplicationEvent, EligibilityCheck
from core.audit.tables import AuditEntry
from core.auth.service import principal_by_email
from core.learners import service as learners
from core.learners.schemas import LearnerCreate
from core.learners.tables import Learner
from core.reporting.tables import ApplicationFact
from tests.served import tail, uvicorn, wait_ready

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


STOP_DEADLINE_S = 30.0
"""uvicorn lets the requests in flight finish, then stops; past this the test fails."""
LOAD_REQUESTS = 400
SIGTERM_AFTER = 60


def _marked(database_url: str) -> str:
    """The URL with an application name, so that the server's connections can be counted."""
    if not database_url.startswith("postgresql"):
        return database_url
    return database_url + ("&" if "?" in database_url else "?") + f"application_name={SERVED}"


SERVED = "essaim_under_sigterm"


async def test_sigterm_during_write_load_stops_in_bounded_time_leaving_whole_records(
    client, people, db_settings, tmp_path
):
    log_path = tmp_path / "uvicorn.log"
    headers = people.auth("paris_manager")
    answered = 0
    sent_signal = asyncio.Event()
    with uvicorn(_marked(db_settings.database_url), db_settings.var_dir, log_path) as served:
        await wait_ready(served.base, log_path)

        async def one(n: int, http: httpx.AsyncClient) -> None:
            nonlocal answered
            body = {"site": "paris", "first_name": f"Signal{n}", "last_name": f"Arrêt{n}",
                    "gender": "female", "confirm_new_person": True}  # fmt: skip
            # Every fifth request gives up after 5 ms, as a client's time-out does.
            timeout = 0.005 if n % 5 == 0 else 10.0
            with contextlib.suppress(httpx.HTTPError):
                await http.post("/api/v1/learners", json=body, headers=headers, timeout=timeout)
            answered += 1
            if answered == SIGTERM_AFTER:
                os.killpg(served.process.pid, signal.SIGTERM)
                sent_signal.set()

        slots = asyncio.Semaphore(16)

        async def bounded(n: int, http: httpx.AsyncClient) -> None:
            async with slots:
                if not sent_signal.is_set() or n % 2:
                    await one(n, http)

        async with httpx.AsyncClient(base_url=served.base) as http:
            await asyncio.gather(*(bounded(n, http) for n in range(LOAD_REQUESTS)))
        assert sent_signal.is_set(), tail(log_path)
        try:
            served.process.wait(timeout=STOP_DEADLINE_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {STOP_DEADLINE_S} s after SIGTERM:\n{tail(log_path)}")

    learners_count = await _count(Learner)
    assert learners_count >= 1
    assert await _count(AuditEntry, AuditEntry.action == "learner.created") == learners_count
    if db_settings.database_url.startswith("postgresql"):
        rows = await Learner.raw(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = {}", SERVED
        )
        assert rows[0]["n"] == 0, "the stopped server left connections open"
