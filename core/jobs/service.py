"""Enqueue, claim, finish and recover timed jobs. The only module that touches the jobs table.

A job is ``pending`` until a worker claims it (``running``, one attempt spent), then ``done``,
``pending`` again for a retry after a backoff, or ``failed`` once its attempts are spent.
Delivery is at least once: a job whose worker died is run again, so handlers are idempotent.

Claiming is one atomic ``UPDATE ... RETURNING``. On PostgreSQL, ``FOR UPDATE SKIP LOCKED``
lets several workers claim side by side. SQLite serialises writers, which keeps the claim
atomic but makes more than one worker pointless: run a single worker on SQLite.
"""

from __future__ import annotations

import enum
import json
from datetime import datetime, timedelta
from typing import Any

import msgspec
import structlog
from piccolo.custom_types import Combinable
from piccolo.engine.postgres import PostgresEngine

from core.clock import Clock
from core.jobs.registry import check_kind
from core.jobs.tables import Job

log = structlog.get_logger(__name__)

BASE_RETRY_DELAY = timedelta(seconds=30)
MAX_RETRY_DELAY = timedelta(hours=1)
MAX_PAYLOAD_BYTES = 2048
"""A payload names records by id; anything bigger is a record copied in by mistake."""
MAX_ERROR_LENGTH = 200
LOST_WORKER_ERROR = "worker lost while running the job"


class JobStatus(enum.StrEnum):
    """Where a job stands."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ClaimedJob(msgspec.Struct, frozen=True, kw_only=True):
    """A job a worker has claimed and now runs."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    """Attempts spent, this one included."""
    max_attempts: int
    locked_by: str


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after failed attempt number ``attempts``: 30 s, 1 min, 2 min, ... 1 h."""
    doublings = min(max(attempts - 1, 0), 16)  # 30 s * 2**16 is far past the cap already
    return min(BASE_RETRY_DELAY * 2**doublings, MAX_RETRY_DELAY)


def _encode_payload(payload: dict[str, Any]) -> str:
    if not isinstance(payload, dict) or not all(isinstance(key, str) for key in payload):
        raise ValueError("a job payload is a dict with string keys")
    try:
        encoded = json.dumps(payload, allow_nan=False, separators=(",", ":"), sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"a job payload must be plain JSON: {exc}") from None
    if len(encoded.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"a job payload holds ids only (at most {MAX_PAYLOAD_BYTES} bytes)")
    return encoded


async def enqueue(
    kind: str,
    payload: dict[str, Any],
    *,
    run_at: datetime | None,
    clock: Clock,
    max_attempts: int = 5,
) -> int:
    """Add a job due at ``run_at`` (now when None); returns its id.

    ``payload`` is plain JSON holding ids only, never personal data. Inside a transaction the
    job is enqueued with it, so it exists exactly when the change that asked for it commits.
    """
    if run_at is not None and run_at.tzinfo is None:
        raise ValueError("run_at must be timezone-aware")
    if max_attempts < 1:
        raise ValueError("max_attempts is at least 1")
    now = clock.now()
    rows = await Job.insert(
        Job(
            kind=check_kind(kind),
            payload=_encode_payload(payload),
            status=JobStatus.PENDING.value,
            run_at=now if run_at is None else run_at,
            max_attempts=max_attempts,
            created_at=now,
        )
    ).returning(Job.id)
    return int(rows[0]["id"])


async def ensure_scheduled(
    kind: str, payload: dict[str, Any], *, run_at: datetime, clock: Clock
) -> int | None:
    """Enqueue the next run of a recurring job unless one of ``kind`` is already waiting.

    Returns the new job's id, or None when one was already there. A running one does not
    count, so that a recurring handler can schedule its own next run.
    """
    waiting = await Job.exists().where((Job.kind == kind) & (Job.status == JobStatus.PENDING.value))
    if waiting:
        return None
    return await enqueue(kind, payload, run_at=run_at, clock=clock)


