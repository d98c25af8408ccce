"""DIGITAL: three 20-hour levels of everyday computing, from the mouse to Excel,
and the PCIE/ICDL certification that follows them (its own tables and routes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.plugin import DemoCohort, PersonalColumn, Program, ProgramIndicators, SiteInfo, hookimpl
from plugins.digital.demo import demo_cohorts
from plugins.digital.indicators import INDICATORS
from plugins.digital.personal_data import PERSONAL_COLUMNS
from plugins.digital.program import Digital
from plugins.digital.routes import ROUTES

PICCOLO_APP = "plugins.digital.piccolo_app"


@hookimpl
def essaim_register_programs() -> list[Program]:
    """Register DIGITAL."""
    return [Digital()]


@hookimpl
def essaim_register_routes() -> list[Any]:
    """The certification routes, under ``/api/v1/programs/digital/``."""
    return list(ROUTES)


@hookimpl
def essaim_piccolo_apps() -> list[str]:
    """The certification tables' Piccolo app."""
    return [PICCOLO_APP]


@hookimpl
def essaim_personal_data() -> list[PersonalColumn]:
    """An attempt's comment and a certificate's number."""
    return list(PERSONAL_COLUMNS)


@hookimpl
def essaim_indicators() -> list[ProgramIndicators]:
    """Who sat the ICDL certification and who was certified; where certificates are."""
    return [INDICATORS]


@hookimpl
def essaim_demo_data(site: SiteInfo, today: date) -> list[DemoCohort]:
    """Demo cohorts for the DIGITAL levels ``site`` offers."""
    return demo_cohorts(site, today)
