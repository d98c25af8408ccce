"""In a real browser: the Paris site manager invites a trainer from the team page; the trainer
follows the link of the invitation (read from the stored e-mail, no worker runs here), chooses
a password and lands on their sessions."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

from tests.browser.server import MANAGER, Essaim
from tests.browser.test_pages import shoot_and_check
from tests.browser.test_trainer import sign_in

INVITED = "karima.invitee@example.org"
PASSWORD = "une phrase assez longue"


def stored_link(essaim: Essaim) -> str:
    """The path of the link in the newest e-mail to an account still waiting to leave."""
    with sqlite3.connect(essaim.var_dir / "essaim.sqlite3") as database:
        (link,) = database.execute(
            "SELECT link FROM account_message ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return urlsplit(link).path


def test_the_site_manager_invites_a_trainer_who_sets_a_password(
    browser, page, essaim: Essaim, screenshots
) -> None:
    sign_in(page, MANAGER)
    page.get_by_role("link", name="Les comptes de mon antenne").click()
    page.wait_for_url("**/antenne/equipe")
    page.get_by_role("heading", level=1, name="Équipe").wait_for()
    shoot_and_check(page, screenshots, "responsable-equipe")

    page.get_by_label("Nom").fill("Karima Invitée")
    page.get_by_label("Adresse e-mail").fill(INVITED)
    page.get_by_label("Formateur, formatrice ou bénévole").check()
    page.get_by_label("Débutants essai").check()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.get_by_text("L'invitation est partie").wait_for()
    row = page.get_by_role("row", name="Karima Invitée")
    assert "Invité : mot de passe pas encore choisi" in row.inner_text()
    shoot_and_check(page, screenshots, "responsable-equipe-invitation")

    context = browser.new_context(locale="fr-FR", base_url=essaim.url)
    try:
        trainer = context.new_page()
        trainer.goto(stored_link(essaim))
        trainer.get_by_role("heading", level=1, name="Bienvenue, Karima Invitée").wait_for()
        shoot_and_check(trainer, screenshots, "invitation-mot-de-passe")
        trainer.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
        trainer.get_by_label("Le même mot de passe encore une fois").fill(PASSWORD)
        trainer.get_by_role("button", name="Enregistrer le mot de passe").click()
        trainer.wait_for_url("**/mes-seances")
        assert "Karima Invitée" in trainer.locator("header").inner_text()
    finally:
        context.close()

    page.reload()
    row = page.get_by_role("row", name="Karima Invitée")
    assert "Actif" in row.inner_text()


def test_a_forgotten_password_is_asked_from_the_sign_in_page(page, screenshots) -> None:
    page.goto("/connexion")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.wait_for_url("**/mot-de-passe-oublie")
    shoot_and_check(page, screenshots, "mot-de-passe-oublie")
    page.get_by_label("Adresse e-mail").fill("personne.inconnue@example.org")
    page.get_by_role("button", name="M'envoyer un lien").click()
    page.get_by_text(
        "Si un compte utilise cette adresse, nous lui avons envoyé un e-mail."
    ).wait_for()
    shoot_and_check(page, screenshots, "mot-de-passe-oublie-envoye")
