"""The loop behind ``essaim worker``: claim a due job, run its handler, record the outcome."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from datetime import datetime, timedelta

import structlog

from core.clock import Clock
from core.jobs import service
from core.jobs.registry import JobError, JobRegistry

log = structlog.get_logger(__name__)

DEFAULT_STALE_AFTER = timedelta(minutes=30)
"""A job ``running`` for this long is taken to have lost its worker."""
RECOVERY_INTERVAL = timedelta(minutes=1)
"""How often a running worker looks for stale jobs."""
MAX_WORKER_ID_LENGTH = 100
"""The width of ``Job.locked_by``."""


def default_worker_id() -> str:
    """``host:pid:random``: unique to one worker, and no personal data."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def error_text(exc: Exception) -> str:
    """What a failure leaves in ``last_error`` and the logs: a JobError's message, else the
    exception's class name only, since a message may quote personal data."""
    return str(exc) if isinstance(exc, JobError) else type(exc).__name__


class Worker:
    """Runs due jobs one at a time. Several workers may share a PostgreSQL database."""

    def __init__(
        self,
        registry: JobRegistry,
        clock: Clock,
        *,
        worker_id: str | None = None,
        stale_after: timedelta = DEFAULT_STALE_AFTER,
    ) -> None:
        self.registry = registry
        self.clock = clock
        self.worker_id = worker_id or default_worker_id()
        if len(self.worker_id) > MAX_WORKER_ID_LENGTH:
            raise ValueError(f"a worker id has at most {MAX_WORKER_ID_LENGTH} characters")
        self.stale_after = stale_after
        self._next_recovery: datetime | None = None

    async def run_once(self) -> bool:
        """Claim and run one due job; False when none was due."""
        job = await service.claim_next(self.worker_id, self.clock)
        if job is None:
            return False
        job_log = log.bind(job_id=job.id, kind=job.kind)
        job_log.info("job_started", attempt=job.attempts)
        try:
            await self.registry.handler_for(job.kind)(job.payload)
        except Exception as exc:
            error = error_text(exc)
            status = await service.fail(job, error, self.clock)
            if status is None:
                job_log.warning("job_lost")
            else:
                job_log.warning("job_failed", status=status.value, error=error)
            return True
        if await service.complete(job, self.clock):
            job_log.info("job_done")
        else:
            job_log.warning("job_lost")
        return True

    async def run(self, stop: asyncio.Event, poll_interval: float = 1.0) -> None:
        """Run due jobs until ``stop`` is set, waiting up to ``poll_interval`` s when idle.

        A job in progress when ``stop`` is set finishes first. An error outside a handler
        (the database restarting, say) is logged and the loop carries on after a pause.
        """
        log.info("worker_started", worker_id=self.worker_id)
        while not stop.is_set():
            try:
                await self._recover_if_due()
                if await self.run_once():
                    continue
            except Exception as exc:
                log.error("worker_error", error=type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), poll_interval)
        log.info("worker_stopped", worker_id=self.worker_id)

    async def _recover_if_due(self) -> None:
        now = self.clock.now()
        if self._next_recovery is None or now >= self._next_recovery:
            await service.recover_stale(self.clock, self.stale_after)
            self._next_recovery = now + RECOVERY_INTERVAL
