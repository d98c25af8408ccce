"""DIGITAL's own indicators: who sat the ICDL certification and who was certified (D5)."""

from __future__ import annotations

from core.plugin import COUNTED_ENROLMENT, ProgramCount, ProgramIndicators, ProgramRate
from plugins.digital.tables import Certificate, ModuleAttempt

INDICATORS = ProgramIndicators(
    program="digital",
    counts=(
        ProgramCount(
            name="candidates",
            title="Candidats à la certification",
            definition="Personnes entrées en formation qui ont passé au moins une épreuve "
            "ICDL au titre de cette inscription, réussie ou non.",
            condition=f"EXISTS (SELECT 1 FROM {ModuleAttempt._meta.tablename} a "
            f"WHERE a.enrolment = {COUNTED_ENROLMENT})",
        ),
        ProgramCount(
            name="certified",
            title="Personnes certifiées",
            definition="Personnes entrées en formation à qui l'opérateur national a délivré "
            "un certificat ICDL enregistré au titre de cette inscription.",
            condition=f"EXISTS (SELECT 1 FROM {Certificate._meta.tablename} c "
            f"WHERE c.enrolment = {COUNTED_ENROLMENT})",
        ),
    ),
    rates=(
        ProgramRate(
            name="certification_pass_rate",
            title="Taux de réussite à la certification",
            definition="Personnes certifiées / candidats à la certification.",
            numerator="certified",
            denominator="candidates",
        ),
    ),
    certified=f"SELECT enrolment FROM {Certificate._meta.tablename}",
)
"""Served at ``GET /api/v1/reports/programs/digital``; certificates feed the funnel too."""
