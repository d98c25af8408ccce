"""The worker on both engines: runs due jobs, retries failures, survives bad jobs, stops cleanly."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from structlog.testing import capture_logs

from core.jobs import worker as worker_module
from core.jobs.registry import Handler, JobError, JobRegistry
from core.jobs.service import claim_next, enqueue
from core.jobs.tables import Job
from core.jobs.worker import Worker

BOUND = 30
"""Seconds a test waits for the loop at most: a safety net against hangs, never a measure."""


class Recorder:
    """Handlers that note the payloads they ran."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    async def ok(self, payload: dict[str, Any]) -> None:
        self.seen.append(payload)

    async def leaky(self, payload: dict[str, Any]) -> None:
        self.seen.append(payload)
        raise ValueError("could not reach jane.doe@example.org")

    async def safe_error(self, payload: dict[str, Any]) -> None:
        raise JobError(f"offer {payload['offer_id']} has no cohort")

    def stopper(self, stop: asyncio.Event) -> Handler:
        async def handler(payload: dict[str, Any]) -> None:
            self.seen.append(payload)
            stop.set()

        return handler


async def status_of(job_id: int) -> dict[str, Any]:
    found = (
        await Job.select(Job.status, Job.attempts, Job.last_error).where(Job.id == job_id).first()
    )
    assert found is not None
    return found


async def test_runs_a_due_job_once(db_settings, clock):
    recorder = Recorder()
    worker = Worker(JobRegistry({"offer_expiry": recorder.ok}), clock, worker_id="w1")
    job_id = await enqueue("offer_expiry", {"offer_id": 3}, run_at=None, clock=clock)
    with capture_logs() as logs:
        assert await worker.run_once() is True
        assert await worker.run_once() is False
    assert recorder.seen == [{"offer_id": 3}]
    assert (await status_of(job_id))["status"] == "done"
    assert [(e["event"], e["job_id"], e["kind"]) for e in logs] == [
        ("job_started", job_id, "offer_expiry"),
        ("job_done", job_id, "offer_expiry"),
    ]


async def test_waits_for_run_at_until_the_clock_moves(db_settings, clock):
    recorder = Recorder()
    worker = Worker(JobRegistry({"reminder": recorder.ok}), clock)
    await enqueue(
        "reminder", {"session_id": 9}, run_at=clock.now() + timedelta(days=1), clock=clock
    )
    assert await worker.run_once() is False
    clock.advance(timedelta(hours=23, minutes=59))
    assert await worker.run_once() is False
    clock.advance(timedelta(minutes=1))
    assert await worker.run_once() is True
    assert recorder.seen == [{"session_id": 9}]


async def test_a_failing_handler_is_retried_then_fails_without_keeping_its_message(
    db_settings, clock
):
    recorder = Recorder()
    worker = Worker(JobRegistry({"mail": recorder.leaky}), clock)
    job_id = await enqueue("mail", {"learner_id": 12}, run_at=None, clock=clock, max_attempts=3)
    with capture_logs() as logs:
        assert await worker.run_once() is True
        assert (await status_of(job_id))["status"] == "pending"
        assert await worker.run_once() is False
        clock.advance(timedelta(seconds=30))
        assert await worker.run_once() is True
        clock.advance(timedelta(minutes=1))
        assert await worker.run_once() is True
    assert len(recorder.seen) == 3
    assert await status_of(job_id) == {
        "status": "failed",
        "attempts": 3,
        "last_error": "ValueError",
    }
    failures = [e for e in logs if e["event"] == "job_failed"]
    assert [e["status"] for e in failures] == ["pending", "pending", "failed"]
    assert "jane" not in repr(logs)


async def test_a_job_error_message_is_kept(db_settings, clock):
    worker = Worker(JobRegistry({"offer_expiry": Recorder().safe_error}), clock)
    job_id = await enqueue(
        "offer_expiry", {"offer_id": 5}, run_at=None, clock=clock, max_attempts=1
    )
    assert await worker.run_once() is True
    assert await status_of(job_id) == {
        "status": "failed",
        "attempts": 1,
        "last_error": "offer 5 has no cohort",
    }


async def test_an_unknown_kind_fails_the_job_not_the_worker(db_settings, clock):
    recorder = Recorder()
    worker = Worker(JobRegistry({"known": recorder.ok}), clock)
    unknown = await enqueue("from_a_newer_release", {}, run_at=None, clock=clock, max_attempts=2)
    known = await enqueue("known", {"n": 1}, run_at=None, clock=clock)
    assert await worker.run_once() is True
    assert await status_of(unknown) == {
        "status": "pending",
        "attempts": 1,
        "last_error": "unknown job kind 'from_a_newer_release'",
    }
    assert await worker.run_once() is True
    assert (await status_of(known))["status"] == "done"
    clock.advance(timedelta(seconds=30))
    assert await worker.run_once() is True
    assert (await status_of(unknown))["status"] == "failed"


