"""DIGITAL: three 20-hour levels of everyday computing, from the mouse to Excel."""

from __future__ import annotations

from datetime import date

from core.plugin import DemoCohort, Program, SiteInfo, hookimpl
from plugins.digital.demo import demo_cohorts
from plugins.digital.program import Digital


@hookimpl
def essaim_register_programs() -> list[Program]:
    """Register DIGITAL."""
    return [Digital()]


@hookimpl
def essaim_demo_data(site: SiteInfo, today: date) -> list[DemoCohort]:
    """Demo cohorts for the DIGITAL levels ``site`` offers."""
    return demo_cohorts(site, today)
