"""Erasing a learner: every personal value gone, the record marked, the reports unchanged,
the record frozen, the log and the audit holding ids only."""

from __future__ import annotations

import json

import pytest

from core.privacy.tables import Erasure
from core.surveys.tables import LearnerLink, SurveyAnswer
from tests.applications import apply, make_learner
from tests.core.test_reports_learners import cohort  # noqa: F401 (a fixture)
from tests.privacy import where_found
from tests.surveys import EXIT_DAY, THREE_MONTHS, enrolled, move_to, sent_secret
from tests.web import post_form

ERASE = {"reason": "request", "confirm": True}


async def _get(client, people, url, who="admin", **params):
    response = await client.get(url, params=params, headers=people.auth(who))
    assert response.status_code == 200, response.text
    return response.json()


async def _reports(client, people):
    return [
        await _get(client, people, "/api/v1/reports/learners", by=["site", "month"]),
        await _get(client, people, "/api/v1/reports/funnel", by=["site", "month"]),
    ]


async def erase(client, people, learner, who="admin", body=ERASE):
    return await client.post(
        f"/api/v1/learners/{learner}/erase", json=body, headers=people.auth(who)
    )


async def test_an_erasure_keeps_every_report_count(client, people, cohort):  # noqa: F811
    before = await _reports(client, people)
    for enrolment in (cohort[0], cohort[2]):  # the completer, and an under-26
        response = await erase(client, people, enrolment["learner"])
        assert response.status_code == 201, response.text
    assert await _reports(client, people) == before


async def test_an_erased_record_holds_no_personal_value_and_reads_as_erased(client, people):
    learner = await make_learner(
        client,
        people,
        first_name="Ilinca",
        last_name="Vasilescu",
        email="ilinca.v@example.org",
        phone="06 12 34 56 78",
        notes="Hébergée chez sa sœur",
        languages=["ro", "fr"],
    )
    await apply(client, people, learner)
    assert (await erase(client, people, learner)).status_code == 201
    record = await _get(client, people, f"/api/v1/learners/{learner}")
    assert record["last_name"] == "Personne effacée" and record["first_name"] == ""
    assert (record["email"], record["phone"], record["notes"], record["birth_date"]) == (
        "",
        "",
        "",
        None,
    )
    assert record["gender"] == "female" and record["site"] == "paris"
    export = (await _get(client, people, f"/api/v1/learners/{learner}/export"))["tables"]
    assert export["learner"][0]["age_band"] == "36-45"
    assert export["learner"][0]["erased_at"] is not None
    facts = [json.loads(check["facts"]) for check in export["eligibility_check"]]
    assert facts and all(fact["birth_date"] is None for fact in facts)
    for text in ("Ilinca", "Vasilescu", "ilinca", "12 34", "sœur", "1990-05-17"):
        assert text not in str(export), text


async def test_duplicate_detection_no_longer_finds_an_erased_person(client, people):
    person = {"first_name": "Ilinca", "last_name": "Vasilescu", "birth_date": "1990-05-17"}
    learner = await make_learner(client, people, phone="0612345678", **person)
    url = "/api/v1/learners/duplicates"
    query = {"who": "paris_manager", "phone": "0612345678", **person}
    assert [m["id"] for m in (await _get(client, people, url, **query))["matches"]] == [learner]
    await erase(client, people, learner)
    assert (await _get(client, people, url, **query))["matches"] == []


async def test_an_erased_record_refuses_every_change(client, people):
    learner = await make_learner(client, people)
    await erase(client, people, learner)
    manager = people.auth("paris_manager")
    changes = [
        client.patch(f"/api/v1/learners/{learner}", json={"notes": "x"}, headers=manager),
        client.post(
            f"/api/v1/learners/{learner}/consents", json={"purpose": "contact_sms"}, headers=manager
        ),
        client.post(
            "/api/v1/applications",
            json={"learner": learner, "site": "paris", "program": "atelier", "track": "initiation"},
            headers=manager,
        ),
    ]
    for change in changes:
        response = await change
        assert response.status_code == 409, response.text
    assert (await erase(client, people, learner)).status_code == 409


@pytest.mark.parametrize(
    ("who", "body", "status"),
    [
        ("paris_manager", ERASE, 403),
        ("central", ERASE, 403),
        ("admin", {"reason": "request"}, 422),
        ("admin", {"reason": "whim", "confirm": True}, 400),
    ],
)
async def test_only_a_confirming_admin_with_a_reason_erases(client, people, who, body, status):
    learner = await make_learner(client, people, first_name="Gardée")
    assert (await erase(client, people, learner, who=who, body=body)).status_code == status
    record = await _get(client, people, f"/api/v1/learners/{learner}")
    assert record["first_name"] == "Gardée"


async def test_the_log_and_the_audit_keep_ids_and_codes_only(client, people):
    learner = await make_learner(client, people, first_name="Ilinca", last_name="Vasilescu")
    response = await erase(client, people, learner)
    assert response.json()["learner"] == learner and response.json()["reason"] == "request"
    logged = await Erasure.select().where(Erasure.learner == learner)
    assert [(row["learner"], row["reason"]) for row in logged] == [(learner, "request")]
    trail = await _get(client, people, "/api/v1/audit", action="learner.erased")
    [entry] = [e for e in trail["items"] if e["action"] == "learner.erased"]
    assert entry["target_id"] == learner and "learner" in entry["details"]["tables"]
    assert "Ilinca" not in str(trail)


async def test_an_erasure_empties_the_survey_comment_and_ends_the_links(client, people, clock):
    enrolment = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    answered = await sent_secret(client, people, enrolment)
    survey = {"note": "2", "recommande": "non", "commentaire": "Trop rapide pour moi."}
    assert (await post_form(client, f"/suivi/{answered}", survey)).status_code == 303
    move_to(clock, THREE_MONTHS)
    waiting = await sent_secret(client, people, enrolment, "follow_up", 3)
    learner = (await LearnerLink.select(LearnerLink.learner).first())["learner"]
    assert (await erase(client, people, learner)).status_code == 201
    [answer] = await SurveyAnswer.select()
    assert (answer["comment"], answer["satisfaction"]) == ("", 2), "the counts stay"
    assert [row["secret_hash"] for row in await LearnerLink.select()] == [None, None]
    assert (await client.get(f"/suivi/{waiting}")).status_code == 404
    assert await where_found(["Trop rapide"]) == {}
