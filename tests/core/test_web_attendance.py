"""The trainer's pages: their sessions, and a session's attendance taken through the form,
recorded by the service the API uses, with errors in place and out-of-scope sessions hidden."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.enrolment import admitted, enrol
from tests.web import form_token, post_form, sign_in

RHYTHM = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}


async def _planned(client, people, cohort, manager):
    await client.patch(f"/api/v1/cohorts/{cohort}", json=RHYTHM, headers=people.auth(manager))
    plan = await client.post(
        f"/api/v1/cohorts/{cohort}/sessions/plan", headers=people.auth(manager)
    )
    return [s["id"] for s in plan.json()["items"]]


@pytest.fixture
async def sessions(client, people, clock):
    """The Paris cohort (Mondays and Thursdays from 5 October 2026, 9:30 to 11:30) with three
    enrolled learners, the Bordeaux cohort planned alike; the clock at 10:00 on the 5th."""
    paris = await _planned(client, people, people.paris_cohort, "paris_manager")
    bordeaux = await _planned(client, people, people.bordeaux_cohort, "bordeaux_manager")
    learners = []
    for _ in range(3):
        application = await admitted(client, people)
        learners.append((await enrol(client, people, people.paris_cohort, application))["learner"])
    clock.advance(timedelta(days=34))  # 2026-10-05 08:00 UTC, 10:00 in Paris
    return {"paris": paris, "bordeaux": bordeaux, "learners": learners}


async def _sheet(client, people, session):
    response = await client.get(
        f"/api/v1/sessions/{session}/attendance", headers=people.auth("paris_manager")
    )
    return {m["learner"]: (m["status"], m["minutes"]) for m in response.json()["marks"]}


async def test_the_trainer_lands_on_their_sessions_with_today_first(client, people, sessions):
    await sign_in(client, "paris_trainer")
    page = await client.get("/espace", follow_redirects=True)
    assert page.url.path == "/mes-seances"
    today = page.text.split('id="aujourdhui"')[1].split("</section>")[0]
    assert "lundi 5 octobre 2026" in today
    assert f'href="/seances/{sessions["paris"][0]}/emargement"' in today
    assert "Émargement à faire" in today
    assert f"/seances/{sessions['bordeaux'][0]}/" not in page.text


async def test_the_trainer_records_the_sheet_in_a_few_taps(client, people, sessions):
    awa, karim, lea = sessions["learners"]
    session = sessions["paris"][0]
    await sign_in(client, "paris_trainer")
    page = f"/seances/{session}/emargement"
    form = await client.get(page)
    assert form.text.count('value="present" checked') == 3, "unmarked learners show present"
    response = await post_form(
        client,
        page,
        {
            f"statut-{awa}": "present",
            f"statut-{karim}": "late",
            f"minutes-{karim}": "90",
            f"statut-{lea}": "absent",
            "signature": "sheet",
            "formateur-signe": "oui",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{page}?enregistre=1"
    assert await _sheet(client, people, session) == {
        awa: ("present", 120),
        karim: ("late", 90),
        lea: ("absent", 0),
    }
    shown = await client.get(response.headers["location"])
    assert "Émargement enregistré." in shown.text
    assert "a signé cette feuille le" in shown.text
    home = await client.get("/mes-seances")
    assert "Émargement fait" in home.text


async def test_an_error_is_shown_in_place_in_french_and_nothing_typed_is_lost(
    client, people, sessions
):
    awa, karim, lea = sessions["learners"]
    session = sessions["paris"][0]
    await sign_in(client, "paris_trainer")
    page = f"/seances/{session}/emargement"
    response = await post_form(
        client,
        page,
        {
            f"statut-{awa}": "absent",
            f"statut-{karim}": "late",
            f"minutes-{karim}": "",
            f"statut-{lea}": "excused",
            "signature": "tablet",
        },
    )
    assert response.status_code == 422
    assert "1 point à corriger" in response.text
    assert f'<a href="#minutes-{karim}">Minutes suivies par Prénom' in response.text
    assert f'id="minutes-{karim}-erreur"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert f'name="statut-{awa}" value="absent" checked' in response.text
    assert f'name="statut-{lea}" value="excused" checked' in response.text
    assert 'value="tablet" checked' in response.text
    assert 'name="formateur-signe" value="oui">' in response.text, "left unticked as posted"
    assert await _sheet(client, people, session) == dict.fromkeys(sessions["learners"], (None, 0))


async def test_a_trainer_cannot_reach_another_sites_session(client, people, sessions):
    other = sessions["bordeaux"][0]
    await sign_in(client, "paris_trainer")
    page = await client.get(f"/seances/{other}/emargement")
    assert page.status_code == 404
    assert "Page introuvable" in page.text
    token = await form_token(client, f"/seances/{sessions['paris'][0]}/emargement")
    posted = await client.post(
        f"/seances/{other}/emargement", data={"signature": "sheet", "_csrf_token": token}
    )
    assert posted.status_code == 404
    api = await client.get(
        f"/api/v1/sessions/{other}/attendance", headers=people.auth("paris_trainer")
    )
    assert api.status_code == 404


async def test_a_form_posted_without_its_token_is_refused(client, people, sessions):
    awa, karim, lea = sessions["learners"]
    session = sessions["paris"][0]
    await sign_in(client, "paris_trainer")
    response = await client.post(
        f"/seances/{session}/emargement",
        data={f"statut-{awa}": "absent", f"statut-{karim}": "absent", f"statut-{lea}": "absent"},
    )
    assert response.status_code == 403
    assert "Formulaire expiré" in response.text
    assert await _sheet(client, people, session) == dict.fromkeys(sessions["learners"], (None, 0))


async def test_a_session_not_started_shows_no_form(client, people, sessions):
    await sign_in(client, "paris_trainer")
    page = await client.get(f"/seances/{sessions['paris'][1]}/emargement")
    assert page.status_code == 200
    assert "La séance n'a pas encore commencé" in page.text
    assert '<form method="post" action="/seances' not in page.text


async def test_pages_behind_the_sign_in_send_to_the_login_form_and_back(client, people, sessions):
    page = f"/seances/{sessions['paris'][0]}/emargement"
    response = await client.get(page)
    assert response.status_code == 303
    assert response.headers["location"] == f"/connexion?suivant={page}"
    token = await form_token(client, response.headers["location"])
    from tests.conftest import PASSWORD

    signed = await client.post(
        "/connexion",
        data={
            "email": "paris_trainer@example.org",
            "password": PASSWORD,
            "suivant": page,
            "_csrf_token": token,
        },
    )
    assert signed.headers["location"] == page
