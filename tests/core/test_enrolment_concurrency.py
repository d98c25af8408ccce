"""Issue 3's acceptance: 200 simultaneous enrolment requests for 12 places, on PostgreSQL,
through real HTTP to uvicorn with two worker processes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.applications.tables import ApplicationEvent
from core.enrolment.tables import Enrolment
from tests.conftest import TEST_SITES
from tests.enrolment import admitted, small_cohort

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 200
CAPACITY = 12
START_DEADLINE_S = 60.0
REQUESTS_DEADLINE_S = 120.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _uvicorn(database_url: str, var_dir: Path, log_path: Path) -> Iterator[str]:
    """Essaim under uvicorn with 2 workers on loopback; its process group is always ended."""
    port = _free_port()
    env = os.environ | {
        "ESSAIM_DATABASE_URL": database_url,
        "ESSAIM_SITES_DIR": str(TEST_SITES),
        "ESSAIM_VAR_DIR": str(var_dir),
        "ESSAIM_LOG_LEVEL": "warning",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "tests.enrolment:served_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)


def _tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-2000:]


async def _wait_ready(base: str, log_path: Path) -> None:
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=base, timeout=2.0) as probe:
        while time.monotonic() - started < START_DEADLINE_S:
            with contextlib.suppress(httpx.TransportError):
                if (await probe.get("/health")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    pytest.fail(f"uvicorn not ready after {START_DEADLINE_S} s:\n{_tail(log_path)}")


@pytest.mark.postgres_only("row locks under several workers")
async def test_200_simultaneous_requests_for_12_places(client, people, db_settings, tmp_path):
    cohort = await small_cohort(people, capacity=CAPACITY)
    slots = asyncio.Semaphore(8)

    async def one() -> int:
        async with slots:
            return await admitted(client, people)

    applications = list(await asyncio.gather(*(one() for _ in range(REQUESTS))))
    log_path = tmp_path / "uvicorn.log"
    headers = people.auth("paris_manager")

    with _uvicorn(db_settings.database_url, db_settings.var_dir, log_path) as base:
        await _wait_ready(base, log_path)
        limits = httpx.Limits(max_connections=REQUESTS, max_keepalive_connections=REQUESTS)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as http:
            start = asyncio.Event()

            async def post(application: int) -> httpx.Response:
                await start.wait()
                return await http.post(
                    f"/api/v1/cohorts/{cohort}/enrolments",
                    json={"application_id": application},
                    headers=headers,
                )

            tasks = [asyncio.ensure_future(post(a)) for a in applications]
            started = time.monotonic()
            start.set()
            responses = await asyncio.wait_for(asyncio.gather(*tasks), REQUESTS_DEADLINE_S)
            elapsed = time.monotonic() - started

    statuses = sorted({response.status_code for response in responses})
    assert statuses == [201], (statuses, _tail(log_path))
    bodies = [response.json() for response in responses]
    assert sorted(body["application"] for body in bodies) == sorted(applications)

    rows = await Enrolment.select(
        Enrolment.application, Enrolment.status, Enrolment.position
    ).where(Enrolment.cohort == cohort)
    assert len(rows) == REQUESTS
    enrolled = [row for row in rows if row["status"] == "enrolled"]
    waitlisted = [row for row in rows if row["status"] == "waitlisted"]
    assert (len(enrolled), len(waitlisted)) == (CAPACITY, REQUESTS - CAPACITY)
    assert sorted(row["position"] for row in waitlisted) == list(range(1, REQUESTS - CAPACITY + 1))

    # The order the requests committed, as the status history shows it: each enrolment's
    # event, by id (one sequence, taken under the cohort's lock).
    events = await ApplicationEvent.select(
        ApplicationEvent.id, ApplicationEvent.application, ApplicationEvent.to_status
    ).where(
        ApplicationEvent.application.is_in(applications),
        ApplicationEvent.to_status.is_in(["enrolled", "waitlisted"]),
    )
    assert len(events) == REQUESTS
    in_commit_order = [event["application"] for event in sorted(events, key=lambda e: e["id"])]
    by_application = {row["application"]: row for row in rows}
    assert [by_application[a]["status"] for a in in_commit_order] == ["enrolled"] * CAPACITY + [
        "waitlisted"
    ] * (REQUESTS - CAPACITY)
    assert [by_application[a]["position"] for a in in_commit_order[CAPACITY:]] == list(
        range(1, REQUESTS - CAPACITY + 1)
    )
    print(
        f"\n{REQUESTS} requests, 2 workers: {len(enrolled)} enrolled, {len(waitlisted)} "
        f"waitlisted, statuses {statuses}, {elapsed:.2f} s"
    )
