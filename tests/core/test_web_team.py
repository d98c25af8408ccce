"""The team page and the password pages (issue 8): a site manager invites a trainer who sets
a password from the link and lands signed in; deactivation from the page; a reset asked for
any address answers alike and revokes the sessions; links used or expired are refused."""

from __future__ import annotations

from datetime import timedelta

from core.auth import links
from core.notifications.tables import AccountMessage
from tests.conftest import PASSWORD
from tests.web import post_form, sign_in

TEAM = "/antenne/equipe"
NEW_PASSWORD = "une phrase assez longue"


async def newest_link() -> str:
    """The path of the newest link waiting in the stored messages."""
    row = (
        await AccountMessage.select(AccountMessage.link)
        .order_by(AccountMessage.id, ascending=False)
        .first()
    )
    assert row and row["link"]
    return "/" + row["link"].split("/", 3)[3]


async def test_a_site_manager_invites_and_the_trainer_lands_signed_in(client, people):
    await sign_in(client, "paris_manager")
    page = await client.get(TEAM)
    assert page.status_code == 200
    assert "paris_trainer@example.org" in page.text
    assert "bordeaux_manager@example.org" not in page.text
    form = {
        "antenne": "paris",
        "nom": "Nadia Invitée",
        "email": "nadia@example.org",
        "role": "trainer",
        "promotions": str(people.paris_cohort),
    }
    sent = await post_form(client, TEAM, form)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{TEAM}?antenne=paris&fait=invitation"
    listed = await client.get(sent.headers["location"])
    assert "Invité : mot de passe pas encore choisi" in listed.text
    assert 'role="status"' in listed.text

    client.cookies.clear()
    link = await newest_link()
    welcome = await client.get(link)
    assert welcome.status_code == 200 and "Nadia Invitée" in welcome.text
    assert welcome.headers["referrer-policy"] == "no-referrer"
    short = await post_form(client, link, {"mot_de_passe": "court", "confirmation": "court"})
    assert short.status_code == 422
    assert "au moins 10 caractères" in short.text and 'aria-invalid="true"' in short.text
    done = await post_form(
        client, link, {"mot_de_passe": NEW_PASSWORD, "confirmation": NEW_PASSWORD}
    )
    assert done.status_code == 303 and done.headers["location"] == "/mes-seances"
    home = await client.get("/mes-seances")
    assert home.status_code == 200 and "Nadia Invitée" in home.text
    again = await client.get(link)
    assert again.status_code == 409 and "Lien plus valable" in again.text


async def test_the_invitation_form_keeps_what_was_typed_and_names_each_problem(client, people):
    await sign_in(client, "paris_manager")
    typed = {"antenne": "paris", "nom": "Nadia", "email": "pas-une-adresse", "role": "trainer"}
    answer = await post_form(client, TEAM, typed)
    assert answer.status_code == 422
    assert 'value="Nadia"' in answer.text and 'value="pas-une-adresse"' in answer.text
    assert "Cette adresse e-mail n&#39;est pas valable" in answer.text
    assert "Choisissez au moins une promotion" in answer.text
    taken = typed | {"email": "admin@example.org", "promotions": str(people.paris_cohort)}
    answer = await post_form(client, TEAM, taken)
    assert answer.status_code == 422 and "Un compte utilise déjà cette adresse" in answer.text


async def test_another_sites_team_is_not_found(client, people):
    await sign_in(client, "bordeaux_manager")
    assert (await client.get(f"{TEAM}?antenne=paris")).status_code == 404
    me = await client.get("/api/v1/auth/me", headers=people.auth("paris_trainer"))
    action = f"{TEAM}/{me.json()['id']}"
    refused = await post_form(client, action, {"action": "desactiver"}, page=TEAM)
    assert refused.status_code == 404
    invited = await post_form(
        client,
        TEAM,
        {"antenne": "paris", "nom": "X", "email": "x@example.org", "role": "site_manager"},
    )
    assert invited.status_code == 404


async def test_a_deactivated_trainer_cannot_sign_in_from_the_page(client, people):
    me = await client.get("/api/v1/auth/me", headers=people.auth("paris_trainer"))
    await sign_in(client, "paris_manager")
    done = await post_form(client, f"{TEAM}/{me.json()['id']}", {"action": "desactiver"}, page=TEAM)
    assert done.status_code == 303
    assert "Désactivé" in (await client.get(done.headers["location"])).text
    client.cookies.clear()
    refused = await post_form(
        client, "/connexion", {"email": "paris_trainer@example.org", "password": PASSWORD}
    )
    assert refused.status_code == 401
    assert (
        await client.get("/api/v1/auth/me", headers=people.auth("paris_trainer"))
    ).status_code == 401


