"""DIGITOUS's HTTP tests run on a copy of the repository's site files, with two changes that
keep them small and let them show a site's choice of legal frames:

- Paris plans DIGITOUS in full-day sessions of 8 hours (the longest its settings allow), so
  that the bootcamp is 57 sessions and the placement 19, instead of 120 and 40;
- Bordeaux runs DIGITOUS too, and signs only POEI and work-study placements (no PMSMP).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.plugins.conftest import REPO_SITES

BORDEAUX_DIGITOUS = """
[programs.digitous]
tracks = ["bootcamp", "placement"]
capacity = 16
session_minutes = 480
legal_frames = ["poei", "work_study"]
"""


@pytest.fixture
def sites_dir(tmp_path: Path) -> Path:
    """The repository's sites, Paris in 8-hour sessions, Bordeaux without PMSMP."""
    sites = tmp_path / "sites"
    shutil.copytree(REPO_SITES, sites)
    paris = sites / "paris.toml"
    text = paris.read_text()
    marker = "session_minutes = 210           # full time"
    assert marker in text, "paris.toml's DIGITOUS block changed: update this fixture"
    paris.write_text(text.replace(marker, "session_minutes = 480           # full time"))
    bordeaux = sites / "bordeaux.toml"
    bordeaux.write_text(bordeaux.read_text() + BORDEAUX_DIGITOUS)
    return sites
