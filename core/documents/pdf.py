"""Printable documents: A4 pages in French with DejaVu Sans, built with fpdf2.

DejaVu Sans (shipped in ``fonts/``, with its licence) writes every Latin, Greek and Cyrillic
name as typed, accents and all, where PDF's standard fonts know only Western European
letters. Documents are dated by the caller, so that the same data gives the same file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
MARGIN_MM = 15


class Document(FPDF):
    """An A4 document with Essaim's font, a title on each page and page numbers below."""

    def __init__(self, title: str, *, created_at: datetime) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self.set_auto_page_break(auto=True, margin=MARGIN_MM + 5)
        self.set_title(title)
        self.set_lang("fr")
        self.set_creator("Essaim")
        self.set_creation_date(created_at)
        self.document_title = title

    def footer(self) -> None:
        """The page number, in French, at the foot of every page."""
        self.set_y(-MARGIN_MM)
        self.set_font(FAMILY, size=8)
        self.cell(0, 5, f"{self.document_title} - page {self.page_no()}", align="C")

    def heading(self, text: str, size: int = 16) -> None:
        """A bold line of text across the page."""
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def line_of(self, label: str, value: str) -> None:
        """``Label : value`` on one line, the label in bold."""
        self.set_font(FAMILY, "B", 10)
        self.cell(self.get_string_width(f"{label} : ") + 1, 6, f"{label} : ")
        self.set_font(FAMILY, "", 10)
        self.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str, size: int = 10) -> None:
        """A paragraph of plain text."""
        self.set_font(FAMILY, "", size)
        self.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def to_bytes(self) -> bytes:
        """The finished PDF file."""
        return bytes(self.output())
