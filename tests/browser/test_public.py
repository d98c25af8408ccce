"""In a real browser on a phone's screen (390x844): a person applies to DIGITAL at Paris on the
public form, with and without JavaScript; a missing answer is named in place and nothing typed
is lost; the receipt gives a reference; the Paris site manager then finds the application."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import LAPTOP
from tests.browser.server import MANAGER, Essaim
from tests.browser.test_pages import shoot_and_check
from tests.browser.test_trainer import sign_in

PHONE = {"width": 390, "height": 844}
FORM = "/postuler/paris/digital"


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def phone(request, browser, essaim: Essaim):
    """A fresh page on a phone's screen, French, with JavaScript on or off."""
    context = browser.new_context(
        viewport=PHONE,
        locale="fr-FR",
        base_url=essaim.url,
        java_script_enabled=request.param,
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page(), request.param
    context.close()


def fits_the_screen(page) -> bool:
    """True when nothing is wider than the screen (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_person_applies_on_a_phone_and_the_site_manager_finds_it(
    phone, browser, essaim: Essaim, screenshots
) -> None:
    page, javascript = phone
    suffix = "" if javascript else "-sans-js"
    first, last = ("Mariam", "Sissoko") if javascript else ("Fatou", "Keita")

    page.goto("/postuler")
    assert page.get_by_role("link", name="Candidater à DIGITAL").count() >= 1
    shoot_and_check(page, screenshots, f"public-postuler{suffix}", axe=javascript)
    response = page.goto(FORM)
    assert response.status == 200
    before = page.get_by_role("region", name="Avant de candidater")
    assert "18 ans ou plus" in before.inner_text()
    assert "A2" in before.inner_text(), "DIGITAL beginners' requirement, from the plugin"
    assert "Wintegreat" in before.inner_text(), "Paris's French-language partner, from its file"
    assert fits_the_screen(page)
    shoot_and_check(page, screenshots, f"public-candidature{suffix}", axe=javascript)

    page.get_by_label("Prénom", exact=True).fill(first)
    page.get_by_label("Date de naissance").fill("1992-03-14")
    page.get_by_label("Une femme").check()
    page.get_by_label("Numéro de téléphone").fill("06 11 22 33 44")
    page.get_by_label("Votre niveau de français").select_option("B1")
    page.get_by_label("J'accepte que l'antenne garde ma candidature").check()
    page.get_by_role("button", name="Envoyer ma candidature").click()

    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    assert "Écrivez votre nom." in summary.inner_text()
    assert page.get_by_label("Prénom", exact=True).input_value() == first
    assert page.get_by_label("Numéro de téléphone").input_value() == "06 11 22 33 44"
    assert page.get_by_label("Une femme").is_checked()
    assert page.get_by_label("Nom", exact=True).get_attribute("aria-invalid") == "true"
    assert fits_the_screen(page)
    shoot_and_check(page, screenshots, f"public-candidature-erreur{suffix}", axe=javascript)

    page.get_by_label("Nom", exact=True).fill(last)
    page.get_by_role("button", name="Envoyer ma candidature").click()
    page.wait_for_url(re.compile(r"/candidature-recue/\d+$"))
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Candidature reçue"
    assert first in page.get_by_role("status").inner_text()
    assert last not in page.content()
    reference = int(page.url.rsplit("/", 1)[1])
    assert f"{reference:06d}" in page.content()
    shoot_and_check(page, screenshots, f"public-recu{suffix}", axe=javascript)

    manager = browser.new_context(viewport=LAPTOP, locale="fr-FR", base_url=essaim.url)
    try:
        staff = manager.new_page()
        sign_in(staff, MANAGER)
        shown = staff.goto(f"/candidatures/{reference}")
        assert shown.status == 200
        text = staff.get_by_role("main").inner_text()
        assert f"{first} {last}" in text
        assert "Formulaire public" in text, "the history says where the application came from"
        listed = staff.goto("/antenne/candidatures?statut=submitted&programme=digital")
        assert listed.status == 200
    finally:
        manager.close()


def test_a_volunteer_signs_up_on_a_phone(phone, essaim: Essaim, screenshots) -> None:
    page, javascript = phone
    suffix = "" if javascript else "-sans-js"
    page.goto("/benevolat")
    assert fits_the_screen(page)
    page.get_by_label("Paris").check()
    page.get_by_label("Prénom", exact=True).fill("Léa")
    page.get_by_label("Nom", exact=True).fill("Martin" if javascript else "Moreau")
    page.get_by_label("Adresse e-mail").fill("lea@example.org")
    page.get_by_label("Excel").check()
    page.get_by_role("group", name="Mardi").get_by_label("soir").check()
    page.get_by_label("Entreprises partenaires").check()
    shoot_and_check(page, screenshots, f"public-benevolat{suffix}", axe=javascript)
    page.get_by_role("button", name="M'inscrire").click()
    page.wait_for_load_state()
    assert "Cochez la case" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Excel").is_checked(), "nothing ticked is lost"
    assert page.get_by_role("group", name="Mardi").get_by_label("soir").is_checked()
    page.get_by_label("J'accepte que l'antenne garde ces informations").check()
    page.get_by_role("button", name="M'inscrire").click()
    page.wait_for_url("**/benevolat/merci")
    assert "Nous avons bien reçu votre inscription." in page.get_by_role("status").inner_text()
    shoot_and_check(page, screenshots, f"public-benevolat-merci{suffix}", axe=javascript)
