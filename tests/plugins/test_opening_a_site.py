"""Opening a third city from Bordeaux's file: only a file in sites/ changes (issue 6)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import tomlkit

from tests.applications import make_learner
from tests.cli import _keep_logging_config, invoke
from tests.enrolment import enrol

from .conftest import REPO_SITES

__all__ = ["_keep_logging_config"]


def fill_in(path: Path) -> None:
    """What Lyon's manager writes into the new file: the local facts, DIGITAL only."""
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    doc["name"] = "Lyon"
    doc["status"] = "active"
    doc["department"] = "69"
    doc["address"] = "Lieu de formation, 69007 Lyon"
    doc["rooms"] = tomlkit.aot()
    doc["rooms"].append(tomlkit.table() | {"key": "salle-1", "name": "Salle 1", "capacity": 12})
    doc["partners"] = tomlkit.aot()
    for key, kinds in (("mission-locale-lyon", ["referral"]), ("forum-refugies", ["language"])):
        doc["partners"].append(tomlkit.table() | {"key": key, "name": key, "kinds": kinds})
    del doc["programs"]["digistart"]
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")


@pytest.fixture
def sites_dir(tmp_path: Path) -> Path:
    """The repository's sites, plus Lyon opened from Bordeaux with the command, then filled."""
    folder = tmp_path / "sites"
    shutil.copytree(REPO_SITES, folder)
    env = {"ESSAIM_SITES_DIR": folder, "ESSAIM_VAR_DIR": tmp_path / "var"}
    created = invoke(["sites", "new", "lyon", "--from", "bordeaux"], **env)
    assert created.exit_code == 0, created.output
    assert "Reste à compléter :" in created.stdout
    assert "  - department : 33, repris de bordeaux ; il fixe les jours fériés" in created.stdout
    fill_in(folder / "lyon.toml")
    checked = invoke(["sites", "check"], **env)
    assert checked.exit_code == 0, checked.output
    assert "lyon: ok (active, digital)" in checked.stdout
    return folder


def test_the_new_file_is_valid_from_the_start_and_says_what_is_missing(tmp_path: Path) -> None:
    folder = tmp_path / "sites"
    shutil.copytree(REPO_SITES, folder)
    env = {"ESSAIM_SITES_DIR": folder, "ESSAIM_VAR_DIR": tmp_path / "var"}
    result = invoke(["sites", "new", "marseille", "--from", "paris"], **env)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:4] == [
        "  À COMPLÉTER (marseille) : en ouverture",
        "  Département 75, fuseau Europe/Paris ; ouvert du lundi au vendredi de 9 h à 18 h 30",
        "  Adresse : À COMPLÉTER",
    ]
    assert "    DIGITOUS : " in result.stdout
    text = (folder / "marseille.toml").read_text(encoding="utf-8")
    assert 'slug = "marseille"' in text and "# [[rooms]]" in text
    again = invoke(["sites", "new", "marseille", "--from", "paris"], **env)
    assert again.exit_code == 1
    assert "already exists" in again.output
    for args, message in (
        (["sites", "new", "Marseille!", "--from", "paris"], "is not a site slug"),
        (["sites", "new", "nice", "--from", "toulouse"], "no site 'toulouse'"),
    ):
        refused = invoke(args, **env)
        assert refused.exit_code == 1
        assert message in refused.output
    assert not (folder / "nice.toml").exists()


def test_show_and_diff_say_what_differs_in_words(sites_dir: Path, tmp_path: Path) -> None:
    env = {"ESSAIM_SITES_DIR": sites_dir, "ESSAIM_VAR_DIR": tmp_path / "var"}
    shown = invoke(["sites", "show", "lyon"], **env)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.splitlines()[:2] == [
        "Lyon (lyon) : actif",
        "Département 69, fuseau Europe/Paris ; ouvert du lundi au vendredi de 9 h à 17 h 30",
    ]
    differ = invoke(["sites", "diff", "bordeaux", "lyon"], **env)
    assert differ.exit_code == 0, differ.output
    assert differ.stdout.splitlines() == [
        "DIGISTART : à bordeaux seulement",
        "Département : 33 à bordeaux, 69 à lyon",
        "Salles : 1 (14 places) à bordeaux, 1 (12 places) à lyon",
        "Partenaires : 5 à bordeaux, 2 à lyon",
    ]
    same = invoke(["sites", "diff", "lyon", "lyon"], **env)
    assert same.stdout.splitlines() == ["lyon et lyon proposent la même chose."]


async def test_a_learner_goes_through_an_application_at_the_new_site(client, people, clock):
    from core.auth import service as auth
    from core.auth.roles import Role

    manager = await auth.create_account(
        email="responsable.lyon@example.org", password="correct horse battery",
        display_name="Lyon", role=Role.SITE_MANAGER, sites=("lyon",),
        known_sites=("paris", "bordeaux", "lyon"),
    )  # fmt: skip
    _, token = await auth.issue_api_token(manager, "tests", clock)
    people.tokens["lyon_manager"] = token
    lyon = people.auth("lyon_manager")
    cohort = await client.post(
        "/api/v1/cohorts",
        json={"site": "lyon", "program": "digital", "track": "beginner", "title": "Débutants",
              "starts_on": "2026-10-05", "ends_on": "2026-11-30"},
        headers=lyon,
    )  # fmt: skip
    assert cohort.status_code == 201, cohort.text
    learner = await make_learner(client, people, who="lyon_manager", site="lyon")
    body = {"learner": learner, "site": "lyon", "program": "digital", "track": "beginner"}
    applied = await client.post("/api/v1/applications", json=body, headers=lyon)
    assert applied.status_code == 201, applied.text
    assert applied.json()["eligible"] is True
    not_here = await client.post(
        "/api/v1/applications", json=body | {"program": "digistart", "track": "web"}, headers=lyon
    )
    assert not_here.status_code == 422
    assert not_here.json()["errors"][0]["field"] == "program"
    application = applied.json()["id"]
    for status in ("screening", "admitted"):
        moved = await client.post(
            f"/api/v1/applications/{application}/transitions",
            json={"to": status},
            headers=lyon,
        )
        assert moved.status_code in (200, 201), moved.text
    enrolled = await enrol(client, people, cohort.json()["id"], application, who="lyon_manager")
    assert enrolled["status"] == "enrolled"
    paris = await client.get(
        f"/api/v1/applications/{application}", headers=people.auth("paris_manager")
    )
    assert paris.status_code == 404, "Paris's manager does not reach Lyon's records"
