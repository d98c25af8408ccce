"""The public forms: applying to a program at a site and signing up as a volunteer, without
signing in; their refusals in place, the honeypot and the limit per client address."""

from __future__ import annotations

from datetime import timedelta

from core.audit.tables import AuditEntry
from core.jobs.tables import Job
from core.learners.tables import Consent, Learner
from core.notifications.tables import Message
from core.volunteering.tables import Volunteer
from core.web.guard import HONEYPOT
from tests.web import post_form, sign_in

FORM = "/postuler/paris/atelier"


def answers(**changes: object) -> dict[str, object]:
    """A complete application as a person fills it in."""
    return {
        "prenom": "Awa",
        "nom": "Diallo",
        "naissance": "1995-04-12",
        "genre": "female",
        "telephone": "06 12 34 56 78",
        "email": "awa.diallo@example.org",
        "niveau_francais": "B1",
        "diplome": "below_bac",
        "situation": "job_seeker",
        "statut": "unknown",
        "accord": ["training_record", "contact_email"],
    } | changes


async def test_the_list_links_each_program_of_each_site(client):
    page = await client.get("/postuler")
    assert page.status_code == 200
    assert f'href="{FORM}"' in page.text
    assert 'href="/postuler/bordeaux/atelier"' in page.text


async def test_the_form_says_who_may_apply_before_asking_anything(client):
    page = await client.get(FORM)
    assert page.status_code == 200
    text = page.text
    assert text.index("18 ans ou plus") < text.index('name="prenom"')
    assert "Programme d&#39;essai pour les tests de core." in text, "the program's own summary"
    assert "Initiation" in text and "Approfondissement" in text, "the site's tracks"
    assert 'class="piege"' in text and f'name="{HONEYPOT}"' in text
    assert (await client.get("/postuler/paris/inconnu")).status_code == 404


async def test_an_application_records_the_learner_consents_application_and_message(
    client, people, clock
):
    response = await post_form(client, FORM, answers(prenom="Éloïse Awa"))
    assert response.status_code == 303, response.text
    reference = int(response.headers["location"].rsplit("/", 1)[1])
    receipt = await client.get(response.headers["location"])
    assert receipt.status_code == 200
    assert f"{reference:06d}" in receipt.text
    assert "Éloïse Awa" in receipt.text, "the first name only"
    assert "Diallo" not in receipt.text and "06 12" not in receipt.text

    learner = await Learner.select().where(Learner.last_name == "Diallo").first()
    assert learner["site"] == "paris" and learner["french_level_method"] == "self_declared"
    purposes = await Consent.select(Consent.purpose).where(Consent.learner == learner["id"])
    assert sorted(row["purpose"] for row in purposes) == ["contact_email", "training_record"]
    message = await Message.select(Message.template, Message.status).where(
        Message.learner == learner["id"]
    )
    assert [row["template"] for row in message] == ["application_received"]
    assert await Job.count() == 1, "its sending is queued, never done in the request"
    trail = await AuditEntry.select().where(AuditEntry.action == "application.submitted")
    assert trail[0]["target_id"] == reference
    assert "public_form" in str(trail[0]["details"]), "the trail says where it came from"

    application = await client.get(
        f"/api/v1/applications/{reference}", headers=people.auth("paris_manager")
    )
    assert application.status_code == 200
    assert application.json()["status"] == "submitted"
    await sign_in(client, "paris_manager")
    listed = await client.get("/antenne/candidatures")
    assert "Éloïse Awa Diallo" in listed.text
    history = await client.get(f"/candidatures/{reference}")
    assert "Formulaire public" in history.text


async def test_a_17_year_old_is_told_why_naming_c1_and_nothing_is_kept(client, clock):
    born = (clock.now() - timedelta(days=17 * 365 + 30)).date()
    response = await post_form(client, FORM, answers(naissance=born.isoformat()))
    assert response.status_code == 422
    assert "C1" in response.text and "18 ans" in response.text
    assert 'id="naissance-erreur"' in response.text
    assert 'value="Awa"' in response.text and 'value="awa.diallo@example.org"' in response.text
    assert await Learner.count() == 0


