"""In a real browser: the site manager records an assessment for the cohort (an error kept
in place, then saved), asks the program's completion decision, and imports a learners' file
after its dry run names the invalid row; each of these pages is saved as a screenshot and
checked by axe."""

from __future__ import annotations

import pytest

from tests.browser.server import MANAGER, TRAINER, Essaim, api
from tests.browser.test_pages import shoot_and_check
from tests.browser.test_trainer import sign_in

PAGES = [
    ("responsable-evaluations", MANAGER, "/cohortes/{cohort}/evaluations"),
    ("formateur-evaluations", TRAINER, "/cohortes/{cohort}/evaluations"),
    ("responsable-validation", MANAGER, "/cohortes/{cohort}/validation"),
    ("responsable-configuration", MANAGER, "/antenne/configuration"),
    ("responsable-import", MANAGER, "/antenne/import"),
]
"""The record pages: name, who signs in, address."""


def _enrolments(essaim: Essaim) -> dict[int, int]:
    """The cohort's enrolment of each learner."""
    with api(essaim.url, MANAGER) as manager:
        roster = manager.get(f"/api/v1/cohorts/{essaim.cohort}/roster").json()
    return {entry["learner"]: entry["enrolment"] for entry in roster["enrolled"]}


def _latest(essaim: Essaim, enrolment: int) -> dict[str, str | None]:
    with api(essaim.url, MANAGER) as manager:
        sheet = manager.get(f"/api/v1/enrolments/{enrolment}/assessments").json()
    return {item["key"]: item["latest"] and item["latest"]["value"] for item in sheet["items"]}


@pytest.mark.parametrize(("name", "who", "address"), PAGES, ids=[name for name, *_ in PAGES])
def test_record_page(page, essaim: Essaim, screenshots, name: str, who: str, address: str):
    sign_in(page, who)
    response = page.goto(address.format(cohort=essaim.cohort))
    assert response.status == 200, address
    shoot_and_check(page, screenshots, name)


def test_the_manager_records_an_assessment_with_an_error_kept_in_place(
    page, essaim: Essaim, screenshots
):
    awa, karim, _ = essaim.learners
    enrolments = _enrolments(essaim)
    sign_in(page, MANAGER)
    page.goto(f"/cohortes/{essaim.cohort}/evaluations")
    first = page.locator("#choix-evaluation").input_value()
    awa_row = page.locator("fieldset", has_text="Awa Diallo")
    karim_row = page.locator("fieldset", has_text="Karim Benali")
    awa_row.get_by_label("Résultat").select_option("acquired")
    karim_row.get_by_label("Commentaire (facultatif)").fill("Absent au contrôle")
    page.get_by_role("button", name="Enregistrer les résultats").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Karim Benali" in summary.inner_text()
    assert awa_row.get_by_label("Résultat").input_value() == "acquired", "kept as chosen"
    assert _latest(essaim, enrolments[awa])[first] is None, "nothing recorded on an error"
    shoot_and_check(page, screenshots, "responsable-evaluations-erreur")
    karim_row.get_by_label("Commentaire (facultatif)").fill("")
    page.get_by_role("button", name="Enregistrer les résultats").click()
    page.get_by_role("status").wait_for()
    assert "1 résultat enregistré" in page.get_by_role("status").inner_text()
    assert _latest(essaim, enrolments[awa])[first] == "acquired"
    assert _latest(essaim, enrolments[karim])[first] is None


def test_the_manager_asks_the_completion_decision(page, essaim: Essaim, screenshots):
    sign_in(page, MANAGER)
    page.goto(f"/cohortes/{essaim.cohort}/validation")
    section = page.locator("section.learner", has_text="Léa Martin")
    section.get_by_role("button", name="Demander la décision du programme").click()
    page.get_by_role("status").wait_for()
    section = page.locator("section.learner", has_text="Léa Martin")
    assert "Pas encore terminé" in section.inner_text()
    assert "Heures suivies" in section.inner_text()
    shoot_and_check(page, screenshots, "responsable-validation-decision")


def test_the_manager_imports_learners_after_the_dry_run(page, essaim: Essaim, screenshots):
    content = (
        "first_name,last_name,gender,birth_date\n"
        "Samia,Navigatrice,female,1992-03-04\n"
        "Omar,Sansdate,male,1991-02-30\n"
        "Inès,Importée,female,1993-06-07\n"
    ).encode()
    sign_in(page, MANAGER)
    page.goto("/antenne/import")
    page.get_by_label("Apprenants").check()
    page.set_input_files(
        "#fichier", files=[{"name": "inscrits.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    table = page.locator("#lignes-invalides")
    table.wait_for()
    row = table.locator("tbody tr")
    assert row.count() == 1
    assert row.first.locator("td").first.inner_text() == "3"
    assert "birth_date" in row.first.inner_text()
    shoot_and_check(page, screenshots, "responsable-import-verification")
    page.get_by_role("button", name="Importer 2 lignes").click()
    page.get_by_role("status").wait_for()
    done = page.get_by_role("status").inner_text()
    assert "2 lignes ajoutées" in done and "1 ligne invalide" in done
    with api(essaim.url, MANAGER) as manager:
        found = manager.get("/api/v1/learners", params={"site": "paris", "q": "Navigatrice"})
    assert "Navigatrice" in found.text


def test_the_trainer_records_another_assessment_without_javascript(
    page_without_js, essaim: Essaim, screenshots
):
    page = page_without_js
    _, _, lea = essaim.learners
    enrolments = _enrolments(essaim)
    sign_in(page, TRAINER)
    page.goto(f"/cohortes/{essaim.cohort}/evaluations")
    second = page.locator("#choix-evaluation option").nth(1).get_attribute("value")
    page.locator("#choix-evaluation").select_option(second)
    page.get_by_role("button", name="Choisir").click()
    page.wait_for_url(f"**evaluation={second}")
    page.locator("fieldset", has_text="Léa Martin").get_by_label("Résultat").select_option(
        "in_progress"
    )
    page.get_by_role("button", name="Enregistrer les résultats").click()
    page.wait_for_url(f"**evaluation={second}&enregistre=1")
    assert "1 résultat enregistré" in page.get_by_role("status").inner_text()
    assert _latest(essaim, enrolments[lea])[second] == "in_progress"
    shoot_and_check(page, screenshots, "formateur-evaluations-sans-js", axe=False)
