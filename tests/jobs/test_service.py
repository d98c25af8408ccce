"""The jobs service on both engines: enqueue, claim, retry with backoff, finish, recover."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.jobs import service
from core.jobs.service import JobStatus, claim_next, complete, enqueue, fail, recover_stale
from core.jobs.tables import Job


async def row(job_id: int) -> dict[str, Any]:
    found = await Job.select().where(Job.id == job_id).first()
    assert found is not None
    return found


async def test_enqueue_stores_a_pending_job_due_now(db_settings, clock):
    job_id = await enqueue("offer_expiry", {"offer_id": 7}, run_at=None, clock=clock)
    stored = await row(job_id)
    assert stored["status"] == "pending"
    assert stored["kind"] == "offer_expiry"
    assert stored["run_at"] == clock.now()
    assert stored["created_at"] == clock.now()
    assert stored["attempts"] == 0
    assert stored["max_attempts"] == 5
    assert stored["locked_by"] is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"when": datetime(2026, 1, 1, tzinfo=UTC)}, "plain JSON"),
        ({"ratio": float("nan")}, "plain JSON"),
        ({1: "a"}, "string keys"),
        ({"ids": list(range(1000))}, "ids only"),
    ],
)
async def test_enqueue_rejects_a_payload_that_is_not_small_plain_json(payload, message, clock):
    with pytest.raises(ValueError, match=message):
        await enqueue("offer_expiry", payload, run_at=None, clock=clock)


async def test_enqueue_rejects_a_naive_run_at(clock):
    with pytest.raises(ValueError, match="timezone-aware"):
        await enqueue("offer_expiry", {}, run_at=datetime(2026, 3, 2, 9), clock=clock)


async def test_claim_takes_a_due_job_and_spends_an_attempt(db_settings, clock):
    job_id = await enqueue(
        "offer_expiry", {"offer_id": 7, "site": "paris"}, run_at=None, clock=clock
    )
    job = await claim_next("w1", clock)
    assert job is not None
    assert (job.id, job.kind, job.payload) == (
        job_id,
        "offer_expiry",
        {"offer_id": 7, "site": "paris"},
    )
    assert (job.attempts, job.max_attempts, job.locked_by) == (1, 5, "w1")
    stored = await row(job_id)
    assert (stored["status"], stored["locked_by"], stored["locked_at"]) == (
        "running",
        "w1",
        clock.now(),
    )
    assert await claim_next("w2", clock) is None


async def test_a_job_is_not_claimed_before_run_at(db_settings, clock):
    await enqueue("reminder", {}, run_at=clock.now() + timedelta(hours=2), clock=clock)
    assert await claim_next("w1", clock) is None
    clock.advance(timedelta(hours=2) - timedelta(microseconds=1))
    assert await claim_next("w1", clock) is None
    clock.advance(timedelta(microseconds=1))
    assert await claim_next("w1", clock) is not None


async def test_the_oldest_due_job_comes_first(db_settings, clock):
    later = await enqueue("a", {}, run_at=clock.now() - timedelta(minutes=1), clock=clock)
    first = await enqueue("a", {}, run_at=clock.now() - timedelta(minutes=5), clock=clock)
    tie = await enqueue("a", {}, run_at=clock.now() - timedelta(minutes=1), clock=clock)
    claimed = [(await claim_next("w1", clock)).id for _ in range(3)]
    assert claimed == [first, later, tie]


async def test_complete_marks_the_job_done(db_settings, clock):
    job_id = await enqueue("a", {}, run_at=None, clock=clock)
    job = await claim_next("w1", clock)
    clock.advance(timedelta(seconds=3))
    assert await complete(job, clock) is True
    stored = await row(job_id)
    assert (stored["status"], stored["finished_at"], stored["locked_by"]) == (
        "done",
        clock.now(),
        None,
    )


async def test_failed_attempts_back_off_then_fail_for_good(db_settings, clock):
    job_id = await enqueue("a", {}, run_at=None, clock=clock, max_attempts=3)
    for attempt, delay in [(1, 30), (2, 60)]:
        job = await claim_next("w1", clock)
        assert job.attempts == attempt
        assert await fail(job, "mailer down", clock) is JobStatus.PENDING
        stored = await row(job_id)
        assert (stored["status"], stored["last_error"]) == ("pending", "mailer down")
        assert stored["run_at"] == clock.now() + timedelta(seconds=delay)
        clock.advance(timedelta(seconds=delay - 1))
        assert await claim_next("w1", clock) is None
        clock.advance(timedelta(seconds=1))
    job = await claim_next("w1", clock)
    assert await fail(job, "x" * 500, clock) is JobStatus.FAILED
    stored = await row(job_id)
    assert (stored["status"], stored["attempts"], stored["finished_at"]) == (
        "failed",
        3,
        clock.now(),
    )
    assert stored["last_error"] == "x" * service.MAX_ERROR_LENGTH
    clock.advance(timedelta(days=1))
    assert await claim_next("w1", clock) is None


def test_retry_delay_doubles_up_to_an_hour():
    delays = [service.retry_delay(n) for n in (1, 2, 3, 4, 8, 50)]
    assert delays == [
        timedelta(seconds=30),
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(hours=1),
        timedelta(hours=1),
    ]


async def test_recover_stale_requeues_jobs_whose_worker_died(db_settings, clock):
    stale_id = await enqueue("a", {}, run_at=None, clock=clock)
    stale = await claim_next("dead", clock)
    clock.advance(timedelta(minutes=20))
    fresh_id = await enqueue("a", {}, run_at=None, clock=clock)
    await claim_next("alive", clock)
    clock.advance(timedelta(minutes=11))

    assert await recover_stale(clock, older_than=timedelta(minutes=30)) == 1
    requeued = await row(stale_id)
    assert (requeued["status"], requeued["locked_by"], requeued["last_error"]) == (
        "pending",
        None,
        service.LOST_WORKER_ERROR,
    )
    assert (await row(fresh_id))["status"] == "running"
    again = await claim_next("w2", clock)
    assert (again.id, again.attempts) == (stale_id, 2)
    # The dead worker, had it only been slow, can no longer record an outcome.
    assert await complete(stale, clock) is False
    assert await fail(stale, "late", clock) is None
    assert (await row(stale_id))["locked_by"] == "w2"


async def test_recover_stale_fails_a_job_whose_attempts_are_spent(db_settings, clock):
    job_id = await enqueue("a", {}, run_at=None, clock=clock, max_attempts=1)
    await claim_next("dead", clock)
    clock.advance(timedelta(hours=1))
    assert await recover_stale(clock, older_than=timedelta(minutes=30)) == 1
    stored = await row(job_id)
    assert (stored["status"], stored["finished_at"]) == ("failed", clock.now())
    assert await claim_next("w1", clock) is None
