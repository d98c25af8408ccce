"""DIGISTART: a nine-week introduction to web development, ending with one's own website."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.plugin import (
    DemoCohort,
    PersonalColumn,
    PersonalKind,
    Program,
    ProgramIndicators,
    SiteInfo,
    hookimpl,
)
from plugins.digistart.api import WebsiteController, weeks
from plugins.digistart.demo import demo_cohorts
from plugins.digistart.indicators import INDICATORS
from plugins.digistart.program import Digistart
from plugins.digistart.tables import WebsiteReview, WebsiteSubmission

PICCOLO_APP = "plugins.digistart.piccolo_app"


@hookimpl
def essaim_register_programs() -> list[Program]:
    """Register DIGISTART."""
    return [Digistart()]


@hookimpl
def essaim_register_routes() -> list[Any]:
    """The weeks' exercises and the website's submissions and reviews."""
    return [weeks, WebsiteController]


@hookimpl
def essaim_piccolo_apps() -> list[str]:
    """The website submissions and reviews."""
    return [PICCOLO_APP]


@hookimpl
def essaim_personal_data() -> list[PersonalColumn]:
    """A website's address may name the learner; a review's comment is text about them."""
    return [
        PersonalColumn(
            table=WebsiteSubmission._meta.tablename,
            column="address",
            kind=PersonalKind.LINK,
            learner="enrolment",
        ),
        PersonalColumn(
            table=WebsiteReview._meta.tablename,
            column="comment",
            kind=PersonalKind.FREE_TEXT,
            learner="enrolment",
        ),
    ]


@hookimpl
def essaim_indicators() -> list[ProgramIndicators]:
    """The websites submitted and delivered."""
    return [INDICATORS]


@hookimpl
def essaim_demo_data(site: SiteInfo, today: date) -> list[DemoCohort]:
    """Demo cohorts for DIGISTART, when ``site`` runs it."""
    return demo_cohorts(site, today)
