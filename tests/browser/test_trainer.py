"""In a real browser: the trainer signs in and records a session's attendance, with and
without JavaScript, and cannot reach another site's session."""

from __future__ import annotations

import httpx
import pytest

from core.demo import DEMO_PASSWORD
from tests.browser.server import ADMIN, TRAINER, Essaim, api


def sign_in(page, email: str = TRAINER) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/connexion" not in url)


def marks(essaim: Essaim, session: int) -> dict[int, tuple[str | None, int]]:
    with api(essaim.url, ADMIN) as admin:
        sheet = admin.get(f"/api/v1/sessions/{session}/attendance").json()
    return {m["learner"]: (m["status"], m["minutes"]) for m in sheet["marks"]}


def take_attendance(page, essaim: Essaim, session: int) -> None:
    sign_in(page)
    assert page.url.endswith("/mes-seances")
    page.locator(f'a[href="/seances/{session}/emargement"]').click()
    page.wait_for_url(f"**/seances/{session}/emargement")
    karim = page.get_by_role("group", name="Karim Benali")
    karim.get_by_label("En retard").check()
    karim.get_by_label("En cas de retard").fill("75")
    page.get_by_role("group", name="Léa Martin").get_by_label("Absent", exact=True).check()
    page.get_by_role("button", name="Enregistrer l'émargement").click()
    page.get_by_text("Émargement enregistré.").wait_for()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_trainer_records_a_sessions_attendance(
    request, essaim: Essaim, javascript: bool
) -> None:
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    session = essaim.sessions[0 if javascript else 1]
    take_attendance(page, essaim, session)
    awa, karim, lea = essaim.learners
    expected = {awa: ("present", 120), karim: ("late", 75), lea: ("absent", 0)}
    assert marks(essaim, session) == expected


def test_an_error_keeps_what_was_typed(page, essaim: Essaim) -> None:
    session = essaim.sessions[2]
    sign_in(page)
    page.goto(f"/seances/{session}/emargement")
    page.get_by_role("group", name="Léa Martin").get_by_label("Absent", exact=True).check()
    page.get_by_role("group", name="Karim Benali").get_by_label("En retard").check()
    page.get_by_role("button", name="Enregistrer l'émargement").click()
    summary = page.get_by_role("alert")
    summary.get_by_text("Minutes suivies par Karim Benali").wait_for()
    lea = page.get_by_role("group", name="Léa Martin")
    assert lea.get_by_label("Absent", exact=True).is_checked()
    summary.get_by_role("link").first.click()
    assert (
        page.get_by_label("En cas de retard")
        .nth(1)
        .evaluate("element => element === document.activeElement")
    )


def test_the_trainer_cannot_reach_another_sites_session(page, essaim: Essaim) -> None:
    sign_in(page)
    response = page.goto(f"/seances/{essaim.other_site_session}/emargement")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page introuvable"
    with httpx.Client(base_url=essaim.url) as client:
        client.post("/api/v1/auth/login", json={"email": TRAINER, "password": DEMO_PASSWORD})
        api_answer = client.get(f"/api/v1/sessions/{essaim.other_site_session}/attendance")
    assert api_answer.status_code == 404
