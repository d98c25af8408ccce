"""DIGITOUS on core's cohort pages: the bootcamp's checkpoints recorded on the assessments
page on their four-level scale, its final project's repository as text; the completion page
says what the phase 1 gate gives today."""

from __future__ import annotations

from datetime import date

from tests.enrolment import enrol
from tests.plugins.digitous.steps import bootcamp_applicant, new_cohort
from tests.web import post_form, sign_in


async def test_the_bootcamp_checkpoints_and_project_are_recorded_on_the_page(client, people):
    cohort = await new_cohort(client, people, "bootcamp", date(2026, 10, 5))
    _, application = await bootcamp_applicant(client, people)
    enrolment = (await enrol(client, people, cohort, application))["id"]
    await sign_in(client, "paris_manager")
    page = f"/cohortes/{cohort}/evaluations"
    shown = await client.get(page)
    offered = shown.text.split('id="choix-evaluation"')[1].split("</select>")[0]
    assert 'value="project_repository"' in offered
    first = offered.split('value="')[1].split('"')[0]
    scale = await client.get(page, params={"evaluation": first})
    for grade in ("below", "approaching", "meets", "above"):
        assert f'value="{grade}"' in scale.text
    wrong = await post_form(
        client, page, {"evaluation": first, "date": "2026-09-01", f"valeur-{enrolment}": "good"}
    )
    assert wrong.status_code == 422 and f'href="#valeur-{enrolment}"' in wrong.text
    for key, value in ((first, "meets"), ("project_repository", "https://git.example.org/p")):
        saved = await post_form(
            client, page, {"evaluation": key, "date": "2026-09-01", f"valeur-{enrolment}": value}
        )
        assert saved.status_code == 303, saved.text
    sheet = await client.get(
        f"/api/v1/enrolments/{enrolment}/assessments", headers=people.auth("paris_manager")
    )
    latest = {item["key"]: item["latest"] for item in sheet.json()["items"]}
    assert latest[first]["value"] == "meets"
    assert latest["project_repository"]["value"] == "https://git.example.org/p"
    completion = await client.get(f"/cohortes/{cohort}/validation")
    assert completion.status_code == 200 and "ne terminerait pas encore" in completion.text
