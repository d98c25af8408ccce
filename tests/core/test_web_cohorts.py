"""The cohort pages: the site's list of cohorts, one cohort's roster, waitlist, share of
women, calendar and conflicts, its withdrawals and transfers through the enrolment service,
and who may see them."""

from __future__ import annotations

import pytest

from tests.enrolment import admitted, enrol, roster, small_cohort
from tests.web import post_form, sign_in

RHYTHM = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}


async def planned(client, people, cohort, manager="paris_manager") -> list[dict]:
    """The cohort's sessions, planned over the API on Mondays and Thursdays."""
    await client.patch(f"/api/v1/cohorts/{cohort}", json=RHYTHM, headers=people.auth(manager))
    plan = await client.post(
        f"/api/v1/cohorts/{cohort}/sessions/plan", headers=people.auth(manager)
    )
    assert plan.status_code == 200, plan.text
    return plan.json()["items"]


async def full_cohort(client, people) -> tuple[int, list[int], int]:
    """A Paris cohort of two places, both taken (Awa, Karim), and Léa on its waitlist."""
    cohort = await small_cohort(people, capacity=2)
    places = []
    for first, last, gender in (("Awa", "Diallo", "female"), ("Karim", "Benali", "male")):
        application = await admitted(
            client, people, first_name=first, last_name=last, gender=gender
        )
        places.append((await enrol(client, people, cohort, application))["id"])
    waiting = await admitted(client, people, first_name="Léa", last_name="Martin")
    await enrol(client, people, cohort, waiting)
    return cohort, places, waiting


async def test_the_page_shows_roster_waitlist_women_and_calendar(client, people):
    cohort, _, _ = await full_cohort(client, people)
    await planned(client, people, cohort)
    await sign_in(client, "paris_manager")
    page = await client.get(f"/cohortes/{cohort}")
    assert page.status_code == 200
    enrolled = page.text.split('id="inscrits"')[1].split("</section>")[0]
    assert "Awa Diallo" in enrolled and "Karim Benali" in enrolled
    assert "Léa Martin" not in enrolled
    waitlist = page.text.split('id="attente"')[1].split("</section>")[0]
    assert "Léa Martin" in waitlist and "rang 1" in waitlist
    assert "50" in page.text.split("<dt>Femmes</dt>")[1].split("</dd>")[0]
    calendar = page.text.split('id="calendrier"')[1].split("</section>")[0]
    assert "octobre 2026" in calendar and 'datetime="2026-10-05"' in calendar
    assert "lundi 5 octobre 2026" in calendar and "09:30" in calendar
    assert 'action="/cohortes/' in page.text and "Aucun conflit." in page.text


async def test_a_conflict_of_the_cohort_is_listed(client, people):
    for cohort in (people.paris_cohort, other := await small_cohort(people, capacity=5)):
        await client.patch(
            f"/api/v1/cohorts/{cohort}", json={"room": "salle-a"}, headers=people.auth("admin")
        )
        await planned(client, people, cohort)
    await sign_in(client, "paris_manager")
    page = await client.get(f"/cohortes/{other}")
    section = page.text.split('id="conflits"')[1].split("</section>")[0]
    assert "Salle réservée deux fois" in section
    assert "une autre promotion" in section


