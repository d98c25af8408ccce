"""The learner pages: the search by name, phone or birth date, the record (its read audited
like the API's, the notes for the site's staff only), its edit form with errors in place,
and who may see them."""

from __future__ import annotations

import pytest

from tests.applications import make_learner
from tests.enrolment import admitted, enrol
from tests.web import post_form, sign_in


async def reads_of(client, people, learner: int) -> list[str]:
    """How the learner's record was read, newest first (``details.via``)."""
    response = await client.get(
        "/api/v1/audit",
        params={"action": "learner.read", "target_type": "learner", "target_id": learner},
        headers=people.auth("admin"),
    )
    return [item["details"]["via"] for item in response.json()["items"]]


async def test_the_search_finds_by_name_phone_and_birth_date(client, people):
    awa = await make_learner(
        client, people, first_name="Awa", last_name="Diallo", phone="06 12 34 56 78"
    )
    await make_learner(
        client, people, first_name="Lina", last_name="Haddad", birth_date="1985-02-01"
    )
    await sign_in(client, "paris_manager")
    every = await client.get("/apprenants")
    assert every.status_code == 200 and "2 apprenants" in every.text
    by_name = await client.get("/apprenants?q=dial")
    assert "Awa Diallo" in by_name.text and "Lina Haddad" not in by_name.text
    assert f'href="/apprenants/{awa}"' in by_name.text
    by_phone = await client.get("/apprenants?q=%2B33612345678")
    assert "Awa Diallo" in by_phone.text and "Lina Haddad" not in by_phone.text
    by_birth = await client.get("/apprenants?q=01/02/1985")
    assert "Lina Haddad" in by_birth.text and "Awa Diallo" not in by_birth.text
    short = await client.get("/apprenants?q=0612")
    assert short.status_code == 422
    assert 'aria-invalid="true"' in short.text and 'value="0612"' in short.text
    assert (await client.get("/apprenants?page=501")).status_code == 400


async def test_the_search_is_paginated(client, people):
    for _ in range(21):
        await make_learner(client, people)
    await sign_in(client, "paris_manager")
    first = await client.get("/apprenants?q=nom")
    assert "Page 1 sur 2" in first.text and 'href="/apprenants?page=2&amp;q=nom"' in first.text
    second = await client.get("/apprenants?page=2&q=nom")
    assert second.text.count('href="/apprenants/') == 1


async def test_another_sites_manager_finds_none_and_the_trainer_is_sent_home(client, people):
    await make_learner(client, people, first_name="Awa", last_name="Diallo")
    await sign_in(client, "bordeaux_manager")
    found = await client.get("/apprenants?q=diallo")
    assert found.status_code == 200 and "Awa Diallo" not in found.text
    client.cookies.delete("essaim_session")
    await sign_in(client, "paris_trainer")
    sent = await client.get("/apprenants")
    assert (sent.status_code, sent.headers["location"]) == (303, "/mes-seances")
    client.cookies.delete("essaim_session")
    await sign_in(client, "central")
    assert (await client.get("/apprenants")).status_code == 403


async def test_the_record_shows_the_path_and_is_audited(client, people):
    application = await admitted(
        client, people, first_name="Awa", last_name="Diallo", notes="Garde d'enfant le mardi."
    )
    place = await enrol(client, people, people.paris_cohort, application)
    learner = place["learner"]
    consent = await client.post(
        f"/api/v1/learners/{learner}/consents",
        json={"purpose": "funder_reporting"},
        headers=people.auth("paris_manager"),
    )
    assert consent.status_code == 201, consent.text
    await sign_in(client, "paris_manager")
    page = await client.get(f"/apprenants/{learner}")
    assert page.status_code == 200
    assert "Awa Diallo" in page.text and "Femme" in page.text
    assert "Rapports aux financeurs" in page.text
    assert "Garde d&#39;enfant le mardi." in page.text
    path = page.text.split('id="parcours"')[1]
    assert f'href="/candidatures/{application}"' in path
    assert "paris_manager" in path, "the history names who acted"
    assert f'href="/cohortes/{people.paris_cohort}"' in path and "Initiation paris" in path
    assert "Bilan" in path or "bilan" in path.lower(), "the toy program's assessment"
    assert (await reads_of(client, people, learner))[0] == "record"


