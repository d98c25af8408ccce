"""DIGISTART's assessments on core's cohort page: each week's exercises and the final
exercise are recorded there; the website and its review, which the plugin's own routes
check, are listed and never offered."""

from __future__ import annotations

from tests.plugins.digistart.journey import enrolled, planned_cohort
from tests.web import post_form, sign_in


async def test_the_weeks_are_recorded_on_the_page_and_the_website_is_not_offered(
    client, people, clock
):
    cohort = await planned_cohort(client, people, clock)
    enrolment = (await enrolled(client, people, cohort))["id"]
    await sign_in(client, "paris_manager")
    page = f"/cohortes/{cohort.id}/evaluations"
    shown = await client.get(page)
    assert shown.status_code == 200
    offered = shown.text.split('id="choix-evaluation"')[1].split("</select>")[0]
    assert 'value="html_structure"' in offered and 'value="final_exercise"' in offered
    assert 'value="website"' not in offered and 'value="website_review"' not in offered
    own = shown.text.split('id="programme"')[1]
    assert "Site web personnel" in own and "Relecture du site web" in own
    refused = await post_form(
        client, page, {"evaluation": "website", "date": "2026-09-01", f"valeur-{enrolment}": "x"}
    )
    assert refused.status_code == 422 and 'href="#evaluation"' in refused.text
    recorded = await post_form(
        client,
        page,
        {"evaluation": "html_structure", "date": "2026-09-01", f"valeur-{enrolment}": "done"},
    )
    assert recorded.status_code == 303
    sheet = await client.get(
        f"/api/v1/enrolments/{enrolment}/assessments", headers=people.auth("paris_manager")
    )
    latest = {item["key"]: item["latest"] for item in sheet.json()["items"]}
    assert latest["html_structure"]["value"] == "done"