async def test_bad_fields_are_named_in_place_and_nothing_typed_is_lost(client):
    response = await post_form(
        client,
        FORM,
        answers(prenom="", telephone="12", email="pas-une-adresse", genre="", accord=[]),
    )
    assert response.status_code == 422
    for name in ("prenom", "telephone", "email", "genre", "accord"):
        assert f'id="{name}-erreur"' in response.text, name
        assert f'href="#{name}"' in response.text, name
    assert 'value="Diallo"' in response.text and 'value="pas-une-adresse"' in response.text
    assert await Learner.count() == 0
    no_contact = await post_form(client, FORM, answers(telephone="", email=""))
    assert no_contact.status_code == 422 and 'id="telephone-erreur"' in no_contact.text


async def test_a_filled_honeypot_answers_like_success_and_stores_nothing(client):
    response = await post_form(client, FORM, answers(**{HONEYPOT: "http://spam.example"}))
    assert response.status_code == 303
    assert (await client.get(response.headers["location"])).status_code == 200
    assert await Learner.count() == 0


async def test_too_many_submissions_get_a_429_saying_when_to_try_again(client, clock):
    for number in range(5):
        sent = await post_form(client, FORM, answers(**{HONEYPOT: "x", "prenom": f"P{number}"}))
        assert sent.status_code == 303
    refused = await post_form(client, FORM, answers())
    assert refused.status_code == 429
    assert "60 minutes" in refused.text
    assert refused.headers["retry-after"] == "3600"
    assert await Learner.count() == 0
    volunteer = await post_form(client, "/benevolat", {"antenne": "paris", "prenom": "Léa"})
    assert volunteer.status_code == 422, "each form has its own limit"
    clock.advance(timedelta(hours=1, seconds=1))
    assert (await post_form(client, FORM, answers())).status_code == 303


async def test_a_volunteer_signs_up_pending_with_skills_availability_and_company(client, people):
    response = await post_form(
        client,
        "/benevolat",
        {
            "antenne": "paris",
            "prenom": "Léa",
            "nom": "Martin",
            "email": "lea.martin@acme.example",
            "competences": ["excel", "emploi"],
            "disponibilites": ["2-soir", "6-matin"],
            "entreprise": "acme",
            "accord": "oui",
        },
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/benevolat/merci"
    row = await Volunteer.select().first()
    assert row["pending"] and not row["active"]
    assert row["skills"] == "excel emploi" and row["partner"] == "acme"
    availability = await client.get(
        f"/api/v1/volunteers/{row['id']}/availability", headers=people.auth("paris_manager")
    )
    assert len(availability.json()["windows"]) == 2
    accepted = await client.patch(
        f"/api/v1/volunteers/{row['id']}",
        json={"active": True},
        headers=people.auth("paris_manager"),
    )
    assert accepted.json()["active"] and not accepted.json()["pending"]


async def test_a_volunteer_form_with_errors_keeps_what_was_typed(client):
    response = await post_form(
        client,
        "/benevolat",
        {"antenne": "paris", "prenom": "Léa", "competences": ["excel"], "entreprise": "inconnue"},
    )
    assert response.status_code == 422
    for name in ("nom", "telephone", "entreprise", "accord"):
        assert f'id="{name}-erreur"' in response.text, name
    assert 'value="Léa"' in response.text
    assert 'value="excel" checked' in response.text
    assert await Volunteer.count() == 0


async def test_a_possible_duplicate_is_recorded_and_named_in_the_trail_for_the_team(client):
    assert (await post_form(client, FORM, answers())).status_code == 303
    again = await post_form(client, FORM, answers(email="", accord=["training_record"]))
    assert again.status_code == 303, "the person is never shown someone else's record"
    first, second = [row["id"] for row in await Learner.select(Learner.id).order_by(Learner.id)]
    created = await AuditEntry.select(AuditEntry.details).where(
        (AuditEntry.action == "learner.created") & (AuditEntry.target_id == second)
    )
    assert str(first) in str(created[0]["details"]), "confirmed_despite names the first record"
