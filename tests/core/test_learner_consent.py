"""Consents: recorded with who and when, withdrawn without being erased, audited."""

import pytest

from core.learners import consent
from core.learners.schemas import ConsentPurpose

AWA = {"site": "paris", "first_name": "Awa", "last_name": "Diallo", "gender": "female"}


@pytest.fixture
async def learner(client, people):
    response = await client.post("/api/v1/learners", json=AWA, headers=people.auth("paris_manager"))
    return response.json()["id"]


def url(learner_id, *rest):
    return "/".join([f"/api/v1/learners/{learner_id}/consents", *map(str, rest)])


async def me(client, people, who):
    return (await client.get("/api/v1/auth/me", headers=people.auth(who))).json()["id"]


async def test_a_consent_is_recorded_with_who_and_when(client, people, learner, clock):
    headers = people.auth("paris_manager")
    response = await client.post(url(learner), json={"purpose": "contact_sms"}, headers=headers)
    assert response.status_code == 201, response.text
    recorded = response.json()
    assert recorded["learner_id"] == learner
    assert recorded["purpose"] == "contact_sms"
    assert recorded["recorded_by"] == await me(client, people, "paris_manager")
    assert recorded["given_at"] == "2026-09-01T08:00:00Z"
    assert recorded["withdrawn_at"] is None
    listed = await client.get(url(learner), headers=headers)
    assert listed.json() == {"items": [recorded]}


async def test_a_paper_consent_keeps_the_instant_it_was_given(client, people, learner):
    response = await client.post(
        url(learner),
        json={"purpose": "training_record", "given_at": "2026-08-28T14:30:00+02:00"},
        headers=people.auth("paris_manager"),
    )
    assert response.json()["given_at"] == "2026-08-28T12:30:00Z"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"purpose": "marketing"}, 400, "$.purpose"),
        ({"purpose": "contact_sms", "given_at": "2026-08-28T14:30:00"}, 400, "$.given_at"),
        ({"purpose": "contact_sms", "given_at": "2026-09-02T08:00:00Z"}, 422, "given_at"),
        ({"purpose": "contact_sms", "extra": 1}, 400, "$"),
    ],
)
async def test_bad_consents_are_refused_naming_the_field(
    client, people, learner, body, status, field
):
    response = await client.post(url(learner), json=body, headers=people.auth("paris_manager"))
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["field"] == field


async def test_a_withdrawal_keeps_the_row_and_allows_a_new_consent(client, people, learner, clock):
    headers = people.auth("paris_manager")
    given = (
        await client.post(url(learner), json={"purpose": "contact_sms"}, headers=headers)
    ).json()
    again = await client.post(url(learner), json={"purpose": "contact_sms"}, headers=headers)
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "purpose"
    assert await consent.purposes_in_force(learner) == {ConsentPurpose.CONTACT_SMS}

    withdrawn = await client.post(url(learner, given["id"], "withdraw"), headers=headers)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["withdrawn_at"] == "2026-09-01T08:00:00Z"
    assert withdrawn.json()["withdrawn_by"] == await me(client, people, "paris_manager")
    twice = await client.post(url(learner, given["id"], "withdraw"), headers=headers)
    assert twice.status_code == 409
    assert await consent.purposes_in_force(learner) == set()

    renewed = await client.post(url(learner), json={"purpose": "contact_sms"}, headers=headers)
    assert renewed.status_code == 201
    listed = (await client.get(url(learner), headers=headers)).json()["items"]
    assert [item["withdrawn_at"] is None for item in listed] == [False, True]


async def test_consents_are_out_of_reach_like_the_record(client, people, learner):
    bordeaux = people.auth("bordeaux_manager")
    assert (await client.get(url(learner), headers=bordeaux)).status_code == 404
    posted = await client.post(url(learner), json={"purpose": "contact_sms"}, headers=bordeaux)
    assert posted.status_code == 404
    central = people.auth("central")
    assert (await client.get(url(learner), headers=central)).status_code == 403
    assert (await client.post(url(learner, 1, "withdraw"), headers=central)).status_code == 403


async def test_withdrawing_another_learners_consent_is_not_found(client, people, learner):
    headers = people.auth("paris_manager")
    other = await client.post(
        "/api/v1/learners", json=AWA | {"first_name": "Jean"}, headers=headers
    )
    given = (
        await client.post(url(learner), json={"purpose": "contact_sms"}, headers=headers)
    ).json()
    response = await client.post(url(other.json()["id"], given["id"], "withdraw"), headers=headers)
    assert response.status_code == 404


async def test_consent_changes_and_reads_are_audited(client, people, learner):
    headers = people.auth("paris_manager")
    given = (
        await client.post(url(learner), json={"purpose": "funder_reporting"}, headers=headers)
    ).json()
    await client.post(url(learner, given["id"], "withdraw"), headers=headers)
    await client.get(url(learner), headers=headers)
    audit = await client.get(
        "/api/v1/audit",
        params={"target_type": "learner", "target_id": learner},
        headers=people.auth("admin"),
    )
    entries = [(e["action"], e["details"]) for e in reversed(audit.json()["items"])]
    assert entries == [
        ("learner.created", {}),
        ("consent.recorded", {"consent": given["id"], "purpose": "funder_reporting"}),
        ("consent.withdrawn", {"consent": given["id"], "purpose": "funder_reporting"}),
        ("consent.listed", {}),
    ]
