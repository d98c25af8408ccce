"""The raw-driver baseline of the load benchmark: Essaim's roster and enrolment SQL in bare
Litestar handlers on an asyncpg pool, with no auth, logging or ORM.

Each handler sends the statements Essaim's request sends for the same answer: the roster's
rows and its ``learner.read`` audit entries (one array insert, as ``core.db.bulk``); the
enrolment's checks, its cohort lock, the places counted under it, the enrolment inserted, the
application's status moved (guarded by the status read) and its history event. What Essaim
does besides (the token lookup, the site scope, logging, the report facts refreshed in the
write's transaction) is what the ratio prices. ``bench.bare_app``'s constant list is served
too, as the bare JSON endpoint. Configured from the environment: ``BENCH_DATABASE_URL``, and
``BENCH_ACTOR_ID``, the account the audit entries and events name.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import asyncpg
import msgspec
from litestar import Litestar, get, post
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotFoundException

from bench.bare_app import items

ACTIVE = ["enrolled", "offered", "waitlisted"]
TAKING = ["enrolled", "offered"]
WOMEN_TARGET = 0.5
READ_DETAILS = '{"via": "roster"}'
SOURCE = "127.0.0.1"

ROSTER = """
    SELECT e.id, e.application, e.learner, e.status, e.position, e.offer_deadline,
           l.first_name, l.last_name, l.gender, l.qpv_resident
    FROM enrolment e JOIN learner l ON l.id = e.learner
    WHERE e.cohort = $1 AND e.status = ANY($2::varchar[])
    ORDER BY e.position, e.id
"""
AUDIT_READS = """
    INSERT INTO audit_entry (actor_id, action, target_type, target_id, at, details, source,
                             request_id)
    SELECT * FROM unnest($1::integer[], $2::varchar[], $3::varchar[], $4::integer[],
                         $5::timestamptz[], $6::json[], $7::varchar[], $8::varchar[])
