"""The completion attestation (RULES.md C5) as PDF: who, which training, when, objectives,
hours attended and result. Pure: the service gathers the facts."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from core.documents.pdf import FAMILY, Document
from core.french import french_date


class AttestationFacts(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a completion attestation shows."""

    number: str
    first_name: str
    last_name: str
    program: str
    track: str
    site: str
    first_day: date | None
    last_day: date | None
    objectives: tuple[str, ...]
    scheduled_hours: float
    attended_hours: float
    results: tuple[str, ...]
    """The program's findings, in plain French."""
    override_reason: str
    issued_on: date


def _hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " h"


def completion_attestation(facts: AttestationFacts, *, created_at: datetime) -> bytes:
    """One page: the attestation's number, the learner, the training and its objectives,
    the hours attended and the result, then the site's signature box."""
    doc = Document("Attestation de fin de formation", created_at=created_at)
    doc.add_page()
    doc.heading("Attestation de fin de formation")
    doc.line_of("Numéro", facts.number)
    doc.ln(2)
    doc.line_of("Stagiaire", f"{facts.first_name} {facts.last_name}")
    doc.line_of("Formation", f"{facts.program}, {facts.track}")
    doc.line_of("Lieu", facts.site)
    if facts.first_day and facts.last_day:
        doc.line_of(
            "Période", f"du {french_date(facts.first_day)} au {french_date(facts.last_day)}"
        )
    doc.line_of("Durée prévue", _hours(facts.scheduled_hours))
    doc.line_of("Durée suivie", _hours(facts.attended_hours))
    if facts.objectives:
        doc.ln(2)
        doc.heading("Objectifs de la formation", size=12)
        for objective in facts.objectives:
            doc.paragraph(f"- {objective}")
    doc.ln(2)
    doc.heading("Résultat", size=12)
    doc.paragraph("La personne a terminé la formation.")
    for line in facts.results:
        doc.paragraph(f"- {line}")
    if facts.override_reason:
        doc.paragraph(f"Décision de l'équipe du site : {facts.override_reason}")
    doc.ln(4)
    doc.paragraph(f"Fait à {facts.site}, le {french_date(facts.issued_on)}.")
    doc.set_font(FAMILY, "B", 10)
    doc.cell(0, 6, "Signature et cachet du site", new_x="LMARGIN", new_y="NEXT")
    doc.cell(90, 25, "", border=1)
    return doc.to_bytes()
