"""DIGITOUS: a full-stack developer bootcamp, then a first experience in a company."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.plugin import DemoCohort, PersonalColumn, Program, ProgramIndicators, SiteInfo, hookimpl
from plugins.digitous.demo import demo_cohorts
from plugins.digitous.indicators import INDICATORS
from plugins.digitous.program import Digitous
from plugins.digitous.routes import DigitousController
from plugins.digitous.tables import PERSONAL_COLUMNS

PICCOLO_APP = "plugins.digitous.piccolo_app"


@hookimpl
def essaim_register_programs() -> list[Program]:
    """Register DIGITOUS."""
    return [Digitous()]


@hookimpl
def essaim_register_routes() -> list[Any]:
    """Code reviews and placements under ``/api/v1/programs/digitous/``."""
    return [DigitousController]


@hookimpl
def essaim_piccolo_apps() -> list[str]:
    """The tables of code reviews, placements and the tutor's evaluations."""
    return [PICCOLO_APP]


@hookimpl
def essaim_personal_data() -> list[PersonalColumn]:
    """Tutors' names and e-mails, signatories, objectives, comments and repositories."""
    return list(PERSONAL_COLUMNS)


@hookimpl
def essaim_indicators() -> list[ProgramIndicators]:
    """Bootcamp learners placed in a company."""
    return [INDICATORS]


@hookimpl
def essaim_demo_data(site: SiteInfo, today: date) -> list[DemoCohort]:
    """Demo cohorts for the DIGITOUS phases ``site`` runs."""
    return demo_cohorts(site, today)
