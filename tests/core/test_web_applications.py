"""The site manager's applications pages: the list, one application's actions through the
pipeline, its enrolment into a cohort, and who may see them."""

from __future__ import annotations

import pytest

from tests.applications import apply, make_learner, move
from tests.enrolment import admitted, enrol, small_cohort
from tests.web import post_form, sign_in


async def submitted(client, people, **learner) -> int:
    """A new application to the toy program's initiation track at Paris."""
    learner_id = await make_learner(client, people, **learner)
    return (await apply(client, people, learner_id))["id"]


async def status_of(client, people, application: int) -> str:
    response = await client.get(
        f"/api/v1/applications/{application}", headers=people.auth("paris_manager")
    )
    return response.json()["status"]


async def test_the_list_shows_each_application_with_its_learner_and_findings(client, people):
    first = await submitted(client, people, first_name="Awa", last_name="Diallo")
    second = await submitted(client, people, first_name="Lina", last_name="Haddad")
    await move(client, people, second, "screening")
    await sign_in(client, "paris_manager")

    page = await client.get("/antenne/candidatures")
    assert page.status_code == 200
    assert "Awa Diallo" in page.text and "Lina Haddad" in page.text
    assert f'href="/candidatures/{first}"' in page.text
    assert "Conditions remplies." in page.text, "the toy program's finding, in plain French"
    assert "2 candidatures" in page.text

    screened = await client.get("/antenne/candidatures?statut=screening")
    assert "Lina Haddad" in screened.text and "Awa Diallo" not in screened.text
    other = await client.get("/antenne/candidatures?programme=autre")
    assert "Aucune candidature ne correspond." in other.text


async def test_the_list_is_paginated(client, people):
    for _ in range(21):
        await submitted(client, people)
    await sign_in(client, "paris_manager")
    first = await client.get("/antenne/candidatures?statut=submitted")
    assert "Page 1 sur 2" in first.text
    assert 'href="/antenne/candidatures?page=2&amp;statut=submitted"' in first.text
    second = await client.get("/antenne/candidatures?page=2&statut=submitted")
    assert second.text.count('href="/candidatures/') == 1


async def test_the_home_counts_the_applications_to_screen(client, people):
    await submitted(client, people)
    await submitted(client, people)
    await sign_in(client, "paris_manager")
    home = await client.get("/antenne")
    assert "2 candidatures à examiner" in home.text
    assert 'href="/antenne/candidatures?statut=submitted"' in home.text


async def test_the_manager_screens_admits_and_enrols(client, people):
    application = await submitted(client, people, first_name="Awa", last_name="Diallo")
    page = f"/candidatures/{application}"
    await sign_in(client, "paris_manager")

    shown = await client.get(page)
    assert "Awa Diallo" in shown.text and "Commencer l'examen" in shown.text
    screened = await post_form(client, page, {"vers": "screening"})
    assert screened.status_code == 303
    assert screened.headers["location"] == f"{page}?fait=screening"
    admitted = await post_form(client, page, {"vers": "admitted"})
    assert admitted.status_code == 303
    assert await status_of(client, people, application) == "admitted"

    ready = await client.get(page)
    assert "Initiation paris" in ready.text and 'name="promotion"' in ready.text
    assert "Initiation bordeaux" not in ready.text
    placed = await post_form(
        client, f"{page}/inscription", {"promotion": str(people.paris_cohort)}, page=page
    )
    assert placed.status_code == 303
    assert placed.headers["location"] == f"{page}?inscription=inscrit"
    assert await status_of(client, people, application) == "enrolled"
    after = await client.get(placed.headers["location"])
    assert "Inscription faite dans la promotion." in after.text
    assert "Inscrite dans la promotion" in after.text
    assert "paris_manager" in after.text, "the history names who acted"


async def test_a_full_cohort_puts_the_application_on_its_waitlist(client, people):
    cohort = await small_cohort(people, capacity=1)
    await enrol(client, people, cohort, await admitted(client, people))
    application = await admitted(client, people)
    page = f"/candidatures/{application}"
    await sign_in(client, "paris_manager")
    placed = await post_form(client, f"{page}/inscription", {"promotion": str(cohort)}, page=page)
    assert placed.headers["location"] == f"{page}?inscription=1"
    after = await client.get(placed.headers["location"])
    assert "La promotion est complète" in after.text and "au rang 1" in after.text
    assert await status_of(client, people, application) == "waitlisted"


