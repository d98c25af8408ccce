"""The attendance sheet to sign (RULES.md C4) and the certificate of hours attended (C5), as PDF.

Pure: the service gathers the facts, these functions lay them out in French.
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from core.attendance.schemas import NOON, HalfDay, MarkRead
from core.documents.pdf import FAMILY, Document
from core.french import french_date, french_time
from core.scheduling.schemas import SessionRead

HALF_DAY_NAMES = {HalfDay.MORNING: "Matin", HalfDay.AFTERNOON: "Après-midi"}
ROW_MM = 11


class Training(msgspec.Struct, frozen=True, kw_only=True):
    """What a document says of the training: program, track, cohort and where."""

    program: str
    track: str
    cohort: str
    site: str
    room: str


class SheetFacts(msgspec.Struct, frozen=True, kw_only=True):
    """Everything an attendance sheet shows."""

    training: Training
    session: SessionRead
    half_days: list[HalfDay]
    trainer: str
    marks: list[MarkRead]
    trainer_signed: bool


def _training_lines(doc: Document, training: Training) -> None:
    doc.line_of("Formation", f"{training.program}, {training.track}")
    doc.line_of("Groupe", training.cohort)
    doc.line_of("Lieu", f"{training.site}, {training.room}" if training.room else training.site)


def attendance_sheet(facts: SheetFacts, *, created_at: datetime) -> bytes:
    """One page per half-day of the session: the training, the trainer, and a line with a
    signature box for every enrolled learner, alphabetically."""
    doc = Document("Feuille d'émargement", created_at=created_at)
    session = facts.session
    learners = sorted(facts.marks, key=lambda m: (m.last_name.casefold(), m.first_name.casefold()))
    for half in facts.half_days:
        doc.add_page()
        doc.heading("Feuille d'émargement")
        _training_lines(doc, facts.training)
        doc.line_of("Séance", session.title)
        starts, ends = session.starts_at, session.ends_at
        if half is HalfDay.MORNING:
            ends = min(ends, NOON)
        else:
            starts = max(starts, NOON)
        doc.line_of(
            "Date",
            f"{french_date(session.day, weekday=True)}, {HALF_DAY_NAMES[half].lower()}, "
            f"de {french_time(starts)} à {french_time(ends)}",
        )
        doc.line_of("Formateur ou formatrice", facts.trainer)
        doc.ln(3)
        doc.set_font(FAMILY, "", 10)
        with doc.table(col_widths=(10, 55, 55, 60), line_height=ROW_MM) as table:
            header = table.row()
            for title in ("N°", "Nom", "Prénom", "Signature"):
                header.cell(title)
            for n, mark in enumerate(learners, start=1):
                row = table.row()
                row.cell(str(n))
                row.cell(mark.last_name)
                row.cell(mark.first_name)
                row.cell("signé" if half in mark.signed_half_days else "")
        doc.ln(6)
        doc.set_font(FAMILY, "B", 10)
        doc.cell(0, 6, "Signature du formateur ou de la formatrice", new_x="LMARGIN", new_y="NEXT")
        doc.set_font(FAMILY, "", 10)
        doc.cell(90, 20, "signé" if facts.trainer_signed else "", border=1, align="C")
    return doc.to_bytes()


class CertificateFacts(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a certificate of hours attended shows."""

    training: Training
    first_name: str
    last_name: str
    first_day: date | None
    last_day: date | None
    planned_minutes: int
    attended_minutes: int
    issued_on: date


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" if rest == 0 else f"{hours} h {rest:02d}"


def hours_certificate(facts: CertificateFacts, *, created_at: datetime) -> bytes:
    """The certificate of the hours a learner actually attended, for funders (RULES.md C5)."""
    doc = Document("Certificat de réalisation", created_at=created_at)
    doc.add_page()
    doc.heading("Certificat de réalisation")
    doc.paragraph("Heures de formation réellement suivies.")
    doc.ln(2)
    doc.line_of("Stagiaire", f"{facts.first_name} {facts.last_name}")
    _training_lines(doc, facts.training)
    if facts.first_day and facts.last_day:
        doc.line_of(
            "Période", f"du {french_date(facts.first_day)} au {french_date(facts.last_day)}"
        )
    doc.line_of("Durée prévue", _hours(facts.planned_minutes))
    doc.line_of("Durée suivie", _hours(facts.attended_minutes))
    share = facts.attended_minutes / facts.planned_minutes if facts.planned_minutes else 0
    doc.line_of("Assiduité", f"{int(share * 100)} %")
    doc.ln(4)
    doc.paragraph(
        "Les heures suivies sont celles des feuilles d'émargement signées par la personne et "
        "par le formateur ou la formatrice, demi-journée par demi-journée."
    )
    doc.ln(4)
    doc.paragraph(f"Fait à {facts.training.site}, le {french_date(facts.issued_on)}.")
    doc.set_font(FAMILY, "B", 10)
    doc.cell(0, 6, "Signature et cachet du site", new_x="LMARGIN", new_y="NEXT")
    doc.cell(90, 25, "", border=1)
    return doc.to_bytes()