"""
ENROLMENT_COLUMNS = (
    "id, cohort, learner, application, status, position, offer_deadline, transferred_from, "
    "created_at, updated_at"
)


class EnrolmentCreate(msgspec.Struct, forbid_unknown_fields=True):
    """The enrolment request's body, as Essaim's."""

    application_id: int


@contextlib.asynccontextmanager
async def _pool(app: Litestar) -> AsyncIterator[None]:
    """The asyncpg pool, with asyncpg's default size (Piccolo's pool uses the same)."""
    pool = await asyncpg.create_pool(os.environ["BENCH_DATABASE_URL"])
    app.state.pool = pool
    app.state.actor = int(os.environ.get("BENCH_ACTOR_ID", "0"))
    try:
        yield
    finally:
        await pool.close()


def _entry(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "enrolment": row["id"],
        "application": row["application"],
        "learner": row["learner"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "gender": row["gender"],
        "position": row["position"],
        "offer_deadline": row["offer_deadline"],
    }


@get("/cohorts/{cohort_id:int}/roster")
async def roster(cohort_id: int, state: State) -> dict[str, Any]:
    """The cohort's active people with the shares of women and of QPV residents, and one
    ``learner.read`` audit entry per person shown."""
    async with state.pool.acquire() as connection:
        cohort = await connection.fetchrow(
            "SELECT id, site, program, capacity FROM cohort WHERE id = $1", cohort_id
        )
        if cohort is None:
            raise NotFoundException(f"no cohort {cohort_id}")
        rows = await connection.fetch(ROSTER, cohort_id, ACTIVE)
        learners = sorted({row["learner"] for row in rows})
        if learners:
            count = len(learners)
            async with connection.transaction():
                await connection.execute(
                    AUDIT_READS,
                    [state.actor] * count,
                    ["learner.read"] * count,
                    ["learner"] * count,
                    learners,
                    [datetime.now(UTC)] * count,
                    [READ_DETAILS] * count,
                    [SOURCE] * count,
                    [""] * count,
                )
    lists: dict[str, list[dict[str, Any]]] = {status: [] for status in ACTIVE}
    for row in rows:
        lists[row["status"]].append(_entry(row))
    enrolled = lists["enrolled"]
    women = sum(1 for entry in enrolled if entry["gender"] == "female")
    share = women / len(enrolled) if enrolled else None
    residents = sum(1 for row in rows if row["status"] == "enrolled" and row["qpv_resident"])
    capacity = int(cohort["capacity"])
    return {
        "cohort": cohort_id,
        "capacity": capacity,
        "enrolled": enrolled,
        "offered": lists["offered"],
        "waitlist": lists["waitlisted"],
        "places_left": max(0, capacity - len(enrolled) - len(lists["offered"])),
        "women_share": share,
        "women_target": WOMEN_TARGET,
        "women_warning": share is not None and share < WOMEN_TARGET,
        "priority_neighbourhood_share": residents / len(enrolled) if enrolled else None,
        "priority_neighbourhood_target": None,
        "priority_neighbourhood_warning": False,
    }


@post("/cohorts/{cohort_id:int}/enrolments")
async def enrol(cohort_id: int, data: EnrolmentCreate, state: State) -> dict[str, Any]:
    """Enrol an admitted application, or waitlist it when the cohort is full."""
    application_id = data.application_id
    async with state.pool.acquire() as connection:
        cohort = await connection.fetchrow(
            "SELECT id, site, program, track FROM cohort WHERE id = $1", cohort_id
        )
        application = await connection.fetchrow(
            "SELECT id, learner, site, program, track, cohort, status FROM application "
            "WHERE id = $1",
            application_id,
        )
        if cohort is None or application is None:
            raise NotFoundException("no such cohort or application")
        if (application["site"], application["program"]) != (cohort["site"], cohort["program"]):
            raise HTTPException(status_code=422, detail="the application is for another cohort")
        async with connection.transaction():
            locked = await connection.fetchrow(
                "SELECT id, title, capacity FROM cohort WHERE id = $1 FOR UPDATE", cohort_id
            )
            if await connection.fetchval(
                "SELECT count(*) FROM enrolment WHERE application = $1 "
                "AND status = ANY($2::varchar[])",
                application_id,
                ACTIVE,
            ):
                raise HTTPException(status_code=409, detail="already enrolled")
            status = await connection.fetchval(
                "SELECT status FROM application WHERE id = $1", application_id
            )
            if status != "admitted":
                raise HTTPException(status_code=409, detail="not admitted")
            taken, waiting = await connection.fetchrow(
                "SELECT count(*) FILTER (WHERE status = ANY($2::varchar[])), "
                "count(*) FILTER (WHERE status = 'waitlisted') FROM enrolment WHERE cohort = $1",
                cohort_id,
                TAKING,
            )
            now = datetime.now(UTC)
            if taken < locked["capacity"] and waiting == 0:
                to, position, moved = "enrolled", None, "enrolled"
                reason = f"Inscription dans le groupe {locked['title']}."
            else:
                to, position, moved = "waitlisted", waiting + 1, "waitlisted"
                reason = f"Groupe {locked['title']} complet : liste d'attente, rang {position}."
            row = await connection.fetchrow(
                "INSERT INTO enrolment (cohort, learner, application, status, position, reason, "
                "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, '', $6, $6) "
                f"RETURNING {ENROLMENT_COLUMNS}",
                cohort_id,
                application["learner"],
                application_id,
                to,
                position,
                now,
            )
            if not await connection.fetchval(
                "UPDATE application SET status = $2, updated_at = $3 "
                "WHERE id = $1 AND status = 'admitted' RETURNING id",
                application_id,
                moved,
                now,
            ):
                raise HTTPException(status_code=409, detail="the application changed meanwhile")
            await connection.execute(
                "INSERT INTO application_event (application, from_status, to_status, actor, at, "
                "reason) VALUES ($1, 'admitted', $2, $3, $4, $5)",
                application_id,
                moved,
                state.actor,
                now,
                reason,
            )
    return dict(row)


def create_app() -> Litestar:
    """The app, built by uvicorn's ``--factory`` as Essaim's is (importing builds nothing)."""
    return Litestar(
        route_handlers=[items, roster, enrol], lifespan=[_pool], debug=False, logging_config=None
    )