async def test_a_reset_answers_alike_and_revokes_every_session(client, people, clock):
    await sign_in(client, "paris_trainer")
    old_session = client.cookies["essaim_session"]
    client.cookies.clear()
    answers = []
    for email in ("personne@example.org", "paris_trainer@example.org"):
        answer = await post_form(client, "/mot-de-passe-oublie", {"email": email})
        answers.append((answer.status_code, answer.headers["location"]))
    assert answers[0] == answers[1] == (303, "/mot-de-passe-oublie?envoye=1")
    assert await AccountMessage.count() == 1
    sent = await client.get("/mot-de-passe-oublie?envoye=1")
    assert "Si un compte utilise cette adresse" in sent.text

    link = await newest_link()
    done = await post_form(
        client, link, {"mot_de_passe": NEW_PASSWORD, "confirmation": NEW_PASSWORD}
    )
    assert done.status_code == 303 and done.headers["location"] == "/mes-seances"
    stale = await client.get("/api/v1/auth/me", headers={"Cookie": f"essaim_session={old_session}"})
    assert stale.status_code == 401
    assert (await client.get("/mes-seances")).status_code == 200


async def test_an_expired_reset_link_is_refused(client, people, clock):
    await post_form(client, "/mot-de-passe-oublie", {"email": "paris_trainer@example.org"})
    link = await newest_link()
    clock.advance(links.LIFETIME[links.Purpose.RESET] + timedelta(seconds=1))
    late = await post_form(
        client,
        link,
        {"mot_de_passe": NEW_PASSWORD, "confirmation": NEW_PASSWORD},
        page="/connexion",
    )
    assert late.status_code == 409


async def test_the_locked_sign_in_says_how_long_to_wait_and_how_to_reset(client, people):
    for _ in range(3):
        await post_form(client, "/connexion", {"email": "admin@example.org", "password": "x"})
    locked = await post_form(client, "/connexion", {"email": "admin@example.org", "password": "x"})
    assert locked.status_code == 429
    assert "Attendez 1 minute" in locked.text
    assert 'href="/mot-de-passe-oublie"' in locked.text


async def test_an_invitation_is_sent_again_from_the_page(client, people):
    await sign_in(client, "paris_manager")
    form = {
        "antenne": "paris",
        "nom": "Nadia",
        "email": "nadia@example.org",
        "role": "site_manager",
    }
    await post_form(client, TEAM, form)
    first = await newest_link()
    page = await client.get(TEAM)
    account = page.text.split('action="/antenne/equipe/')
    ids = [chunk.split('"')[0] for chunk in account[1:]]
    assert "Envoyer à nouveau l" in page.text
    answers = []
    for account_id in dict.fromkeys(ids):
        answer = await post_form(
            client, f"{TEAM}/{account_id}", {"antenne": "paris", "action": "renvoyer"}, page=TEAM
        )
        answers.append(answer.status_code)
    assert sorted(answers) == [303, 422]  # the trainer has a password already
    assert await newest_link() != first
    assert (await client.get(first)).status_code == 409


async def test_ids_past_what_the_database_stores_never_fail(client, people):
    await sign_in(client, "paris_manager")
    form = {"antenne": "paris", "nom": "N", "email": "n@example.org", "role": "trainer"}
    answer = await post_form(client, TEAM, form | {"promotions": "9" * 30})
    assert answer.status_code == 422 and "Choisissez au moins une promotion" in answer.text
    past = await post_form(client, f"{TEAM}/{2**40}", {"action": "desactiver"}, page=TEAM)
    assert past.status_code == 400
    body = {"email": "n@example.org", "display_name": "N", "role": "trainer", "cohorts": [2**40]}
    api = await client.post(
        "/api/v1/sites/paris/accounts", json=body, headers=people.auth("paris_manager")
    )
    assert api.status_code == 400


async def test_admins_switch_between_every_sites_team(client, people):
    await sign_in(client, "admin")
    first = await client.get(TEAM)
    assert first.status_code == 200
    assert '<select id="antenne" name="antenne">' in first.text
    assert "bordeaux_manager@example.org" in first.text
    paris = await client.get(f"{TEAM}?antenne=paris")
    assert "paris_manager@example.org" in paris.text
    assert "bordeaux_manager@example.org" not in paris.text
    assert (await client.get(f"{TEAM}?antenne=lune")).status_code == 404
