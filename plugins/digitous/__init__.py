"""DIGITOUS: a full-stack developer bootcamp, then a first experience in a company."""

from __future__ import annotations

from datetime import date

from core.plugin import DemoCohort, Program, SiteInfo, hookimpl
from plugins.digitous.demo import demo_cohorts
from plugins.digitous.program import Digitous


@hookimpl
def essaim_register_programs() -> list[Program]:
    """Register DIGITOUS."""
    return [Digitous()]


@hookimpl
def essaim_demo_data(site: SiteInfo, today: date) -> list[DemoCohort]:
    """Demo cohorts for the DIGITOUS phases ``site`` runs."""
    return demo_cohorts(site, today)
