"""DIGISTART: a nine-week introduction to web development, ending with one's own website."""

from __future__ import annotations

from datetime import date

from core.plugin import DemoCohort, Program, SiteInfo, hookimpl
from plugins.digistart.demo import demo_cohorts
from plugins.digistart.program import Digistart


@hookimpl
def essaim_register_programs() -> list[Program]:
    """Register DIGISTART."""
    return [Digistart()]


@hookimpl
def essaim_demo_data(site: SiteInfo, today: date) -> list[DemoCohort]:
    """Demo cohorts for DIGISTART, when ``site`` runs it."""
    return demo_cohorts(site, today)
