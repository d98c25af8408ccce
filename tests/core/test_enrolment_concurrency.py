"""Issue 3's acceptance: 200 simultaneous enrolment requests for 12 places, on PostgreSQL,
through real HTTP to uvicorn with two worker processes."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from core.applications.tables import ApplicationEvent
from core.enrolment.tables import Enrolment
from tests.enrolment import admitted, small_cohort
from tests.served import tail, uvicorn, wait_ready

REQUESTS = 200
CAPACITY = 12
REQUESTS_DEADLINE_S = 120.0


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

    with uvicorn(db_settings.database_url, db_settings.var_dir, log_path) as served:
        base = served.base
        await wait_ready(base, log_path)
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
    assert statuses == [201], (statuses, tail(log_path))
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
