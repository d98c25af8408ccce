"""DIGITOUS's own indicators: bootcamp learners who went on to a signed placement (T3)."""

from __future__ import annotations

from core.plugin import COUNTED_ENROLMENT, ProgramCount, ProgramIndicators, ProgramRate
from core.plugin.tables import ENROLMENT_TABLE
from plugins.digitous.tables import Placement

INDICATORS = ProgramIndicators(
    program="digitous",
    tracks=("bootcamp",),
    counts=(
        ProgramCount(
            name="placed",
            title="Personnes en stage ou en alternance",
            definition="Personnes entrées dans le bootcamp qui ont ensuite commencé un stage "
            "ou une alternance dans une entreprise, convention signée (PMSMP, POEI ou "
            "contrat en alternance).",
            condition=f"EXISTS (SELECT 1 FROM {Placement._meta.tablename} p "
            f"JOIN {ENROLMENT_TABLE} n ON n.id = p.enrolment "
            f"JOIN {ENROLMENT_TABLE} b ON b.learner = n.learner "
            f"WHERE b.id = {COUNTED_ENROLMENT} AND p.agreement_signed_on IS NOT NULL)",
        ),
    ),
    rates=(
        ProgramRate(
            name="placement_rate",
            title="Taux de placement en entreprise",
            definition="Personnes en stage ou en alternance / personnes qui ont terminé le "
            "bootcamp.",
            numerator="placed",
            denominator="completed",
        ),
    ),
)
"""Served at ``GET /api/v1/reports/programs/digitous``, over the bootcamp's cohorts."""