async def test_run_keeps_going_past_a_failing_job_until_stopped(db_settings, clock):
    stop = asyncio.Event()
    recorder = Recorder()
    registry = JobRegistry({"bad": recorder.leaky, "last": recorder.stopper(stop)})
    bad = await enqueue("bad", {"n": 1}, run_at=None, clock=clock)
    await enqueue("last", {"n": 2}, run_at=None, clock=clock)
    later = await enqueue("last", {"n": 3}, run_at=None, clock=clock)
    await asyncio.wait_for(Worker(registry, clock).run(stop, poll_interval=3600), BOUND)
    assert recorder.seen == [{"n": 1}, {"n": 2}]
    assert (await status_of(bad))["status"] == "pending"
    assert (await status_of(later))["status"] == "pending"


async def test_stop_wakes_an_idle_worker(db_settings, clock, monkeypatch):
    polled = asyncio.Event()
    real_claim = worker_module.service.claim_next

    async def claim_and_tell(worker_id, clock):
        job = await real_claim(worker_id, clock)
        polled.set()
        return job

    monkeypatch.setattr(worker_module.service, "claim_next", claim_and_tell)
    stop = asyncio.Event()
    task = asyncio.create_task(Worker(JobRegistry(), clock).run(stop, poll_interval=3600))
    await asyncio.wait_for(polled.wait(), BOUND)
    stop.set()
    await asyncio.wait_for(task, BOUND)


async def test_run_survives_an_error_outside_handlers(db_settings, clock, monkeypatch):
    real_claim = worker_module.service.claim_next
    calls = 0

    async def flaky_claim(worker_id, clock):
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionResetError("database restarting")
        return await real_claim(worker_id, clock)

    monkeypatch.setattr(worker_module.service, "claim_next", flaky_claim)
    stop = asyncio.Event()
    recorder = Recorder()
    await enqueue("last", {"n": 1}, run_at=None, clock=clock)
    with capture_logs() as logs:
        await asyncio.wait_for(
            Worker(JobRegistry({"last": recorder.stopper(stop)}), clock).run(stop, poll_interval=0),
            BOUND,
        )
    assert recorder.seen == [{"n": 1}]
    assert {"event": "worker_error", "error": "ConnectionResetError", "log_level": "error"} in logs


async def test_run_recovers_the_job_of_a_dead_worker(db_settings, clock):
    job_id = await enqueue("last", {"n": 1}, run_at=None, clock=clock)
    await claim_next("dead", clock)
    clock.advance(timedelta(minutes=31))
    stop = asyncio.Event()
    recorder = Recorder()
    worker = Worker(JobRegistry({"last": recorder.stopper(stop)}), clock)
    await asyncio.wait_for(worker.run(stop, poll_interval=3600), BOUND)
    assert recorder.seen == [{"n": 1}]
    assert await status_of(job_id) == {
        "status": "done",
        "attempts": 2,
        "last_error": "worker lost while running the job",
    }


@pytest.mark.postgres_only("FOR UPDATE SKIP LOCKED lets workers claim side by side")
async def test_two_workers_never_run_the_same_job(db_settings, clock):
    recorder = Recorder()
    registry = JobRegistry({"a": recorder.ok})
    ids = [await enqueue("a", {"n": n}, run_at=None, clock=clock) for n in range(20)]

    async def drain(worker: Worker) -> int:
        ran = 0
        while await worker.run_once():
            ran += 1
        return ran

    first, second = Worker(registry, clock), Worker(registry, clock)
    single = await enqueue(
        "a", {"n": "single"}, run_at=clock.now() + timedelta(hours=1), clock=clock
    )
    counts = await asyncio.gather(drain(first), drain(second))
    assert sum(counts) == 20
    assert sorted(p["n"] for p in recorder.seen) == list(range(20))
    assert {(await status_of(i))["status"] for i in ids} == {"done"}

    clock.advance(timedelta(hours=1))
    outcomes = await asyncio.gather(first.run_once(), second.run_once())
    assert sorted(outcomes) == [False, True]
    assert recorder.seen.count({"n": "single"}) == 1
    assert (await status_of(single))["attempts"] == 1


def test_a_worker_id_must_fit_the_lock_column(clock):
    with pytest.raises(ValueError, match="at most 100"):
        Worker(JobRegistry(), clock, worker_id="w" * 101)
    assert len(Worker(JobRegistry(), clock).worker_id) <= 100