async def test_a_withdrawal_offers_the_place_to_the_next(client, people):
    cohort, (awa, _), waiting = await full_cohort(client, people)
    page = f"/cohortes/{cohort}"
    await sign_in(client, "paris_manager")
    done = await post_form(
        client,
        f"{page}/retrait",
        {"retrait-personne": str(awa), "retrait-motif": "A trouvé un emploi."},
        page=page,
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"{page}?fait=retrait"
    after = await client.get(done.headers["location"])
    assert "Le retrait est enregistré." in after.text
    now = await roster(client, people, cohort)
    assert [entry["application"] for entry in now["offered"]] == [waiting]
    offered = after.text.split('id="attente"')[1].split("</section>")[0]
    assert "Léa Martin" in offered and "<time" in offered


async def test_a_withdrawal_without_a_reason_is_refused_in_place(client, people):
    cohort, (awa, _), _ = await full_cohort(client, people)
    page = f"/cohortes/{cohort}"
    await sign_in(client, "paris_manager")
    refused = await post_form(
        client, f"{page}/retrait", {"retrait-personne": str(awa), "retrait-motif": " "}, page=page
    )
    assert refused.status_code == 422
    assert 'aria-invalid="true" aria-describedby="retrait-motif-erreur"' in refused.text
    assert f'<option value="{awa}" translate="no" selected>' in refused.text
    unknown = await post_form(
        client, f"{page}/retrait", {"retrait-personne": "999999", "retrait-motif": "x"}, page=page
    )
    assert unknown.status_code == 422 and "retrait-personne-erreur" in unknown.text
    assert len((await roster(client, people, cohort))["enrolled"]) == 2


async def test_a_transfer_moves_the_person_and_a_full_cohort_is_refused_in_place(client, people):
    cohort, (awa, karim), _ = await full_cohort(client, people)
    page = f"/cohortes/{cohort}"
    await sign_in(client, "paris_manager")
    shown = await client.get(page)
    assert f'<option value="{people.paris_cohort}" translate="no">' in shown.text
    assert "Initiation bordeaux" not in shown.text
    moved = await post_form(
        client,
        f"{page}/transfert",
        {"transfert-personne": str(awa), "transfert-promotion": str(people.paris_cohort)},
        page=page,
    )
    assert moved.status_code == 303
    assert moved.headers["location"] == f"{page}?fait=transfert"
    there = await roster(client, people, people.paris_cohort)
    assert [entry["first_name"] for entry in there["enrolled"]] == ["Awa"]

    full = await small_cohort(people, capacity=1)
    await enrol(client, people, full, await admitted(client, people))
    refused = await post_form(
        client,
        f"{page}/transfert",
        {"transfert-personne": str(karim), "transfert-promotion": str(full)},
        page=page,
    )
    assert refused.status_code == 422
    assert 'id="transfert-promotion-erreur">Cette promotion n&#39;a pas de place' in refused.text
    missing = await post_form(client, f"{page}/transfert", {}, page=page)
    assert missing.status_code == 422 and "transfert-personne-erreur" in missing.text


async def test_the_trainer_reads_the_roster_and_calendar_only(client, people):
    application = await admitted(client, people, first_name="Awa", last_name="Diallo")
    await enrol(client, people, people.paris_cohort, application)
    await planned(client, people, people.paris_cohort)
    await sign_in(client, "paris_trainer")
    page = await client.get(f"/cohortes/{people.paris_cohort}")
    assert page.status_code == 200
    assert "Awa Diallo" in page.text and 'id="calendrier"' in page.text
    assert '<form method="post" action="/cohortes' not in page.text
    assert 'id="attente"' not in page.text and "/apprenants/" not in page.text
    for record in ("evaluations", "validation"):
        link = f"/cohortes/{people.paris_cohort}/{record}"
        assert f'href="{link}"' in page.text
        assert (await client.get(link)).status_code == 200
    csrf = client.cookies["essaim_csrf"]
    posted = await client.post(
        f"/cohortes/{people.paris_cohort}/retrait", data={}, headers={"x-csrftoken": csrf}
    )
    assert posted.status_code == 403


@pytest.mark.parametrize("who", ["paris_trainer", "bordeaux_manager"])
async def test_another_cohort_or_site_is_not_found(client, people, who):
    other = await small_cohort(people, capacity=3)
    await sign_in(client, who)
    page = await client.get(f"/cohortes/{other}")
    assert page.status_code == 404 and "Page introuvable" in page.text
    csrf = client.cookies["essaim_csrf"]
    posted = await client.post(f"/cohortes/{other}/retrait", data={}, headers={"x-csrftoken": csrf})
    assert posted.status_code == 404


async def test_the_central_team_is_refused_the_roster(client, people):
    await sign_in(client, "central")
    assert (await client.get(f"/cohortes/{people.paris_cohort}")).status_code == 403


async def test_the_list_filters_by_program_and_status_and_pages(client, people):
    for _ in range(21):
        await small_cohort(people, capacity=3)
    await client.patch(
        f"/api/v1/cohorts/{people.paris_cohort}",
        json={"status": "open"},
        headers=people.auth("paris_manager"),
    )
    await sign_in(client, "paris_manager")
    first = await client.get("/antenne/cohortes")
    assert first.status_code == 200
    assert "22 promotions" in first.text and "Page 1 sur 2" in first.text
    assert "Initiation bordeaux" not in first.text
    opened = await client.get("/antenne/cohortes?statut=open")
    assert "1 promotion" in opened.text and f'href="/cohortes/{people.paris_cohort}"' in opened.text
    other = await client.get("/antenne/cohortes?programme=autre")
    assert "Aucune promotion ne correspond." in other.text
    second = await client.get("/antenne/cohortes?page=2")
    assert second.text.count('href="/cohortes/') == 2


async def test_a_trainer_is_sent_home_from_the_list(client, people):
    await sign_in(client, "paris_trainer")
    listed = await client.get("/antenne/cohortes")
    assert (listed.status_code, listed.headers["location"]) == (303, "/mes-seances")


async def test_the_central_team_lists_every_sites_cohorts_without_rosters(client, people):
    await sign_in(client, "central")
    listed = await client.get("/antenne/cohortes")
    assert listed.status_code == 200
    assert "Initiation paris" in listed.text and "Initiation bordeaux" in listed.text
    assert 'href="/cohortes/' not in listed.text, "their rosters are not the central team's"


async def test_the_trainers_sessions_link_to_their_cohort_and_back(client, people, clock):
    from datetime import timedelta

    first, second = (s["id"] for s in (await planned(client, people, people.paris_cohort))[:2])
    clock.advance(timedelta(days=34))  # the first session under way
    await sign_in(client, "paris_trainer")
    sessions = await client.get("/mes-seances")
    assert f'<a href="/cohortes/{people.paris_cohort}" translate="no">' in sessions.text
    cohort = await client.get(f"/cohortes/{people.paris_cohort}")
    assert f'href="/seances/{first}/emargement"' in cohort.text
    assert f'href="/seances/{second}/emargement"' not in cohort.text, "not started yet"


async def test_a_view_of_the_page_is_one_roster_read_per_learner(client, people):
    application = await admitted(client, people)
    learner = (await enrol(client, people, people.paris_cohort, application))["learner"]
    await sign_in(client, "paris_trainer")
    assert (await client.get(f"/cohortes/{people.paris_cohort}")).status_code == 200
    reads = await client.get(
        "/api/v1/audit",
        params={"action": "learner.read", "target_type": "learner", "target_id": learner},
        headers=people.auth("admin"),
    )
    assert [item["details"]["via"] for item in reads.json()["items"]] == ["roster"]