async def test_the_notes_and_restricted_status_are_for_the_sites_staff(client, people):
    learner = await make_learner(client, people, notes="Note privée.", refugee_status="refugee")
    await sign_in(client, "admin")
    seen = await client.get(f"/apprenants/{learner}")
    assert "Note privée." in seen.text and "Réfugié" in seen.text


async def test_the_record_is_edited_with_errors_in_place(client, people):
    learner = await make_learner(client, people, first_name="Awa", last_name="Diallo")
    edit = f"/apprenants/{learner}/modifier"
    await sign_in(client, "paris_manager")
    form = await client.get(edit)
    assert form.status_code == 200 and 'value="Awa"' in form.text
    typed = {
        "first_name": "Awa",
        "last_name": " ",
        "gender": "female",
        "birth_date": "1990-05-17",
        "phone": "12",
        "email": "awa@example.org",
        "languages": "fr wo",
        "french_level": "B1",
        "qpv_resident": "oui",
        "qpv_checked_on": "",
        "highest_qualification": "bac",
        "employment_status": "job_seeker",
        "refugee_status": "unknown",
        "notes": "Rappeler lundi.",
    }
    refused = await post_form(client, edit, typed)
    assert refused.status_code == 422
    assert 'aria-describedby="last_name-erreur"' in refused.text
    assert 'aria-describedby="phone-erreur"' in refused.text
    assert "Rappeler lundi." in refused.text and 'value="awa@example.org"' in refused.text
    rule = await post_form(client, edit, typed | {"last_name": "Diallo", "phone": "0612345678"})
    assert rule.status_code == 422, "a QPV answer needs the date it was checked"
    assert 'id="qpv_checked_on-erreur"' in rule.text
    saved = await post_form(
        client,
        edit,
        typed
        | {
            "last_name": "Diallo-Sow",
            "phone": "0612345678",
            "qpv_checked_on": "2026-09-01",
            "qpv_map_version": "2024",
        },
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/apprenants/{learner}?fait=1"
    record = await client.get(f"/api/v1/learners/{learner}", headers=people.auth("paris_manager"))
    body = record.json()
    assert (body["last_name"], body["qpv_resident"], body["languages"]) == (
        "Diallo-Sow",
        True,
        ["fr", "wo"],
    )
    after = await client.get(saved.headers["location"])
    assert "La fiche est enregistrée." in after.text and "Rappeler lundi." in after.text


@pytest.mark.parametrize("who", ["paris_trainer", "bordeaux_manager"])
async def test_another_sites_learner_is_not_found(client, people, who):
    learner = await make_learner(client, people)
    await sign_in(client, who)
    for url in (f"/apprenants/{learner}", f"/apprenants/{learner}/modifier"):
        page = await client.get(url)
        assert page.status_code == 404 and "Page introuvable" in page.text
    csrf = client.cookies["essaim_csrf"]
    posted = await client.post(
        f"/apprenants/{learner}/modifier", data={"first_name": "X"}, headers={"x-csrftoken": csrf}
    )
    assert posted.status_code == 404


async def test_the_central_team_is_refused_the_record(client, people):
    learner = await make_learner(client, people)
    await sign_in(client, "central")
    assert (await client.get(f"/apprenants/{learner}")).status_code == 403


async def test_an_erased_record_is_shown_but_not_edited(client, people):
    learner = await make_learner(client, people)
    erased = await client.post(
        f"/api/v1/learners/{learner}/erase",
        json={"reason": "request", "confirm": True},
        headers=people.auth("admin"),
    )
    assert erased.status_code == 201, erased.text
    await sign_in(client, "paris_manager")
    edit = f"/apprenants/{learner}/modifier"
    shown = await client.get(edit)
    assert shown.status_code == 409
    assert "Cette fiche a été effacée" in shown.text and edit not in shown.text
    csrf = client.cookies["essaim_csrf"]
    posted = await client.post(edit, data={"first_name": "X"}, headers={"x-csrftoken": csrf})
    assert posted.status_code == 409 and "Cette fiche a été effacée" in posted.text
