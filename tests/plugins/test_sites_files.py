"""The real ``sites/`` folder loads with the installed plugins, and its programs make sense."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.plugins import PluginHost, load_plugins
from core.sites.loader import load_sites

from .conftest import REPO_SITES


def test_installed_plugins_register_the_three_programs(plugin_host: PluginHost) -> None:
    assert [program.key for program in plugin_host.programs()] == [
        "digistart",
        "digital",
        "digitous",
    ]
    assert {
        key: plugin_host.program_owner(key) for key in ("digital", "digistart", "digitous")
    } == {
        "digital": "digital",
        "digistart": "digistart",
        "digitous": "digitous",
    }


def test_registered_programs_are_frozen(plugin_host: PluginHost) -> None:
    for program in plugin_host.programs():
        with pytest.raises(AttributeError):
            program.key = "other"  # type: ignore[misc]
        assert program.settings_schema.__struct_config__.frozen


def test_site_files_load_without_error(plugin_host: PluginHost, sites_dir: Path) -> None:
    registry = load_sites(sites_dir, plugin_host, environ={})
    assert sorted(site.slug for site in registry) == ["bordeaux", "paris"]
    assert set(registry.get("paris").programs) == {"digital", "digistart", "digitous"}
    assert set(registry.get("bordeaux").programs) == {"digital", "digistart"}
    # Each program block is validated into that program's own settings type.
    for site in registry:
        for key, settings in site.programs.items():
            assert isinstance(settings, plugin_host.program(key).settings_schema)


def test_site_files_name_their_mail_password_variable(
    plugin_host: PluginHost, sites_dir: Path
) -> None:
    environ = {"ESSAIM_MAIL_PASSWORD_PARIS": "x", "ESSAIM_MAIL_PASSWORD_BORDEAUX": "x"}
    assert load_sites(sites_dir, plugin_host, environ=environ).warnings == ()
    assert len(load_sites(sites_dir, plugin_host, environ={}).warnings) == 2


def test_site_files_have_a_language_partner_for_d1_referrals(
    plugin_host: PluginHost, sites_dir: Path
) -> None:
    """D1 refers applicants below A2 to a French-language partner of the site."""
    for site in load_sites(sites_dir, plugin_host, environ={}):
        kinds = {kind for partner in site.config.partners for kind in partner.kinds}
        assert "language" in kinds, site.slug


def test_program_capacity_fits_a_room(plugin_host: PluginHost, sites_dir: Path) -> None:
    for site in load_sites(sites_dir, plugin_host, environ={}):
        largest = max(min(room.capacity, room.laptops) for room in site.config.rooms)
        for key, settings in site.programs.items():
            assert settings.capacity <= largest, (site.slug, key)


def test_demo_cohorts_of_real_sites_use_only_offered_tracks(
    plugin_host: PluginHost, sites_dir: Path
) -> None:
    today = date(2026, 11, 26)
    for site in load_sites(sites_dir, plugin_host, environ={}):
        cohorts = plugin_host.demo_cohorts(site.info(), today)
        offered = {(key, track) for key, s in site.programs.items() for track in s.tracks}
        assert {(c.program, c.track) for c in cohorts} == offered
        assert any(c.ends_on < today for c in cohorts)
        assert any(c.starts_on <= today <= c.ends_on for c in cohorts)
        assert any(c.starts_on > today for c in cohorts)


def test_the_real_sites_folder_loads_with_the_real_plugins() -> None:
    environ = {"ESSAIM_MAIL_PASSWORD_PARIS": "x", "ESSAIM_MAIL_PASSWORD_BORDEAUX": "x"}
    registry = load_sites(REPO_SITES, load_plugins(), environ=environ)
    assert sorted(site.slug for site in registry) == ["bordeaux", "paris"]
    assert registry.warnings == ()
