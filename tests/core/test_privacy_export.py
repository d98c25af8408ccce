"""A learner's full export: every row that leads to them, as JSON and as a readable PDF."""

from __future__ import annotations

from core.surveys.tables import LearnerLink
from tests.applications import make_learner
from tests.documents import rendered_text
from tests.enrolment import admitted, enrol
from tests.surveys import EXIT_DAY, enrolled, move_to, sent_secret
from tests.web import post_form


async def _enrolled_learner(client, people) -> tuple[int, int, int]:
    application = await admitted(
        client, people, first_name="Zoé", last_name="Exportée", notes="Suivie par la mission locale"
    )
    enrolment = await enrol(client, people, people.paris_cohort, application)
    return enrolment["learner"], application, enrolment["id"]


async def test_the_export_holds_every_table_that_leads_to_the_learner(client, people):
    learner, application, enrolment = await _enrolled_learner(client, people)
    other = await make_learner(client, people, first_name="Autre", last_name="Personne")
    response = await client.get(
        f"/api/v1/learners/{learner}/export", headers=people.auth("paris_manager")
    )
    assert response.status_code == 200, response.text
    tables = response.json()["tables"]
    assert tables["learner"][0]["notes"] == "Suivie par la mission locale"
    assert [row["id"] for row in tables["application"]] == [application]
    assert [row["id"] for row in tables["enrolment"]] == [enrolment]
    assert {row["to_status"] for row in tables["application_event"]} >= {"admitted"}
    assert all(row["application"] == application for row in tables["eligibility_check"])
    assert "eligibility_finding" in tables
    assert [row["enrolment"] for row in tables["report_enrolment"]] == [enrolment]
    assert [row["id"] for row in tables["learner"]] == [learner] != [other]
    assert "Autre" not in response.text


async def test_the_export_is_audited_with_ids_only(client, people):
    learner, _, _ = await _enrolled_learner(client, people)
    await client.get(f"/api/v1/learners/{learner}/export", headers=people.auth("admin"))
    trail = await client.get(
        "/api/v1/audit", params={"action": "learner.exported"}, headers=people.auth("admin")
    )
    entries = [e for e in trail.json()["items"] if e["action"] == "learner.exported"]
    assert [(e["target_id"], e["details"]["format"]) for e in entries] == [(learner, "json")]
    assert "learner" in entries[0]["details"]["tables"]
    assert "Exportée" not in trail.text


async def test_the_export_is_for_the_learners_site_managers_and_admins(client, people):
    learner, _, _ = await _enrolled_learner(client, people)
    url = f"/api/v1/learners/{learner}/export"
    statuses = {
        who: (await client.get(url, headers=people.auth(who))).status_code
        for who in ("admin", "paris_manager", "bordeaux_manager", "central", "paris_trainer")
    }
    assert statuses == {
        "admin": 200,
        "paris_manager": 200,
        "bordeaux_manager": 404,
        "central": 403,
        "paris_trainer": 404,
    }


async def test_the_pdf_export_reads_in_french(client, people, tmp_path):
    learner, _, _ = await _enrolled_learner(client, people)
    response = await client.get(
        f"/api/v1/learners/{learner}/export.pdf", headers=people.auth("paris_manager")
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = rendered_text(tmp_path, response.content)
    assert "Vos données enregistrées dans Essaim" in text
    assert "Fiche de la personne" in text and "Inscriptions (1)" in text
    assert "Exportée" in text and "Suivie par la mission locale" in text


async def test_the_export_holds_the_survey_answer_and_the_links(client, people, clock):
    enrolment = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    secret = await sent_secret(client, people, enrolment)
    answered = await post_form(
        client, f"/suivi/{secret}", {"note": "5", "recommande": "oui", "commentaire": "Super."}
    )
    assert answered.status_code == 303
    learner = (await LearnerLink.select(LearnerLink.learner).first())["learner"]
    response = await client.get(
        f"/api/v1/learners/{learner}/export", headers=people.auth("paris_manager")
    )
    tables = response.json()["tables"]
    [answer] = tables["survey_answer"]
    assert (answer["satisfaction"], answer["comment"]) == (5, "Super.")
    [link] = tables["learner_link"]
    assert link["purpose"] == "survey" and link["answered_at"] is not None
    assert secret not in str(link), "only its hash is stored"