# The outer ``status`` test matters on PostgreSQL: a claim that waited on a row lock re-checks
# the outer WHERE against the committed row, so it cannot take a job another worker took.
# On SQLite, Piccolo stores timestamps as UTC text of one shape, so ``run_at <=`` orders right.
_CLAIM = """
UPDATE {table} SET status = {{}}, locked_by = {{}}, locked_at = {{}}, attempts = attempts + 1
WHERE status = {{}} AND id = (
    SELECT id FROM {table} WHERE status = {{}} AND run_at <= {{}}
    ORDER BY run_at, id LIMIT 1{lock}
)
RETURNING id, kind, payload, attempts, max_attempts
"""


async def claim_next(worker_id: str, clock: Clock) -> ClaimedJob | None:
    """Atomically take the oldest due pending job for ``worker_id``; None when none is due."""
    now = clock.now()
    lock = " FOR UPDATE SKIP LOCKED" if isinstance(Job._meta.db, PostgresEngine) else ""
    sql = _CLAIM.format(table=Job._meta.tablename, lock=lock)
    pending, running = JobStatus.PENDING.value, JobStatus.RUNNING.value
    rows = await Job.raw(sql, running, worker_id, now, pending, pending, now)
    if not rows:
        return None
    row = rows[0]
    return ClaimedJob(
        id=int(row["id"]),
        kind=row["kind"],
        payload=json.loads(row["payload"]),
        attempts=int(row["attempts"]),
        max_attempts=int(row["max_attempts"]),
        locked_by=worker_id,
    )


def _still_ours(job: ClaimedJob) -> Combinable:
    """Matches ``job`` only while its claim holds: ``recover_stale`` may have released it."""
    return (
        (Job.id == job.id)
        & (Job.status == JobStatus.RUNNING.value)
        & (Job.locked_by == job.locked_by)
    )


async def complete(job: ClaimedJob, clock: Clock) -> bool:
    """Mark ``job`` done; False when its claim was lost meanwhile (see ``recover_stale``)."""
    rows = (
        await Job.update(
            {
                Job.status: JobStatus.DONE.value,
                Job.locked_by: None,
                Job.locked_at: None,
                Job.finished_at: clock.now(),
            }
        )
        .where(_still_ours(job))
        .returning(Job.id)
    )
    return bool(rows)


async def fail(job: ClaimedJob, error: str, clock: Clock) -> JobStatus | None:
    """Record a failed attempt: retry after a backoff, or ``failed`` once attempts are spent.

    ``error`` is kept short in ``last_error`` and must hold no personal data. Returns the
    job's new status, or None when its claim was lost meanwhile.
    """
    now = clock.now()
    values: dict[Any, Any] = {
        Job.last_error: error[:MAX_ERROR_LENGTH],
        Job.locked_by: None,
        Job.locked_at: None,
    }
    if job.attempts >= job.max_attempts:
        status = JobStatus.FAILED
        values |= {Job.status: status.value, Job.finished_at: now}
    else:
        status = JobStatus.PENDING
        values |= {Job.status: status.value, Job.run_at: now + retry_delay(job.attempts)}
    rows = await Job.update(values).where(_still_ours(job)).returning(Job.id)
    return status if rows else None


async def recover_stale(clock: Clock, older_than: timedelta) -> int:
    """Release jobs left ``running`` for longer than ``older_than`` (their worker died).

    Each goes back to ``pending``, due at once, or to ``failed`` if its attempts are spent.
    Returns how many jobs were released.
    """
    now = clock.now()
    stale = (Job.status == JobStatus.RUNNING.value) & (Job.locked_at < now - older_than)
    released = {Job.last_error: LOST_WORKER_ERROR, Job.locked_by: None, Job.locked_at: None}
    failed = (
        await Job.update(
            {**released, Job.status: JobStatus.FAILED.value, Job.finished_at: now},
        )
        .where(stale & (Job.attempts >= Job.max_attempts))
        .returning(Job.id)
    )
    requeued = (
        await Job.update({**released, Job.status: JobStatus.PENDING.value})
        .where(stale)
        .returning(Job.id)
    )
    if failed or requeued:
        log.warning(
            "jobs_recovered",
            requeued=[row["id"] for row in requeued],
            failed=[row["id"] for row in failed],
        )
    return len(failed) + len(requeued)
