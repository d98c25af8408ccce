"""In a real browser, on a phone's screen (390x844): a learner opens the personal link of
their 3-month follow-up, sends the form empty and sees what to correct, then answers, with
JavaScript and without; the outcome is recorded as their own answer. Another answers the
satisfaction survey. Screenshots and an axe check of the forms and of the thanks."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from datetime import date, timedelta

import pytest

from tests.browser.server import MANAGER, Essaim, api
from tests.browser.test_pages import shoot_and_check

PHONE = {"width": 390, "height": 844}
_PATH = re.compile(r"https?://\S+?(/suivi/[A-Za-z0-9_-]+)")


def _ok(response):
    assert response.is_success, f"{response.request.method} {response.url}: {response.text}"
    return response.json()


@pytest.fixture(scope="module")
def follow_ups(essaim: Essaim) -> list[tuple[int, str]]:
    """Two learners of a Paris cohort that ended four months ago, each with the address of
    their 3-month follow-up link, then the first one's survey link, each read from the
    message that carries it."""
    today = date.today()
    made = []
    with api(essaim.url, MANAGER) as manager:
        cohort = _ok(
            manager.post(
                "/api/v1/cohorts",
                json={
                    "site": "paris",
                    "program": "digital",
                    "track": "beginner",
                    "title": "Débutants finis",
                    "starts_on": (today - timedelta(days=150)).isoformat(),
                    "ends_on": (today - timedelta(days=120)).isoformat(),
                    "capacity": 12,
                },
            )
        )["id"]
        for n in (1, 2):
            learner = _ok(
                manager.post(
                    "/api/v1/learners",
                    json={
                        "site": "paris",
                        "first_name": f"Mariam{n}",
                        "last_name": "Suivie",
                        "gender": "female",
                        "birth_date": "1992-03-04",
                        "french_level": "B1",
                        "email": f"mariam{n}.suivie@example.org",
                    },
                )
            )["id"]
            body = {"learner": learner, "site": "paris", "program": "digital", "track": "beginner"}
            application = _ok(manager.post("/api/v1/applications", json=body))["id"]
            for status in ("screening", "admitted"):
                _ok(
                    manager.post(
                        f"/api/v1/applications/{application}/transitions", json={"to": status}
                    )
                )
            enrolment = _ok(
                manager.post(
                    f"/api/v1/cohorts/{cohort}/enrolments", json={"application_id": application}
                )
            )["id"]
            made.append(enrolment)
        return [
            (
                enrolment,
                _address(essaim, manager, enrolment, {"purpose": "follow_up", "checkpoint": 3}),
            )
            for enrolment in made
        ] + [(made[0], _address(essaim, manager, made[0], {"purpose": "survey"}))]


FOLLOW_UP_AT_3 = {"purpose": "follow_up", "checkpoint": 3}


def _address(essaim: Essaim, manager, enrolment: int, body: dict) -> str:
    """A link sent to the enrolment's learner; its address, read from the stored message
    (no worker runs here: the link waits beside the message's text, which shows a
    placeholder to whoever reads it)."""
    link = _ok(manager.post(f"/api/v1/enrolments/{enrolment}/links", json=body))
    message = _ok(manager.get(f"/api/v1/messages/{link['message']}"))
    assert "/suivi/" not in message["body"]
    with closing(sqlite3.connect(essaim.var_dir / "essaim.sqlite3")) as database:
        ((stored,),) = database.execute("SELECT link FROM message WHERE id = ?", (link["message"],))
    return _PATH.search(stored).group(1)


@pytest.fixture
def phone(browser, essaim: Essaim, javascript: bool):
    """A fresh page on a phone's screen, French, with JavaScript or without."""
    context = browser.new_context(
        viewport=PHONE,
        locale="fr-FR",
        base_url=essaim.url,
        java_script_enabled=javascript,
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_learner_answers_the_follow_up_on_a_phone(
    phone, essaim: Essaim, follow_ups, screenshots, javascript: bool
) -> None:
    enrolment, address = follow_ups[0 if javascript else 1]
    suffix = "" if javascript else "-sans-js"
    response = phone.goto(address)
    assert response.status == 200
    phone.get_by_role("heading", level=1, name="Que faites-vous maintenant ?").wait_for()
    shoot_and_check(phone, screenshots, f"suivi-formulaire{suffix}", axe=javascript)

    phone.get_by_label("Nom de votre employeur").fill("Boulangerie du Marché")
    phone.get_by_role("button", name="Envoyer ma réponse").click()
    summary = phone.get_by_role("alert")
    summary.get_by_text("Choisissez votre situation.").wait_for()
    assert phone.get_by_label("Nom de votre employeur").input_value() == "Boulangerie du Marché"
    shoot_and_check(phone, screenshots, f"suivi-erreurs{suffix}", axe=javascript)

    phone.get_by_role("group", name="1. Votre situation").get_by_label("J'ai un travail").check()
    phone.get_by_role("group", name="2. Vous avez un travail").get_by_label(
        "Contrat à durée indéterminée (CDI)"
    ).check()
    phone.get_by_role("button", name="Envoyer ma réponse").click()
    phone.get_by_role("heading", level=1, name="Merci !").wait_for()
    shoot_and_check(phone, screenshots, f"suivi-merci{suffix}", axe=javascript)

    with api(essaim.url, MANAGER) as manager:
        outcomes = _ok(manager.get(f"/api/v1/enrolments/{enrolment}/outcomes"))
    [three] = [c for c in outcomes["checkpoints"] if c["checkpoint"] == 3]
    assert three["outcome"]["status"] == "permanent_job"
    assert three["outcome"]["source"] == "learner_link"
    assert three["outcome"]["employer_or_school"] == "Boulangerie du Marché"
    again = phone.goto(address)
    assert again.status == 410


@pytest.mark.parametrize("javascript", [True])
def test_a_learner_answers_the_survey_on_a_phone(
    phone, essaim: Essaim, follow_ups, screenshots
) -> None:
    _, address = follow_ups[2]
    assert phone.goto(address).status == 200
    phone.get_by_role("heading", level=1, name="Votre avis sur la formation").wait_for()
    shoot_and_check(phone, screenshots, "avis-formulaire")
    phone.get_by_role("group", name="1. Êtes-vous content").get_by_label(
        re.compile(r"\b4\b")
    ).check()
    phone.get_by_role("group", name="2. Allez-vous conseiller").get_by_label("Oui").check()
    phone.get_by_label("Le groupe").check()
    phone.get_by_label("4. Autre chose à nous dire").fill("Merci à toute l'équipe.")
    phone.get_by_role("button", name="Envoyer ma réponse").click()
    phone.get_by_role("heading", level=1, name="Merci !").wait_for()
    assert phone.goto(address).status == 410
