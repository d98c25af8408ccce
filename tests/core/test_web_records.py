"""The site manager's record pages: a cohort's assessments recorded through the form, its
completion decided and its attestations, by the services the API uses, with errors in
place and records out of reach hidden."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.enrolment import admitted, enrol
from tests.web import post_form, sign_in


@pytest.fixture
async def cohort(client, people):
    """The Paris cohort with two enrolled learners: (enrolment, learner) each."""
    placed = []
    for _ in range(2):
        enrolled = await enrol(client, people, people.paris_cohort, await admitted(client, people))
        placed.append((enrolled["id"], enrolled["learner"]))
    return placed


async def _latest(client, people, enrolment):
    sheet = await client.get(
        f"/api/v1/enrolments/{enrolment}/assessments", headers=people.auth("paris_manager")
    )
    items = sheet.json()["items"]
    return {item["key"]: item["latest"] and item["latest"]["value"] for item in items}


# Assessments -------------------------------------------------------------------------------


async def test_the_manager_records_an_assessment_for_the_cohort(client, people, cohort):
    (first, _), (second, _) = cohort
    await sign_in(client, "paris_manager")
    page = f"/cohortes/{people.paris_cohort}/evaluations"
    shown = await client.get(page)
    assert shown.status_code == 200
    assert "Bilan final" in shown.text and "Carnet de bord" in shown.text
    response = await post_form(
        client,
        page,
        {"evaluation": "bilan", "date": "2026-09-01", f"valeur-{first}": "done"},
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{page}?evaluation=bilan&enregistre=1"
    assert (await _latest(client, people, first))["bilan"] == "done"
    assert (await _latest(client, people, second))["bilan"] is None
    confirmed = await client.get(response.headers["location"])
    assert "1 résultat enregistré." in confirmed.text


async def test_a_wrong_result_is_named_in_place_and_nothing_is_recorded(client, people, cohort):
    (first, _), (second, _) = cohort
    await sign_in(client, "paris_manager")
    page = f"/cohortes/{people.paris_cohort}/evaluations"
    response = await post_form(
        client,
        page,
        {
            "evaluation": "bilan",
            "date": "2026-09-01",
            f"valeur-{first}": "done",
            f"valeur-{second}": "brilliant",
            f"commentaire-{first}": "Très bon travail",
        },
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert f'href="#valeur-{second}"' in response.text
    assert "choisissez une des valeurs proposées" in response.text
    assert 'value="Très bon travail"' in response.text, "what was typed is kept"
    assert (await _latest(client, people, first))["bilan"] is None


async def test_a_day_ahead_and_an_empty_form_are_refused(client, people, cohort):
    await sign_in(client, "paris_manager")
    page = f"/cohortes/{people.paris_cohort}/evaluations"
    ahead = await post_form(client, page, {"evaluation": "bilan", "date": "2030-01-01"})
    assert ahead.status_code == 422
    assert 'href="#date"' in ahead.text and 'href="#resultats-vides"' not in ahead.text
    empty = await post_form(client, page, {"evaluation": "bilan", "date": "2026-09-01"})
    assert empty.status_code == 422 and 'href="#resultats-vides"' in empty.text
    unknown = await post_form(client, page, {"evaluation": "nope", "date": "2026-09-01"})
    assert unknown.status_code == 422 and 'href="#evaluation"' in unknown.text


async def test_a_deliverable_is_recorded_as_typed(client, people, cohort):
    (first, _), _ = cohort
    await sign_in(client, "paris_manager")
    page = f"/cohortes/{people.paris_cohort}/evaluations"
    chosen = await client.get(f"{page}?evaluation=carnet")
    assert f'name="valeur-{first}" type="text"' in chosen.text
    response = await post_form(
        client,
        page,
        {"evaluation": "carnet", "date": "2026-09-01", f"valeur-{first}": "https://exemple.org"},
    )
    assert response.status_code == 303
    assert (await _latest(client, people, first))["carnet"] == "https://exemple.org"


async def test_the_cohort_trainer_records_assessments_as_the_api_lets_them(client, people, cohort):
    (first, _), _ = cohort
    await sign_in(client, "paris_trainer")
    page = f"/cohortes/{people.paris_cohort}/evaluations"
    response = await post_form(
        client, page, {"evaluation": "bilan", "date": "2026-09-01", f"valeur-{first}": "done"}
    )
    assert response.status_code == 303


@pytest.mark.parametrize(("who", "status"), [("bordeaux_manager", 404), ("central", 403)])
async def test_the_assessments_of_a_cohort_out_of_reach_are_refused(
    client, people, cohort, who, status
):
    await sign_in(client, who)
    response = await client.get(f"/cohortes/{people.paris_cohort}/evaluations")
    assert response.status_code == status
    assert "Bilan final" not in response.text


async def test_the_assessments_page_asks_to_sign_in(client, people):
    response = await client.get(f"/cohortes/{people.paris_cohort}/evaluations")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/connexion?suivant=/cohortes/")


# Completion and attestations ---------------------------------------------------------------


async def test_the_manager_asks_the_program_and_downloads_the_attestation(client, people, cohort):
    (first, _), _ = cohort
    await sign_in(client, "paris_manager")
    await post_form(
        client,
        f"/cohortes/{people.paris_cohort}/evaluations",
        {"evaluation": "bilan", "date": "2026-09-01", f"valeur-{first}": "done"},
    )
    page = f"/cohortes/{people.paris_cohort}/validation"
    shown = await client.get(page)
    assert shown.status_code == 200
    assert shown.text.count("Pas encore décidé") == 2
    first_part = shown.text.split(f'id="personne-{first}"')[1].split("</section>")[0]
    assert "Aujourd'hui, selon les règles du programme" in first_part
    assert "ne terminerait pas encore" in first_part and "Le bilan final est fait." in first_part
    undecided = await client.get(
        f"/api/v1/enrolments/{first}/completion", headers=people.auth("paris_manager")
    )
    assert undecided.status_code == 404, "what the rules give today is recorded nowhere"
    response = await post_form(client, page, {"inscription": str(first)})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{page}?decide={first}#personne-{first}"
    decided = await client.get(page, params={"decide": first})
    assert "La décision du programme est enregistrée." in decided.text
    assert "Le bilan final est fait." in decided.text
    assert "Pas encore terminé" in decided.text, "no session held: attendance is not met"
    refused = decided.text.split(f'id="personne-{first}"')[1].split("</section>")[0]
    assert "selon les règles du programme" not in refused, "the same findings are not repeated"
    assert "attestation.pdf" not in decided.text
    overridden = await client.post(
        f"/api/v1/enrolments/{first}/completion/override",
        json={"reason": "Parcours validé en commission."},
        headers=people.auth("paris_manager"),
    )
    assert overridden.status_code == 200
    completed = await client.get(page)
    assert f'href="/api/v1/enrolments/{first}/attestation.pdf"' in completed.text
    assert "Parcours validé en commission." in completed.text
    pdf = await client.get(f"/api/v1/enrolments/{first}/attestation.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    refused = await post_form(client, page, {"inscription": "999999"})
    assert refused.status_code == 422 and 'href="#decisions"' in refused.text


async def test_the_trainer_reads_completion_but_does_not_decide(client, people, cohort):
    (first, _), _ = cohort
    await sign_in(client, "paris_trainer")
    page = f"/cohortes/{people.paris_cohort}/validation"
    shown = await client.get(page)
    assert shown.status_code == 200
    assert 'name="inscription"' not in shown.text
    refused = await post_form(client, page, {"inscription": str(first)})
    assert refused.status_code == 403


@pytest.mark.parametrize(("who", "status"), [("bordeaux_manager", 404), ("central", 403)])
async def test_the_completion_of_a_cohort_out_of_reach_is_refused(
    client, people, cohort, who, status
):
    await sign_in(client, who)
    response = await client.get(f"/cohortes/{people.paris_cohort}/validation")
    assert response.status_code == status
    assert "personne-" not in response.text


async def test_the_manager_declares_completion_with_a_reason_kept_on_an_error(
    client, people, cohort
):
    (first, _), (second, _) = cohort
    await sign_in(client, "paris_manager")
    page = f"/cohortes/{people.paris_cohort}/validation"
    await post_form(client, page, {"inscription": str(first)})
    short = await post_form(
        client,
        f"{page}/derogation",
        {"inscription": str(first), f"motif-{first}": "Oui"},
        page=page,
    )
    assert short.status_code == 422
    assert f'href="#motif-{first}"' in short.text and ">Oui</textarea>" in short.text
    undecided = await post_form(
        client,
        f"{page}/derogation",
        {"inscription": str(second), f"motif-{second}": "Parcours validé en commission."},
        page=page,
    )
    assert undecided.status_code == 422, "an override answers a refusal"
    done = await post_form(
        client,
        f"{page}/derogation",
        {"inscription": str(first), f"motif-{first}": "Parcours validé en commission."},
        page=page,
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"{page}?derogation={first}#personne-{first}"
    shown = await client.get(page, params={"derogation": first})
    assert "La fin de formation est déclarée" in shown.text
    assert f"/api/v1/enrolments/{first}/attestation.pdf" in shown.text
    client.cookies.delete("essaim_session")
    await sign_in(client, "paris_trainer")
    refused = await post_form(client, f"{page}/derogation", {"inscription": str(second)}, page=page)
    assert refused.status_code == 403


async def test_what_the_rules_give_today_follows_attendance_and_results(client, people, clock):
    manager = people.auth("paris_manager")
    rhythm = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}
    await client.patch(f"/api/v1/cohorts/{people.paris_cohort}", json=rhythm, headers=manager)
    plan = await client.post(
        f"/api/v1/cohorts/{people.paris_cohort}/sessions/plan", headers=manager
    )
    placed = await enrol(client, people, people.paris_cohort, await admitted(client, people))
    clock.advance(timedelta(days=38))  # Friday 9 October: the first two sessions are over
    for session in [s["id"] for s in plan.json()["items"][:2]]:
        marked = await client.put(
            f"/api/v1/sessions/{session}/attendance",
            json={
                "marks": [{"learner": placed["learner"], "status": "present", "signed": "sheet"}],
                "trainer_signed": "sheet",
            },
            headers=manager,
        )
        assert marked.status_code == 200, marked.text
    await sign_in(client, "paris_trainer")
    page = f"/cohortes/{people.paris_cohort}/validation"
    before = await client.get(page)
    assert "ne terminerait pas encore" in before.text
    await post_form(
        client,
        f"/cohortes/{people.paris_cohort}/evaluations",
        {"evaluation": "bilan", "date": "2026-10-09", f"valeur-{placed['id']}": "done"},
    )
    after = await client.get(page)
    assert "terminerait" in after.text and "ne terminerait pas encore" not in after.text
    recorded = await client.get(f"/api/v1/enrolments/{placed['id']}/completion", headers=manager)
    assert recorded.status_code == 404
