"""``core.db.bulk``: rows written by the bulk path read back as Piccolo wrote them."""

from datetime import UTC, date, datetime

import pytest

from core.audit import service as audit
from core.audit.tables import AuditEntry
from core.db.bulk import MAX_PARAMETERS, insert_numbered_rows, insert_rows
from core.learners.tables import Learner

AT = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
COLUMNS = (
    Learner.site,
    Learner.first_name,
    Learner.last_name,
    Learner.gender,
    Learner.birth_date,
    Learner.qpv_resident,
    Learner.french_level,
    Learner.created_at,
)


def person(n: int) -> tuple[object, ...]:
    return ("paris", f"Awa {n}", "Diallo", "female", date(1995, 4, 2), n % 2 == 0, None, AT)


def as_piccolo_row(n: int) -> Learner:
    return Learner(**dict(zip((c._meta.name for c in COLUMNS), person(n), strict=True)))


async def test_bulk_rows_read_back_like_rows_piccolo_inserted(db_settings):
    async with Learner._meta.db.transaction():
        await insert_rows(Learner, COLUMNS, [person(1)])
    await Learner.insert(as_piccolo_row(2))
    rows = await Learner.select(*COLUMNS).order_by(Learner.id)
    by_bulk, by_piccolo = rows
    assert by_bulk | {"first_name": "Awa 2", "qpv_resident": True} == by_piccolo
    assert by_bulk["birth_date"] == date(1995, 4, 2)
    assert by_bulk["created_at"] == AT
    assert by_bulk["qpv_resident"] is False and by_bulk["french_level"] is None


async def test_numbered_rows_get_the_ids_they_were_stored_with(db_settings):
    await Learner.insert(as_piccolo_row(0))
    async with Learner._meta.db.transaction():
        ids = await insert_numbered_rows(Learner, COLUMNS, [person(n) for n in (5, 3, 4)])
    stored = await Learner.select(Learner.id, Learner.first_name)
    assert {row["id"]: row["first_name"] for row in stored if row["id"] in ids} == {
        ids[0]: "Awa 5",
        ids[1]: "Awa 3",
        ids[2]: "Awa 4",
    }
    assert len(set(ids)) == 3 and min(ids) > min(row["id"] for row in stored)
    # The ids taken are taken: the next rows, however inserted, get others.
    await Learner.insert(as_piccolo_row(6))
    assert await Learner.count() == 5


async def test_a_batch_beyond_the_parameter_limit_is_written_whole(db_settings):
    count = MAX_PARAMETERS // len(COLUMNS) + 7
    async with Learner._meta.db.transaction():
        ids = await insert_numbered_rows(Learner, COLUMNS, [person(n) for n in range(count)])
    assert sorted(ids) == list(range(1, count + 1))
    stored = await Learner.select(Learner.id, Learner.first_name)
    assert {row["id"]: row["first_name"] for row in stored} == {
        row_id: f"Awa {n}" for n, row_id in enumerate(ids)
    }


async def test_bulk_writes_refuse_to_run_outside_a_transaction(db_settings):
    with pytest.raises(RuntimeError, match="inside a transaction"):
        await insert_rows(Learner, COLUMNS, [person(1)])
    assert await Learner.count() == 0


async def test_bulk_audit_entries_keep_their_details_and_refuse_personal_data(db_settings):
    async with AuditEntry._meta.db.transaction():
        await audit.record_many(
            audit.SYSTEM_ACTOR,
            "learner.imported",
            "learner",
            [(1, None), (2, {"confirmed_despite": [1]})],
            at=AT,
        )
    entries = await AuditEntry.select(AuditEntry.target_id, AuditEntry.details).output(
        load_json=True
    )
    assert sorted(entries, key=lambda e: e["target_id"]) == [
        {"target_id": 1, "details": {}},
        {"target_id": 2, "details": {"confirmed_despite": [1]}},
    ]
    with pytest.raises(ValueError, match="holds something other than ids"):
        async with AuditEntry._meta.db.transaction():
            await audit.record_many(
                audit.SYSTEM_ACTOR, "learner.imported", "learner", [(3, {"name": "Awa D"})], at=AT
            )
    assert await AuditEntry.count() == 2
