"""DIGISTART's website routes: submissions and reviews kept as history, addresses checked,
core's record written on each step, who may write and read, the audit trail."""

from __future__ import annotations

import pytest

from core.plugin import PersonalColumn, PersonalKind
from tests.applications import apply, make_learner, move
from tests.enrolment import enrol
from tests.plugins.digistart.journey import (
    enrolled,
    planned_cohort,
    review,
    submit,
    website_url,
)

SITE = "https://exemple.org/mon-site"


@pytest.fixture
async def cohort(client, people, clock):
    return await planned_cohort(client, people, clock)


@pytest.fixture
async def enrolment(client, people, cohort) -> int:
    return (await enrolled(client, people, cohort))["id"]


async def sheet(client, people, enrolment: int) -> dict[str, dict]:
    response = await client.get(
        f"/api/v1/enrolments/{enrolment}/assessments", headers=people.auth("paris_manager")
    )
    assert response.status_code == 200, response.text
    return {item["key"]: item for item in response.json()["items"]}


async def test_submissions_and_reviews_are_kept_and_written_on_core_s_record(
    client, people, cohort, enrolment
):
    empty = await client.get(website_url(enrolment), headers=cohort.trainer)
    assert empty.json() == {"enrolment": enrolment, "status": "missing", "submissions": []}

    first = await submit(client, cohort.trainer, enrolment, address=f"  {SITE}  ")
    assert first.status_code == 201, first.text
    assert (first.json()["address"], first.json()["kind"]) == (SITE, "url")
    assert first.json()["submitted_on"] == "2026-09-01"
    status = (await client.get(website_url(enrolment), headers=cohort.trainer)).json()["status"]
    assert status == "submitted"

    asked = await review(
        client,
        people.auth("paris_manager"),
        enrolment,
        first.json()["id"],
        decision="changes_requested",
        comment="  Le titre manque.  ",
    )
    assert asked.status_code == 201, asked.text
    assert asked.json()["comment"] == "Le titre manque."
    second = await submit(
        client, cohort.trainer, enrolment, address="https://gitlab.com/moi/site", kind="repository"
    )
    stale = await review(client, cohort.trainer, enrolment, first.json()["id"], decision="accepted")
    assert stale.status_code == 409, stale.text
    accepted = await review(
        client, cohort.trainer, enrolment, second.json()["id"], decision="accepted"
    )
    assert accepted.status_code == 201, accepted.text
    again = await submit(client, cohort.trainer, enrolment, address=SITE)
    assert again.status_code == 409, again.text

    website = (await client.get(website_url(enrolment), headers=cohort.trainer)).json()
    assert website["status"] == "accepted"
    assert [
        (s["address"], [r["decision"] for r in s["reviews"]]) for s in website["submissions"]
    ] == [
        (SITE, ["changes_requested"]),
        ("https://gitlab.com/moi/site", ["accepted"]),
    ]
    items = await sheet(client, people, enrolment)
    assert [r["value"] for r in items["website"]["history"]] == [
        SITE,
        "https://gitlab.com/moi/site",
        "https://gitlab.com/moi/site",
    ]
    assert [r["value"] for r in items["website_review"]["history"]] == [
        "changes_requested",
        "accepted",
    ]
    assert items["website_review"]["latest"]["passed"] is True


async def test_an_accepted_website_reviewed_again_takes_a_new_submission(
    client, people, cohort, enrolment
):
    first = (await submit(client, cohort.trainer, enrolment, address=SITE)).json()["id"]
    await review(client, cohort.trainer, enrolment, first, decision="accepted")
    second_look = await review(
        client,
        cohort.trainer,
        enrolment,
        first,
        decision="changes_requested",
        comment="Le lien du menu est cassé.",
    )
    assert second_look.status_code == 201, second_look.text
    fixed = await submit(client, cohort.trainer, enrolment, address=SITE + "/v2")
    assert fixed.status_code == 201, fixed.text
    items = await sheet(client, people, enrolment)
    assert items["website_review"]["latest"]["value"] == "changes_requested"
    assert items["website"]["latest"]["value"] == SITE + "/v2"


@pytest.mark.parametrize(
    "address",
    [
        "ftp://exemple.org/site",
        "exemple.org/site",
        "https://",
        "https://localhost/site",
        "https://exemple.org/mon site",
        "javascript:alert(1)",
        "http://[::1",
    ],
)
async def test_an_address_that_is_no_web_address_names_the_field(
    client, people, cohort, enrolment, address
):
    response = await submit(client, cohort.trainer, enrolment, address=address)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "address"
    assert "address" in response.json()["detail"]
    assert (await sheet(client, people, enrolment))["website"]["history"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"address": "https://exemple.org/" + "a" * 500}, "address"),
        ({"address": ""}, "address"),
        ({"address": SITE, "kind": "video"}, "kind"),
        ({"address": SITE, "owner": "x"}, "owner"),
    ],
)
async def test_a_malformed_submission_is_refused_at_the_edge(
    client, cohort, enrolment, body, field
):
    response = await client.post(
        f"{website_url(enrolment)}/submissions", json=body, headers=cohort.trainer
    )
    assert response.status_code == 400, response.text
    assert field in response.text


