"""DIGISTART's own indicators: the websites its learners submitted and delivered (S4)."""

from __future__ import annotations

from core.plugin import COUNTED_ENROLMENT, ProgramCount, ProgramIndicators, ProgramRate
from plugins.digistart.schemas import ReviewDecision
from plugins.digistart.tables import WebsiteReview, WebsiteSubmission

INDICATORS = ProgramIndicators(
    program="digistart",
    counts=(
        ProgramCount(
            name="websites_submitted",
            title="Sites web soumis",
            definition="Personnes entrées en formation qui ont soumis l'adresse de leur site "
            "web au moins une fois.",
            condition=f"EXISTS (SELECT 1 FROM {WebsiteSubmission._meta.tablename} s "
            f"WHERE s.enrolment = {COUNTED_ENROLMENT})",
        ),
        ProgramCount(
            name="websites_delivered",
            title="Sites web livrés",
            definition="Personnes entrées en formation dont le site web a été accepté par "
            "un formateur.",
            condition=f"EXISTS (SELECT 1 FROM {WebsiteReview._meta.tablename} r "
            f"WHERE r.enrolment = {COUNTED_ENROLMENT} "
            f"AND r.decision = '{ReviewDecision.ACCEPTED.value}')",
        ),
    ),
    rates=(
        ProgramRate(
            name="website_delivery_rate",
            title="Taux de sites web livrés",
            definition="Sites web livrés / personnes entrées en formation.",
            numerator="websites_delivered",
            denominator="entered",
        ),
    ),
)
"""Served at ``GET /api/v1/reports/programs/digistart``."""
