"""A learner's export printed for the person: each table in French, each row's fields listed.

Pure: ``export`` gathers the rows. Tables a reader would not know by their name get a French
title; a plugin's tables keep theirs.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec

from core.documents.pdf import Document
from core.french import french_date
from core.privacy.export import LearnerExport

TITLES = {
    "learner": "Fiche de la personne",
    "consent": "Consentements",
    "application": "Candidatures",
    "eligibility_check": "Vérifications d'éligibilité",
    "eligibility_finding": "Constats d'éligibilité",
    "application_event": "Historique des candidatures",
    "placement_result": "Tests de positionnement",
    "message": "Messages envoyés",
    "enrolment": "Inscriptions",
    "volunteer": "Bénévolat",
    "session_volunteer": "Séances en tant que bénévole",
    "attendance_mark": "Présences",
    "signature": "Signatures des feuilles d'émargement",
    "attendance_flag": "Alertes d'assiduité",
    "assessment_result": "Résultats d'évaluation",
    "completion": "Fins de formation",
    "outcome": "Situations après la formation",
    "report_application": "Indicateurs calculés (candidatures)",
    "report_enrolment": "Indicateurs calculés (inscriptions)",
}
"""French titles of core's tables, in the order a person reads their record."""


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M UTC")
    if isinstance(value, date):
        return french_date(value)
    if isinstance(value, dict | list):
        return msgspec.json.encode(value).decode()
    return str(value)


def _place(name: str) -> tuple[int, int, str]:
    """Core's tables in the order of ``TITLES``, then the plugins' by name."""
    return (0, list(TITLES).index(name), name) if name in TITLES else (1, 0, name)


def export_pdf(export: LearnerExport) -> bytes:
    """The export as a readable PDF: a page of explanation, then every table's rows."""
    doc = Document("Données personnelles", created_at=export.exported_at)
    doc.add_page()
    doc.heading("Vos données enregistrées dans Essaim")
    doc.paragraph(
        f"Export du {_text(export.exported_at)} : tout ce qu'Essaim conserve sur la personne "
        f"n° {export.learner}, table par table, tel qu'enregistré. La version JSON du même "
        "export se lit par un programme."
    )
    for name in sorted(export.tables, key=_place):
        rows = export.tables[name]
        doc.ln(2)
        doc.heading(f"{TITLES.get(name, name)} ({len(rows)})", size=12)
        for row in rows:
            for column, value in row.items():
                doc.line_of(column, _text(value))
            doc.ln(2)
    return doc.to_bytes()
