"""The audit trail: who read or changed which record, and when; ids only; append-only."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from core.audit import service as audit
from core.audit.tables import AuditEntry

AWA = {
    "site": "paris",
    "first_name": "Awa",
    "last_name": "Ndiaye",
    "gender": "female",
    "birth_date": "1998-04-02",
    "email": "awa.ndiaye@example.org",
    "phone": "06 12 34 56 78",
    "languages": ["wo"],
    "refugee_status": "asylum_seeker",
    "notes": "Hébergée chez sa tante.",
}
NOW = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


async def create(client, people, body=AWA, who="paris_manager"):
    response = await client.post("/api/v1/learners", json=body, headers=people.auth(who))
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def trail(client, people, **params):
    response = await client.get("/api/v1/audit", params=params, headers=people.auth("admin"))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("who", ["paris_manager", "central", "paris_trainer"])
async def test_only_admins_read_the_trail(client, people, who):
    response = await client.get("/api/v1/audit", headers=people.auth(who))
    assert response.status_code == 403


async def test_every_read_of_a_record_is_an_entry(client, people, clock):
    learner = await create(client, people)
    clock.advance(timedelta(minutes=5))
    await client.get(f"/api/v1/learners/{learner}", headers=people.auth("paris_manager"))
    me = (await client.get("/api/v1/auth/me", headers=people.auth("paris_manager"))).json()["id"]
    page = await trail(client, people, action="learner.read")
    assert page["items"] == [
        {
            "id": page["items"][0]["id"],
            "at": "2026-09-01T08:05:00Z",
            "actor_id": me,
            "action": "learner.read",
            "target_type": "learner",
            "target_id": learner,
            "details": {"via": "record"},
            "source": "127.0.0.1",
            "request_id": page["items"][0]["request_id"],
        }
    ]
    assert len(page["items"][0]["request_id"]) == 32


async def test_a_roster_and_a_search_record_a_read_of_each_learner_shown(client, people):
    from tests.enrolment import admitted, enrol, roster

    applications = [await admitted(client, people) for _ in range(2)]
    enrolled = [
        (await enrol(client, people, people.paris_cohort, a))["learner"] for a in applications
    ]
    await roster(client, people, people.paris_cohort, who="paris_trainer")
    listed = await client.get("/api/v1/learners", headers=people.auth("paris_manager"))
    shown = [item["id"] for item in listed.json()["items"]]
    reads = (await trail(client, people, action="learner.read", limit=200))["items"]
    trainer = (await client.get("/api/v1/auth/me", headers=people.auth("paris_trainer"))).json()
    by_roster = sorted(e["target_id"] for e in reads if e["details"] == {"via": "roster"})
    assert by_roster == sorted(enrolled)
    assert {e["actor_id"] for e in reads if e["details"] == {"via": "roster"}} == {trainer["id"]}
    by_list = sorted(e["target_id"] for e in reads if e["details"] == {"via": "list"})
    assert by_list == sorted(shown) and set(enrolled) <= set(shown)
    assert all(e["source"] == "127.0.0.1" for e in reads)


async def test_a_refused_read_leaves_no_entry(client, people):
    learner = await create(client, people)
    await client.get(f"/api/v1/learners/{learner}", headers=people.auth("bordeaux_manager"))
    assert (await trail(client, people, action="learner.read"))["total"] == 0


async def test_an_edit_names_the_fields_it_changed_not_their_values(client, people):
    learner = await create(client, people)
    await client.patch(
        f"/api/v1/learners/{learner}",
        json={"phone": "07 00 00 00 01", "notes": AWA["notes"], "gender": "female"},
        headers=people.auth("paris_manager"),
    )
    [entry] = (await trail(client, people, action="learner.updated"))["items"]
    assert entry["details"] == {"fields": ["phone"]}


async def test_the_trail_is_paged_newest_first_and_filtered(client, people, clock):
    first = await create(client, people)
    clock.advance(timedelta(hours=1))
    second = await create(client, people, AWA | {"first_name": "Binta", "phone": "", "email": ""})
    page = await trail(client, people, action="learner.created", limit=1)
    assert (page["total"], page["limit"], [e["target_id"] for e in page["items"]]) == (
        2,
        1,
        [second],
    )
    rest = await trail(client, people, action="learner.created", limit=1, offset=1)
    assert [e["target_id"] for e in rest["items"]] == [first]
    by_target = await trail(client, people, target_type="learner", target_id=first)
    assert [e["action"] for e in by_target["items"]] == ["learner.created"]
    too_many = await client.get(
        "/api/v1/audit", params={"limit": 201}, headers=people.auth("admin")
    )
    assert too_many.status_code == 400


def test_no_route_changes_or_removes_an_entry(app):
    methods = {
        method
        for route in app.routes
        if route.path.startswith("/api/v1/audit")
        for method in route.methods
    }
    assert methods <= {"GET", "HEAD", "OPTIONS"}


async def test_the_database_refuses_to_change_or_remove_an_entry(db_settings):
    entry = await audit.record(7, "learner.read", "learner", 1, at=NOW)
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.update({AuditEntry.actor_id: 8}).where(AuditEntry.id == entry)
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.delete().where(AuditEntry.id == entry)
    assert await AuditEntry.count() == 1


async def test_no_personal_data_reaches_the_trail(client, people):
    """A whole working session on a record, then every audit row searched for its data."""
    learner = await create(client, people)
    manager = people.auth("paris_manager")
    await client.get(f"/api/v1/learners/{learner}", headers=manager)
    await client.patch(
        f"/api/v1/learners/{learner}",
        json={"email": "a.ndiaye@example.org", "notes": "Cherche un stage."},
        headers=manager,
    )
    consent = await client.post(
        f"/api/v1/learners/{learner}/consents", json={"purpose": "contact_sms"}, headers=manager
    )
    await client.post(
        f"/api/v1/learners/{learner}/consents/{consent.json()['id']}/withdraw", headers=manager
    )
    await client.get(
        "/api/v1/learners/duplicates",
        params={"first_name": "Awa", "last_name": "Ndiaye", "birth_date": AWA["birth_date"]},
        headers=people.auth("bordeaux_manager"),
    )
    twin = await create(
        client, people, AWA | {"site": "bordeaux", "confirm_new_person": True}, "bordeaux_manager"
    )
    await client.post(
        f"/api/v1/learners/{twin}/merge", json={"into": learner}, headers=people.auth("admin")
    )
    rows = await AuditEntry.select()
    assert {row["action"] for row in rows} >= {
        "learner.created",
        "learner.read",
        "learner.updated",
        "consent.recorded",
        "consent.withdrawn",
        "learner.duplicate_check",
        "learner.merged",
    }
    dumped = json.dumps(rows, default=str).lower()
    for secret in (
        "awa",
        "ndiaye",
        "example.org",
        "12 34",
        "0612345678",
        "1998",
        "asylum",
        "tante",
        "stage",
        '"wo"',
    ):
        assert secret not in dumped, secret


@pytest.mark.parametrize(
    "details",
    [
        {"name": "Awa Ndiaye"},
        {"email": "awa@example.org"},
        {"phone": "0612345678"},
        {"names": ["awa", "Ndiaye"]},
        {"born": 1998.0},
        {"nested": {"id": 1}},
        {"Bad Key": 1},
        {"mixed": [1, "phone"]},
    ],
)
async def test_record_refuses_anything_but_ids_and_code_words(details):
    with pytest.raises(ValueError, match="audit detail"):
        await audit.record(1, "learner.updated", "learner", 1, at=NOW, details=details)


@pytest.mark.parametrize(
    ("action", "target_type", "at"),
    [
        ("read", "learner", NOW),
        ("learner.read", "Learner 1", NOW),
        ("learner.read", "learner", NOW.replace(tzinfo=None)),
    ],
)
async def test_record_refuses_malformed_entries(action, target_type, at):
    with pytest.raises(ValueError):
        await audit.record(1, action, target_type, 1, at=at)