async def test_a_rejection_needs_a_reason_and_keeps_it(client, people):
    application = await submitted(client, people)
    page = f"/candidatures/{application}"
    await sign_in(client, "paris_manager")
    missing = await post_form(client, page, {"vers": "rejected", "motif-rejected": " "})
    assert missing.status_code == 422
    assert 'aria-invalid="true" aria-describedby="motif-rejected-erreur"' in missing.text
    assert await status_of(client, people, application) == "submitted"
    given = await post_form(
        client, page, {"vers": "rejected", "motif-rejected": "Le groupe du soir convient mieux."}
    )
    assert given.status_code == 303
    after = await client.get(page)
    assert "Le groupe du soir convient mieux." in after.text
    assert "Aucun changement de statut possible" in after.text


async def test_a_refused_admission_shows_the_findings_in_place(client, people):
    learner = await make_learner(client, people, first_name="Noé", last_name="Martin")
    application = (await apply(client, people, learner, track="approfondissement"))["id"]
    await move(client, people, application, "screening")
    page = f"/candidatures/{application}"
    await sign_in(client, "paris_manager")
    refused = await post_form(client, page, {"vers": "admitted"})
    assert refused.status_code == 422
    assert "L&#39;admission est refusée" in refused.text
    summary = refused.text.split('role="alert"')[1].split("</div>")[0]
    assert "Il faut d&#39;abord finir l&#39;initiation." in summary
    assert await status_of(client, people, application) == "screening"


async def test_an_action_the_status_does_not_allow_is_refused_in_place(client, people):
    application = await submitted(client, people)
    await sign_in(client, "paris_manager")
    page = f"/candidatures/{application}"
    refused = await post_form(client, page, {"vers": "admitted"})
    assert refused.status_code == 422
    assert "Ce changement n&#39;est pas possible maintenant" in refused.text
    assert await status_of(client, people, application) == "submitted"


@pytest.mark.parametrize("who", ["paris_trainer", "bordeaux_manager"])
async def test_a_trainer_or_another_sites_manager_finds_no_application(client, people, who):
    application = await submitted(client, people)
    await sign_in(client, who)
    page = await client.get(f"/candidatures/{application}")
    assert page.status_code == 404
    assert "Page introuvable" in page.text
    csrf = client.cookies["essaim_csrf"]
    posted = await client.post(
        f"/candidatures/{application}",
        data={"vers": "rejected", "motif-rejected": "x"},
        headers={"x-csrftoken": csrf},
    )
    assert posted.status_code == 404
    assert await status_of(client, people, application) == "submitted"


async def test_another_sites_manager_lists_none_of_paris_applications(client, people):
    await submitted(client, people, first_name="Awa", last_name="Diallo")
    await sign_in(client, "bordeaux_manager")
    page = await client.get("/antenne/candidatures")
    assert page.status_code == 200
    assert "Awa Diallo" not in page.text and "0 candidature" in page.text


async def test_a_trainer_is_sent_home_and_the_central_team_refused(client, people):
    application = await submitted(client, people)
    await sign_in(client, "paris_trainer")
    listed = await client.get("/antenne/candidatures")
    assert (listed.status_code, listed.headers["location"]) == (303, "/mes-seances")
    client.cookies.delete("essaim_session")
    await sign_in(client, "central")
    refused = await client.get(f"/candidatures/{application}")
    assert refused.status_code == 403
    assert (await client.get("/antenne/candidatures")).status_code == 403


async def test_an_application_without_a_track_gets_one_on_admission(client, people):
    learner = await make_learner(client, people)
    application = (await apply(client, people, learner, track=None))["id"]
    await move(client, people, application, "screening")
    page = f"/candidatures/{application}"
    await sign_in(client, "paris_manager")
    missing = await post_form(client, page, {"vers": "admitted", "parcours-admitted": ""})
    assert missing.status_code == 422
    assert 'id="parcours-admitted-erreur">Choisissez le parcours' in missing.text
    chosen = await post_form(client, page, {"vers": "admitted", "parcours-admitted": "initiation"})
    assert chosen.status_code == 303
    found = await client.get(f"/api/v1/applications/{application}", headers=people.auth("admin"))
    assert (found.json()["status"], found.json()["track"]) == ("admitted", "initiation")


async def test_a_confirmation_says_only_what_happened(client, people):
    application = await submitted(client, people)
    await sign_in(client, "paris_manager")
    forged = await client.get(f"/candidatures/{application}?inscription=Bravo")
    assert forged.status_code == 400
