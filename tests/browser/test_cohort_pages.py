"""In a real browser: a cohort's page and a learner's record, each saved as a screenshot and
checked with axe; a withdrawal made on the cohort's page with JavaScript off, whose freed
place goes to the first person on the waitlist; then, with JavaScript, a transfer whose
error and confirmation HTMX swaps into the page. The tests run in this order on one cohort."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.server import MANAGER, TRAINER, Essaim, api
from tests.browser.test_pages import shoot_and_check
from tests.browser.test_trainer import sign_in

PEOPLE = (("Nadia", "Haddad", "female"), ("Omar", "Fall", "male"), ("Sara", "Koné", "female"))
"""Enrolled in the cohort below in this order: two places, so Sara waits."""


def _ok(response):
    assert response.status_code < 300, response.text
    return response.json()


@pytest.fixture(scope="module")
def cohort(essaim: Essaim) -> dict:
    """A Paris DIGITAL beginners' cohort of two places, planned, with Nadia and Omar enrolled
    and Sara on its waitlist: the cohort's id and the learners' and enrolments' ids."""
    starts = date.today() + timedelta(days=20)
    with api(essaim.url, MANAGER) as manager:
        body = {
            "site": "paris",
            "program": "digital",
            "track": "beginner",
            "title": "Débutants du soir",
            "starts_on": starts.isoformat(),
            "ends_on": (starts + timedelta(days=40)).isoformat(),
            "capacity": 2,
        }
        cohort = _ok(manager.post("/api/v1/cohorts", json=body))["id"]
        rhythm = {"weekdays": [2, 4], "day_starts": "18:00:00", "day_ends": "20:00:00"}
        _ok(manager.patch(f"/api/v1/cohorts/{cohort}", json=rhythm))
        _ok(manager.post(f"/api/v1/cohorts/{cohort}/sessions/plan"))
        learners, enrolments = [], []
        for first, last, gender in PEOPLE:
            learner = _ok(
                manager.post(
                    "/api/v1/learners",
                    json={
                        "site": "paris",
                        "first_name": first,
                        "last_name": last,
                        "gender": gender,
                        "birth_date": "1992-03-14",
                        "french_level": "B1",
                        "email": f"{first.lower()}.essai@example.org",
                    },
                )
            )["id"]
            wanted = {"learner": learner, "site": "paris", "program": "digital"}
            application = _ok(
                manager.post("/api/v1/applications", json=wanted | {"track": "beginner"})
            )["id"]
            for status in ("screening", "admitted"):
                _ok(
                    manager.post(
                        f"/api/v1/applications/{application}/transitions", json={"to": status}
                    )
                )
            placed = _ok(
                manager.post(
                    f"/api/v1/cohorts/{cohort}/enrolments", json={"application_id": application}
                )
            )
            learners.append(learner)
            enrolments.append(placed["id"])
        later = dict(body, title="Débutants du samedi", capacity=5)
        other = _ok(manager.post("/api/v1/cohorts", json=later))["id"]
    return {"id": cohort, "learners": learners, "enrolments": enrolments, "other": other}


def test_the_cohort_page(page, cohort: dict, screenshots) -> None:
    sign_in(page, MANAGER)
    response = page.goto(f"/cohortes/{cohort['id']}")
    assert response.status == 200
    assert page.get_by_role("heading", name="Débutants du soir", level=1).is_visible()
    assert page.get_by_role("row", name="Nadia Haddad").is_visible()
    waitlist = page.get_by_role("region", name="Liste d'attente")
    assert waitlist.get_by_role("link", name="Sara Koné").is_visible()
    shoot_and_check(page, screenshots, "responsable-promotion")


def test_the_cohort_list_and_the_trainers_view(page, essaim: Essaim, screenshots) -> None:
    sign_in(page, MANAGER)
    assert page.goto("/antenne/cohortes").status == 200
    shoot_and_check(page, screenshots, "responsable-promotions")
    page.context.clear_cookies()
    sign_in(page, TRAINER)
    assert page.goto(f"/cohortes/{essaim.cohort}").status == 200
    assert page.get_by_role("button", name="Retirer").count() == 0
    shoot_and_check(page, screenshots, "formateur-promotion")


def test_the_learner_record(page, cohort: dict, screenshots) -> None:
    sign_in(page, MANAGER)
    page.goto("/apprenants?q=haddad")
    shoot_and_check(page, screenshots, "responsable-recherche-apprenants")
    page.get_by_role("link", name="Nadia Haddad").click()
    page.wait_for_url(f"**/apprenants/{cohort['learners'][0]}")
    assert page.get_by_role("link", name="Débutants du soir").is_visible()
    shoot_and_check(page, screenshots, "responsable-fiche-apprenant")


def test_a_withdrawal_without_javascript(
    page_without_js, essaim: Essaim, cohort: dict, screenshots
):
    page = page_without_js
    sign_in(page, MANAGER)
    page.goto(f"/cohortes/{cohort['id']}")
    page.get_by_role("button", name="Retirer").click()
    page.get_by_text("Choisissez la personne qui quitte la promotion.").first.wait_for()
    shoot_and_check(page, screenshots, "responsable-retrait-erreur-sans-js", axe=False)
    page.get_by_label("Personne qui part").select_option(label="Omar Fall")
    page.get_by_label("Motif de l'abandon").fill("A trouvé un emploi.")
    page.get_by_role("button", name="Retirer").click()
    page.get_by_text("Le retrait est enregistré.").wait_for()
    assert page.url.endswith(f"/cohortes/{cohort['id']}?fait=retrait")
    shoot_and_check(page, screenshots, "responsable-retrait-sans-js", axe=False)
    with api(essaim.url, MANAGER) as manager:
        roster = manager.get(f"/api/v1/cohorts/{cohort['id']}/roster").json()
    assert [entry["learner"] for entry in roster["offered"]] == [cohort["learners"][2]]
    assert [entry["learner"] for entry in roster["enrolled"]] == [cohort["learners"][0]]


def test_a_transfer_with_javascript(page, essaim: Essaim, cohort: dict, screenshots) -> None:
    sign_in(page, MANAGER)
    page.goto(f"/cohortes/{cohort['id']}")
    page.get_by_role("button", name="Transférer").click()
    page.get_by_text("Choisissez la personne à transférer.").first.wait_for()
    assert page.url.endswith(f"/cohortes/{cohort['id']}"), "HTMX swapped the page in place"
    page.get_by_label("Personne à transférer").select_option(label="Nadia Haddad")
    target = page.get_by_role("option", name="Débutants du samedi").first.inner_text()
    page.get_by_label("Nouvelle promotion").select_option(label=target)
    page.get_by_role("button", name="Transférer").click()
    page.get_by_text("Le transfert est enregistré.").wait_for()
    shoot_and_check(page, screenshots, "responsable-transfert")
    with api(essaim.url, MANAGER) as manager:
        there = manager.get(f"/api/v1/cohorts/{cohort['other']}/roster").json()
    assert [entry["learner"] for entry in there["enrolled"]] == [cohort["learners"][0]]
