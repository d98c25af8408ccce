"""The learner's pages behind a personal link (issue 8): the survey and the follow-up
answered without signing in; a wrong, expired or used link says what to do; errors in place
with what was typed; a second answer refused in place."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from core.audit.tables import AuditEntry
from core.enrolment.tables import Enrolment
from core.outcomes.tables import Outcome
from core.reporting.enrolment_facts import refresh_cohorts
from core.surveys.links import LINK_DAYS
from core.surveys.tables import SurveyAnswer
from core.web.follow_up import GUESSES
from tests.surveys import EXIT_DAY, THREE_MONTHS, enrolled, move_to, sent_secret
from tests.web import post_form

SURVEY = {
    "note": "4",
    "recommande": "oui",
    "aide": ["group", "practice"],
    "commentaire": "Très bien, merci.",
}


async def survey_link(client, people, clock) -> tuple[int, str]:
    enrolment = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    return enrolment, await sent_secret(client, people, enrolment)


async def follow_up_link(client, people, clock) -> tuple[int, str]:
    enrolment = await enrolled(client, people)
    move_to(clock, THREE_MONTHS)
    return enrolment, await sent_secret(client, people, enrolment, "follow_up", 3)


async def test_a_learner_answers_the_survey(client, people, clock):
    enrolment, secret = await survey_link(client, people, clock)
    page = await client.get(f"/suivi/{secret}")
    assert page.status_code == 200
    assert "Votre avis sur la formation" in page.text and 'name="note"' in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    answered = await post_form(client, f"/suivi/{secret}", SURVEY)
    assert answered.status_code == 303
    assert answered.headers["location"] == f"/suivi/{secret}?merci=1"
    thanks = await client.get(answered.headers["location"])
    assert thanks.status_code == 200 and "Votre réponse est enregistrée" in thanks.text
    [answer] = await SurveyAnswer.select().where(SurveyAnswer.enrolment == enrolment)
    assert (answer["satisfaction"], answer["recommends"]) == (4, True)
    assert (answer["helped"], answer["comment"]) == ("group,practice", "Très bien, merci.")
    assert await AuditEntry.exists().where(AuditEntry.action == "survey.answered")


@pytest.mark.parametrize(
    ("posted", "status", "place"),
    [
        (
            {"situation": "emploi", "contrat": "cdi", "employeur": "Mairie"},
            "permanent_job",
            "Mairie",
        ),
        ({"situation": "emploi", "contrat": "cdd"}, "fixed_term_job", ""),
        ({"situation": "emploi", "contrat": "alternance"}, "work_study", ""),
        ({"situation": "emploi", "contrat": "entreprise"}, "business_creation", ""),
        ({"situation": "formation", "employeur": "AFPA"}, "qualifying_training", "AFPA"),
        ({"situation": "stage"}, "internship", ""),
        ({"situation": "recherche"}, "still_searching", ""),
        ({"situation": "autre"}, "other", ""),
    ],
    ids=lambda value: value if isinstance(value, str) else value["situation"],
)
@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
async def test_a_learner_answers_the_follow_up(client, people, clock, posted, status, place):
    enrolment, secret = await follow_up_link(client, people, clock)
    page = await client.get(f"/suivi/{secret}")
    assert page.status_code == 200 and "Que faites-vous maintenant" in page.text
    assert "depuis 3 mois" in page.text
    answered = await post_form(client, f"/suivi/{secret}", posted)
    assert answered.status_code == 303, answered.text
    [outcome] = await Outcome.select().where(Outcome.enrolment == enrolment)
    assert (outcome["checkpoint"], outcome["status"], outcome["source"]) == (
        3,
        status,
        "learner_link",
    )
    assert outcome["employer_or_school"] == place


async def test_a_wrong_link_reveals_nothing(client, people, clock):
    await survey_link(client, people, clock)
    for wrong in ("pas-un-secret", "x" * 300):
        page = await client.get(f"/suivi/{wrong}")
        assert page.status_code == 404
        assert "Ce lien ne marche pas" in page.text and "contactez" in page.text.lower()
        assert "Paris" not in page.text and "Atelier" not in page.text
    posted = await post_form(client, "/suivi/pas-un-secret", SURVEY, page="/connexion")
    assert posted.status_code == 404


async def test_an_expired_link_says_what_to_do(client, people, clock):
    _, secret = await survey_link(client, people, clock)
    form = await client.get(f"/suivi/{secret}")
    clock.advance(timedelta(days=LINK_DAYS))
    page = await client.get(f"/suivi/{secret}")
    assert page.status_code == 410 and "Ce lien ne marche plus" in page.text
    assert "nouveau lien" in page.text and "Paris" not in page.text
    token = form.text.split('name="_csrf_token" value="')[1].split('"')[0]
    late = await client.post(f"/suivi/{secret}", data={**SURVEY, "_csrf_token": token})
    assert late.status_code == 409
    assert "Rien n&#39;est enregistré" in late.text or "Rien n'est enregistré" in late.text
    assert "Très bien, merci." in late.text, "nothing typed is lost"
    assert await SurveyAnswer.count() == 0


async def test_a_second_answer_is_refused_in_place(client, people, clock):
    _, secret = await survey_link(client, people, clock)
    form = await client.get(f"/suivi/{secret}")
    token = form.text.split('name="_csrf_token" value="')[1].split('"')[0]
    first = await client.post(f"/suivi/{secret}", data={**SURVEY, "_csrf_token": token})
    assert first.status_code == 303
    second = await client.post(
        f"/suivi/{secret}", data={**SURVEY, "note": "1", "_csrf_token": token}
    )
    assert second.status_code == 409 and "Vous avez déjà répondu" in second.text
    assert 'value="1" checked' in second.text
    used = await client.get(f"/suivi/{secret}")
    assert used.status_code == 410 and "Vous avez déjà répondu" in used.text
    [answer] = await SurveyAnswer.select(SurveyAnswer.satisfaction)
    assert answer["satisfaction"] == 4


@pytest.mark.parametrize(
    ("posted", "field", "kept"),
    [
        ({**SURVEY, "note": ""}, "note", "Très bien, merci."),
        ({**SURVEY, "note": "9"}, "note", "Très bien, merci."),
        ({**SURVEY, "recommande": "peut-être"}, "recommande", "Très bien, merci."),
        ({**SURVEY, "aide": ["group", "magie"]}, "aide", 'value="group" checked'),
        ({**SURVEY, "commentaire": "a" * 1001}, "commentaire", "a" * 1001),
    ],
    ids=["no mark", "mark out of range", "yes or no", "unknown help", "long comment"],
)
@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
async def test_survey_errors_are_shown_in_place(client, people, clock, posted, field, kept):
    _, secret = await survey_link(client, people, clock)
    page = await post_form(client, f"/suivi/{secret}", posted)
    assert page.status_code == 422
    assert f'href="#{field}"' in page.text and f'id="{field}-erreur"' in page.text
    assert kept in page.text
    assert await SurveyAnswer.count() == 0


@pytest.mark.parametrize(
    ("posted", "field"),
    [
        ({"employeur": "Mairie"}, "situation"),
        ({"situation": "vacances"}, "situation"),
        ({"situation": "emploi", "employeur": "Mairie"}, "contrat"),
        ({"situation": "emploi", "contrat": "cdi", "employeur": "M" * 201}, "employeur"),
        ({"situation": "recherche", "employeur": "Mairie"}, "employeur"),
    ],
    ids=["no situation", "unknown situation", "no contract", "long name", "name when searching"],
)
@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
async def test_follow_up_errors_are_shown_in_place(client, people, clock, posted, field):
    _, secret = await follow_up_link(client, people, clock)
    page = await post_form(client, f"/suivi/{secret}", posted)
    assert page.status_code == 422
    assert f'href="#{field}"' in page.text and f'id="{field}-erreur"' in page.text
    if "employeur" in posted:
        assert f'value="{posted["employeur"]}"' in page.text, "nothing typed is lost"
    assert await Outcome.count() == 0
    answered = await post_form(client, f"/suivi/{secret}", {"situation": "stage"})
    assert answered.status_code == 303, "the link still answers after an error"
    entry = await AuditEntry.select().where(AuditEntry.action == "outcome.recorded").first()
    assert json.loads(entry["details"])["via"] == "link"


@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
async def test_a_follow_up_the_outcomes_refuse_is_shown_in_place(client, people, clock):
    enrolment, secret = await follow_up_link(client, people, clock)
    await Enrolment.update({Enrolment.status: "transferred"}).where(Enrolment.id == enrolment)
    await refresh_cohorts([people.paris_cohort])
    page = await post_form(client, f"/suivi/{secret}", {"situation": "stage"})
    assert page.status_code == 409 and "équipe de votre formation" in page.text
    assert 'value="stage" checked' in page.text
    assert (await client.get(f"/suivi/{secret}")).status_code == 200, "the link still answers"


async def test_trying_secrets_one_after_another_is_stopped(client, people, clock):
    _, secret = await survey_link(client, people, clock)
    for n in range(GUESSES.limit):
        assert (await client.get(f"/suivi/essai-{n}")).status_code == 404
    stopped = await client.get(f"/suivi/{secret}")
    assert stopped.status_code == 429, "even a real link, from that address, for a while"
    assert "Réessayez dans" in stopped.text and int(stopped.headers["retry-after"]) > 0
    clock.advance(GUESSES.window)
    assert (await client.get(f"/suivi/{secret}")).status_code == 200
