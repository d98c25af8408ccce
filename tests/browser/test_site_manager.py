"""In a real browser: the site manager screens an application, admits it and enrols it into a
cohort, with and without JavaScript, and sees it on the cohort's line of the home."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.server import MANAGER, Essaim, api
from tests.browser.test_pages import shoot_and_check
from tests.browser.test_trainer import sign_in

COHORT = "Débutants de printemps"
"""The cohort these tests enrol into, apart from the trainer's whose roster they check."""


@pytest.fixture(scope="module")
def cohort(essaim: Essaim) -> int:
    """A Paris DIGITAL beginners' cohort starting in a month, with 12 places."""
    starts = date.today() + timedelta(days=30)
    with api(essaim.url, MANAGER) as manager:
        body = {
            "site": "paris",
            "program": "digital",
            "track": "beginner",
            "title": COHORT,
            "starts_on": starts.isoformat(),
            "ends_on": (starts + timedelta(days=60)).isoformat(),
            "capacity": 12,
        }
        created = manager.post("/api/v1/cohorts", json=body)
    assert created.status_code == 201, created.text
    return created.json()["id"]


def new_application(essaim: Essaim, first: str, last: str) -> int:
    """A new application to the Paris DIGITAL beginners, made over the API."""
    with api(essaim.url, MANAGER) as manager:
        learner = manager.post(
            "/api/v1/learners",
            json={
                "site": "paris",
                "first_name": first,
                "last_name": last,
                "gender": "female",
                "birth_date": "1988-02-03",
                "french_level": "B2",
            },
        ).json()["id"]
        body = {"learner": learner, "site": "paris", "program": "digital", "track": "beginner"}
        return manager.post("/api/v1/applications", json=body).json()["id"]


def enrolled_in(essaim: Essaim, cohort: int, application: int) -> int:
    """How many are enrolled in ``cohort``, once ``application`` is among them."""
    with api(essaim.url, MANAGER) as manager:
        roster = manager.get(f"/api/v1/cohorts/{cohort}/roster").json()
    assert application in [entry["application"] for entry in roster["enrolled"]]
    return len(roster["enrolled"])


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_site_manager_admits_an_applicant_and_enrols_them(
    request, essaim: Essaim, cohort: int, screenshots, javascript: bool
) -> None:
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    name = ("Inès", "Moreau") if javascript else ("Fatou", "Sow")
    application = new_application(essaim, *name)
    shots = "" if javascript else "-sans-js"
    sign_in(page, MANAGER)
    assert page.url.endswith("/antenne")
    page.get_by_role("link", name="Examiner les nouvelles candidatures").click()
    page.get_by_role("link", name=" ".join(name)).click()
    page.wait_for_url(f"**/candidatures/{application}")
    shoot_and_check(page, screenshots, f"responsable-candidature-recue{shots}", axe=javascript)

    page.get_by_role("button", name="Commencer l'examen").click()
    page.get_by_text("La candidature est maintenant : En cours d'examen.").wait_for()
    page.get_by_role("button", name="Admettre").click()
    page.get_by_text("La candidature est maintenant : Admise.").wait_for()
    page.get_by_label("Promotion").select_option(
        label=page.get_by_role("option", name=COHORT).first.inner_text()
    )
    shoot_and_check(page, screenshots, f"responsable-candidature-admise{shots}", axe=javascript)
    page.get_by_role("button", name="Inscrire").click()
    page.get_by_text("Inscription faite dans la promotion.").wait_for()
    shoot_and_check(page, screenshots, f"responsable-candidature-inscrite{shots}", axe=javascript)

    enrolled = enrolled_in(essaim, cohort, application)
    page.goto("/antenne")
    line = page.get_by_role("row", name=COHORT)
    assert line.get_by_role("cell").nth(1).inner_text() == f"{enrolled} sur 12"
