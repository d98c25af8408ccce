"""In a real browser, every main page: a screenshot at 1366x768 in the folder the run prints,
and an axe accessibility check with no serious or critical violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.server import CENTRAL, MANAGER, TRAINER, Essaim
from tests.browser.test_trainer import sign_in

SERIOUS = {"serious", "critical"}


PAGES = [
    ("accueil", None, "/"),
    ("connexion", None, "/connexion"),
    ("public-candidature", None, "/postuler/paris/digital"),
    ("public-benevolat", None, "/benevolat"),
    ("formateur-mes-seances", TRAINER, "/mes-seances"),
    ("formateur-emargement", TRAINER, "/seances/{session}/emargement"),
    ("responsable-antenne", MANAGER, "/antenne"),
    ("responsable-candidatures", MANAGER, "/antenne/candidatures"),
    ("responsable-benevoles", MANAGER, "/antenne/benevoles"),
    ("equipe-centrale", CENTRAL, "/central"),
]
"""Each main page: its name, who signs in to see it, and its address."""


@pytest.mark.parametrize(("name", "who", "address"), PAGES, ids=[name for name, *_ in PAGES])
def test_main_page(
    page, essaim: Essaim, screenshots, name: str, who: str | None, address: str
) -> None:
    if who:
        sign_in(page, who)
    response = page.goto(address.format(session=essaim.sessions[3]))
    assert response.status == 200, address
    shoot_and_check(page, screenshots, name)


def shoot_and_check(page, screenshots, name: str, *, axe: bool = True) -> None:
    """Save the page as it stands as ``name``.png, and fail on a serious axe violation
    (``axe`` False where JavaScript is off, since axe runs as a script in the page)."""
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    if not axe:
        return
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in SERIOUS
    ]
    assert not violations, f"{name}: {violations}"