async def test_days_and_comments_are_checked(client, people, cohort, enrolment):
    ahead = await submit(client, cohort.trainer, enrolment, address=SITE, submitted_on="2026-09-02")
    assert ahead.status_code == 422
    assert ahead.json()["errors"][0]["field"] == "submitted_on"
    submitted = await submit(
        client, cohort.trainer, enrolment, address=SITE, submitted_on="2026-08-31"
    )
    number = submitted.json()["id"]
    silent = await review(client, cohort.trainer, enrolment, number, decision="changes_requested")
    assert silent.status_code == 422
    assert silent.json()["errors"][0]["field"] == "comment"
    early = await review(
        client, cohort.trainer, enrolment, number, decision="accepted", reviewed_on="2026-08-30"
    )
    assert early.status_code == 422
    assert early.json()["errors"][0]["field"] == "reviewed_on"
    missing = await review(client, cohort.trainer, enrolment, number + 99, decision="accepted")
    assert missing.status_code == 404
    website = (await client.get(website_url(enrolment), headers=cohort.trainer)).json()
    assert website["submissions"][0]["reviews"] == []


async def test_trainers_of_the_cohort_and_managers_of_the_site_write_others_do_not(
    client, people, cohort, enrolment
):
    for who, status in (
        ("central", 403),
        ("bordeaux_manager", 404),
        ("paris_trainer", 404),
    ):
        headers = people.auth(who)
        assert (await submit(client, headers, enrolment, address=SITE)).status_code == status
        assert (await client.get(website_url(enrolment), headers=headers)).status_code == status
    for headers in (cohort.trainer, people.auth("paris_manager"), people.auth("admin")):
        assert (await submit(client, headers, enrolment, address=SITE)).status_code == 201
    anonymous = await client.get(website_url(enrolment))
    assert anonymous.status_code == 401


async def test_an_enrolment_of_another_program_is_not_found(client, people):
    manager = people.auth("paris_manager")
    created = await client.post(
        "/api/v1/cohorts",
        json={
            "site": "paris",
            "program": "digital",
            "track": "beginner",
            "title": "DIGITAL débutant",
            "starts_on": "2026-10-05",
            "ends_on": "2026-11-05",
        },
        headers=manager,
    )
    assert created.status_code == 201, created.text
    learner = await make_learner(client, people)
    application = await apply(client, people, learner, program="digital", track="beginner")
    await move(client, people, application["id"], "screening")
    await move(client, people, application["id"], "admitted")
    other = await enrol(client, people, created.json()["id"], application["id"])
    assert (await submit(client, manager, other["id"], address=SITE)).status_code == 404
    assert (await client.get(website_url(other["id"]), headers=manager)).status_code == 404


async def test_writes_are_audited_with_ids_and_code_words_only(client, people, cohort, enrolment):
    submitted = await submit(client, cohort.trainer, enrolment, address=SITE)
    await review(
        client,
        cohort.trainer,
        enrolment,
        submitted.json()["id"],
        decision="changes_requested",
        comment="Le formulaire de Fatima ne marche pas.",
    )
    audit = await client.get(
        "/api/v1/audit",
        params={"target_type": "enrolment", "target_id": enrolment},
        headers=people.auth("admin"),
    )
    entries = {e["action"]: e for e in audit.json()["items"]}
    assert entries["digistart.website_submitted"]["details"] == {
        "submission": submitted.json()["id"],
        "kind": "url",
    }
    assert entries["digistart.website_reviewed"]["details"]["decision"] == "changes_requested"
    assert "exemple.org" not in audit.text
    assert "Fatima" not in audit.text


async def test_a_withdrawn_learner_s_website_is_not_recorded(client, people, cohort, enrolment):
    withdrawn = await client.post(
        f"/api/v1/enrolments/{enrolment}/withdraw",
        json={"reason": "déménagement"},
        headers=people.auth("paris_manager"),
    )
    assert withdrawn.status_code in (200, 201), withdrawn.text
    assert (await submit(client, cohort.trainer, enrolment, address=SITE)).status_code == 409
    website = (await client.get(website_url(enrolment), headers=cohort.trainer)).json()
    assert website["submissions"] == []


async def test_the_weeks_and_their_exercises_are_served(client, people):
    response = await client.get(
        "/api/v1/programs/digistart/weeks", headers=people.auth("paris_trainer")
    )
    assert response.status_code == 200, response.text
    weeks = response.json()["items"]
    assert [w["number"] for w in weeks] == list(range(1, 10))
    assert weeks[0]["unit"] == "html_structure"
    assert all(w["exercises"] and all(e["practises"] for e in w["exercises"]) for w in weeks)
    assert (await client.get("/api/v1/programs/digistart/weeks")).status_code == 401


def test_essaim_personal_data_declares_the_address_and_the_comment(plugin_host) -> None:
    declared = [column for name, column in plugin_host.personal_data() if name == "digistart"]
    assert declared == [
        PersonalColumn(
            table="digistart_website_submission",
            column="address",
            kind=PersonalKind.LINK,
            learner="enrolment",
        ),
        PersonalColumn(
            table="digistart_website_review",
            column="comment",
            kind=PersonalKind.FREE_TEXT,
            learner="enrolment",
        ),
    ]
