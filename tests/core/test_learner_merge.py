"""An admin merges two records of one person, in one transaction, with an audit entry."""

import pytest

from core.auth.roles import Principal, Role
from core.errors import Forbidden
from core.learners import merge
from core.learners.tables import Consent, Learner

PARIS = {
    "site": "paris",
    "first_name": "Awa",
    "last_name": "Diallo",
    "gender": "female",
    "birth_date": "1998-04-02",
    "languages": ["wo", "fr"],
    "notes": "Préfère le matin.",
}
BORDEAUX = {
    "site": "bordeaux",
    "first_name": "Awa",
    "last_name": "DIALLO",
    "gender": "female",
    "birth_date": "1998-04-02",
    "email": "awa.diallo@example.org",
    "languages": ["en"],
    "french_level": "A2",
    "french_level_method": "external_certificate",
    "french_level_assessed_on": "2026-06-01",
    "refugee_status": "refugee",
    "notes": "Orientée par une association.",
    "confirm_new_person": True,
}
ADMIN = Principal(account_id=1, email="admin@example.org", display_name="a", role=Role.ADMIN)


@pytest.fixture
async def pair(client, people):
    """A Paris record and a Bordeaux record of the same person, each with a consent."""
    ids = []
    for body, who in ((PARIS, "paris_manager"), (BORDEAUX, "bordeaux_manager")):
        response = await client.post("/api/v1/learners", json=body, headers=people.auth(who))
        assert response.status_code == 201, response.text
        learner_id = response.json()["id"]
        await client.post(
            f"/api/v1/learners/{learner_id}/consents",
            json={"purpose": "training_record"},
            headers=people.auth(who),
        )
        ids.append(learner_id)
    return tuple(ids)


async def test_an_admin_merges_and_the_kept_record_takes_what_it_lacked(client, people, pair):
    kept, removed = pair
    headers = people.auth("admin")
    response = await client.post(
        f"/api/v1/learners/{removed}/merge", json={"into": kept}, headers=headers
    )
    assert response.status_code == 200, response.text
    record = response.json()
    assert record["id"] == kept
    assert record["site"] == "paris"
    assert record["email"] == "awa.diallo@example.org"
    assert record["languages"] == ["wo", "fr", "en"]
    assert (record["french_level"], record["french_level_method"]) == ("A2", "external_certificate")
    assert record["refugee_status"] == "refugee"
    assert record["notes"].startswith("Préfère le matin.")
    assert "Orientée par une association." in record["notes"]
    assert (await client.get(f"/api/v1/learners/{removed}", headers=headers)).status_code == 404
    consents = (await client.get(f"/api/v1/learners/{kept}/consents", headers=headers)).json()
    assert len(consents["items"]) == 2
    assert {item["learner_id"] for item in consents["items"]} == {kept}


async def test_the_merge_is_audited_with_ids_and_field_names(client, people, pair):
    kept, removed = pair
    headers = people.auth("admin")
    await client.post(f"/api/v1/learners/{removed}/merge", json={"into": kept}, headers=headers)
    audit = await client.get("/api/v1/audit", params={"action": "learner.merged"}, headers=headers)
    [entry] = audit.json()["items"]
    me = (await client.get("/api/v1/auth/me", headers=headers)).json()["id"]
    assert (entry["actor_id"], entry["target_type"], entry["target_id"]) == (me, "learner", kept)
    assert entry["details"]["source"] == removed
    assert len(entry["details"]["consents"]) == 1
    assert "email" in entry["details"]["fields"]


@pytest.mark.parametrize("who", ["paris_manager", "bordeaux_manager", "central", "paris_trainer"])
async def test_only_admins_merge(client, people, pair, who):
    kept, removed = pair
    response = await client.post(
        f"/api/v1/learners/{removed}/merge", json={"into": kept}, headers=people.auth(who)
    )
    assert response.status_code == 403
    assert await Learner.count() == 2


async def test_a_record_is_not_merged_into_itself_or_into_nothing(client, people, pair):
    kept, _ = pair
    headers = people.auth("admin")
    itself = await client.post(
        f"/api/v1/learners/{kept}/merge", json={"into": kept}, headers=headers
    )
    assert itself.status_code == 422
    assert itself.json()["errors"][0]["field"] == "into"
    nothing = await client.post(
        f"/api/v1/learners/{kept}/merge", json={"into": 999_999}, headers=headers
    )
    assert nothing.status_code == 404
    assert nothing.json()["errors"][0]["field"] == "into"


async def test_other_domains_move_their_rows_in_the_same_transaction(client, people, pair, clock):
    kept, removed = pair
    calls = []

    async def move_applications(source_id: int, into_id: int) -> None:
        calls.append(
            (source_id, into_id, await Consent.count().where(Consent.learner == source_id))
        )

    await merge.merge_learners(ADMIN, removed, kept, clock, steps=[move_applications])
    assert calls == [(removed, kept, 1)]
    assert await Learner.count() == 1


async def test_a_failing_step_rolls_the_whole_merge_back(client, people, pair, clock):
    kept, removed = pair

    async def refuse(source_id: int, into_id: int) -> None:
        raise Forbidden("an application of this learner is being decided")

    with pytest.raises(Forbidden):
        await merge.merge_learners(ADMIN, removed, kept, clock, steps=[refuse])
    assert await Learner.count() == 2
    assert await Consent.count().where(Consent.learner == removed) == 1
    audit = await client.get(
        "/api/v1/audit", params={"action": "learner.merged"}, headers=people.auth("admin")
    )
    assert audit.json()["total"] == 0


async def test_a_row_no_step_moved_blocks_the_merge_with_a_409(client, people, pair):
    """Another domain's table refers to the removed record and nobody moved its row."""
    kept, removed = pair
    engine = Learner._meta.db
    await engine.run_ddl(
        "CREATE TABLE merge_probe "
        "(learner INTEGER NOT NULL REFERENCES learner (id) ON DELETE RESTRICT)"
    )
    await engine.run_ddl(f"INSERT INTO merge_probe (learner) VALUES ({removed})")
    response = await client.post(
        f"/api/v1/learners/{removed}/merge", json={"into": kept}, headers=people.auth("admin")
    )
    assert response.status_code == 409, response.text
    assert "nothing was merged" in response.json()["detail"]
    assert await Learner.count() == 2
    assert await Consent.count().where(Consent.learner == removed) == 1


async def test_the_api_merge_moves_applications_and_messages_along(client, people, pair):
    from core.applications.tables import Application
    from core.notifications.tables import Message
    from tests.applications import apply

    kept, removed = pair
    await apply(client, people, removed, who="bordeaux_manager", site="bordeaux")
    assert await Message.count().where(Message.learner == removed) == 1
    response = await client.post(
        f"/api/v1/learners/{removed}/merge", json={"into": kept}, headers=people.auth("admin")
    )
    assert response.status_code == 200, response.text
    assert await Application.count().where(Application.learner == kept) == 1
    assert await Message.count().where(Message.learner == kept) == 1
    assert await Learner.count().where(Learner.id == removed) == 0
