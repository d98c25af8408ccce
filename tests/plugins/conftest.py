"""Plugin tests run against the installed plugins and the real site files."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.plugins import PluginHost, load_plugins

REPO_SITES = Path(__file__).resolve().parents[2] / "sites"


@pytest.fixture
def plugin_host() -> PluginHost:
    """Every plugin of the ``essaim`` entry-point group, as production loads them."""
    return load_plugins()


@pytest.fixture
def sites_dir() -> Path:
    """The repository's own ``sites/`` folder."""
    return REPO_SITES
