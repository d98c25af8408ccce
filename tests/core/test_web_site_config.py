"""The site configuration page: a site's file as loaded, read-only, with the problems of the
file as it is now, for the site's managers (admins see every site)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import TEST_SITES
from tests.web import sign_in

PAGE = "/antenne/configuration"


@pytest.fixture
def sites_dir(tmp_path: Path) -> Path:
    """A copy of the test sites, which a test may edit once the app has loaded them."""
    folder = tmp_path / "sites"
    shutil.copytree(TEST_SITES, folder)
    return folder


async def test_the_manager_reads_their_site_as_loaded(client, people):
    await sign_in(client, "paris_manager")
    page = await client.get(PAGE)
    assert page.status_code == 200
    for shown in (
        "Salle A",
        "Boulangerie Martin",
        "entreprise d'accueil",
        "Le fichier est valide.",
    ):
        assert shown in page.text
    assert "priority_neighbourhood_target" in page.text and "0.3" in page.text
    assert "Bordeaux" not in page.text


async def test_another_site_is_not_found_and_admins_see_every_site(client, people):
    await sign_in(client, "paris_manager")
    assert (await client.get(PAGE, params={"site": "bordeaux"})).status_code == 404
    client.cookies.delete("essaim_session")
    await sign_in(client, "admin")
    page = await client.get(PAGE, params={"site": "bordeaux"})
    assert page.status_code == 200
    assert f'href="{PAGE}?site=paris"' in page.text and 'aria-current="page"' in page.text


async def test_a_file_broken_since_the_start_shows_its_problem_by_field(client, people, sites_dir):
    paris = sites_dir / "paris.toml"
    paris.write_text(paris.read_text().replace("capacity = 12", 'capacity = "douze"'))
    await sign_in(client, "paris_manager")
    page = await client.get(PAGE)
    assert page.status_code == 200
    assert "Le fichier a été modifié depuis le démarrage" in page.text
    assert "programs.atelier.capacity" in page.text
    assert "attendu : un nombre entier" in page.text
    assert "Salle A" in page.text, "the configuration as loaded is still shown"


@pytest.mark.parametrize("who", ["central", "paris_trainer"])
async def test_the_central_team_and_trainers_may_not_read_site_files(client, people, who):
    await sign_in(client, who)
    response = await client.get(PAGE)
    assert response.status_code == 403
    assert "Salle A" not in response.text


async def test_an_unknown_field_is_said_in_plain_words(client, people, sites_dir):
    paris = sites_dir / "paris.toml"
    paris.write_text(paris.read_text().replace('status = "active"', 'status = "active"\ncolor = 1'))
    await sign_in(client, "paris_manager")
    page = await client.get(PAGE)
    assert "n&#39;est pas un champ connu" in page.text and "color" in page.text
