"""A one-column A4 page of the agency, in Arabic (right to left) or French (left to right).

Everything is drawn with one font family (plus DejaVu Sans as fallback for missing glyphs),
shaped by HarfBuzz where a text needs it (rows.py); label/value tables put the label on the
reading side.

Each text (a label, a value, a paragraph) is laid out in its own base direction, that of its
first strong character (Unicode bidi rules P2-P3, fpdf2's ``auto_detect_base_direction``):
Arabic letters read right to left, Latin letters left to right, and a text without letters (a
date, a number) left to right. The document's language only decides the alignment and which
side the labels are on, so a French value in an Arabic note (``4 m sur rue``) reads as typed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from fpdf.enums import XPos, YPos
from fpdf.output import OutputProducer
from pydantic import BaseModel

from shared.pdf.embedding import SharedFontProducer
from shared.pdf.qr import Line, Verification, title_band
from shared.pdf.rows import Cell, Look, Rows
from shared.pdf.typefaces import typeface


class AgencyNames(BaseModel):
    """The letterhead's names (shared/agency.py gives the configured ones); the generic ones
    stand for documents recorded before the agency's identity was configuration."""

    fr: str = "Agence urbaine"
    ar: str = "الوكالة الحضرية"


KINGDOM = {"ar": "المملكة المغربية", "fr": "Royaume du Maroc"}
BLUE = (11, 83, 148)
GREY = (107, 114, 128)
LIGHT = (243, 244, 246)


class AgencyDocument(Rows):
    producer: type[OutputProducer] = SharedFontProducer  # how output() writes the file

    def __init__(self, *, font: Path, language: str, title: str, created_at: datetime,
                 agency: AgencyNames | None = None):
        super().__init__(format="A4", unit="mm")
        self.agency = agency or AgencyNames()
        self.language = language
        self.rtl = language == "ar"
        self.doc_title = title
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.add_fonts(font)
        # No direction, script or language: fpdf2 then takes each text's base direction from its
        # first strong character, and HarfBuzz each run's script from its letters.
        self.set_text_shaping(use_shaping_engine=True)
        self.shaping = self.text_shaping
        # Fixed metadata: the same content gives the same bytes (an email resent is the same).
        self.set_creation_date(created_at)
        self.set_title(title)
        self.set_author(f"{self.agency.fr} / {self.agency.ar}")
        self.set_creator("Lamadi")
        self.set_lang(language)
        self.alias_nb_pages()
        self.add_page()

    def add_fonts(self, font: Path) -> None:
        typeface(font).lend_to(self)  # parsed once per process, not per document

    @property
    def align(self) -> str:
        return "R" if self.rtl else "L"

    def header(self) -> None:
        self.set_font("main", "B", 11)
        self.set_text_color(*BLUE)
        # Both languages on every page: the agency's letterhead is bilingual.
        half = self.epw / 2
        left, right = (self.agency.fr, self.agency.ar)
        self.text_cell(half, 6, left, align="L")
        self.text_cell(half, 6, right, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("main", "", 8)
        self.set_text_color(*GREY)
        self.text_cell(half, 4, KINGDOM["fr"], align="L")
        self.text_cell(half, 4, KINGDOM["ar"], align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*BLUE)
        self.set_line_width(0.4)
        self.line(self.l_margin, self.get_y() + 1.5, self.w - self.r_margin, self.get_y() + 1.5)
        self.ln(6)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("main", "", 7.5)
        self.set_text_color(*GREY)
        page = f"{self.page_no()}/{{nb}}"
        self.text_cell(0, 5, f"{self.doc_title} · {page}", align="C")

    # --- blocks -----------------------------------------------------------------------------

    def title_block(self, title: str, subtitle: str | None = None,
                    verification: Verification | None = None) -> None:
        """The document's title; with a ``verification``, beside its QR code (page 1 only)."""
        if verification is not None:
            lines = [Line(title, 16, 10, bold=True, color=BLUE)]
            title_band(self, lines + ([Line(subtitle, 10, 6, color=GREY)] if subtitle else []), verification,
                       self.language)
            return
        self.set_font("main", "B", 16)
        self.set_text_color(*BLUE)
        self.text_cell(0, 10, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font("main", "", 10)
            self.set_text_color(*GREY)
            self.text_cell(0, 6, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(4)

    def section(self, title: str) -> None:
        self.ln(2)
        self.set_font("main", "B", 11.5)
        self.set_text_color(*BLUE)
        self.text_cell(0, 8, title, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def fields(self, rows: Sequence[tuple[str, str]], label_share: float = 0.34) -> None:
        """Label/value pairs, the label on the reading side (right in Arabic)."""
        label, value = Look(size=10, bold=True, fill=LIGHT), Look(size=10)
        widths = (self.epw * label_share, self.epw * (1 - label_share))
        for index, (label_text, value_text) in enumerate(rows):
            cells = [Cell(label_text, widths[0], label), Cell(value_text, widths[1], value)]
            self.row(self.reading_order(cells), line_height=5.5, padding=(1.5, 2), rule_above=index > 0)
        self.ln(2)

    def grid(self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
             notes: Sequence[str | None] = (), note_size: float = 7.5) -> None:
        """A table read in the document's direction, its headings again atop each new page;
        ``notes[i]``, when given, is a full-width left-to-right line under row i (a sha256)."""
        widths = [self.epw * share for share in widths]
        heading, plain = Look(size=9, bold=True, fill=LIGHT), Look(size=9)
        note_look = Look(size=note_size, color=GREY, align="L")

        def head() -> None:
            self.row(self.reading_order([Cell(text, width, heading) for text, width in zip(headings, widths)]),
                     line_height=5, padding=(1.2, 1.5), rule_above=False)

        head()
        for index, values in enumerate(rows):
            note = notes[index] if index < len(notes) else None
            self.row(self.reading_order([Cell(text, width, plain) for text, width in zip(values, widths)]),
                     line_height=5, padding=(1.2, 1.5), rule_above=True, after_page_break=head,
                     keep_with_next=5 + 2 * 1.2 if note else 0)  # a row and its note on one page
            if note:
                self.row([Cell(note, self.epw, note_look)], line_height=5, padding=(1.2, 1.5), rule_above=True)
        self.ln(2)

    def reading_order(self, cells: list[Cell]) -> list[Cell]:
        """Cells from the left: the first one read is on the right in Arabic."""
        return cells[::-1] if self.rtl else cells

    def pdf_bytes(self) -> bytes:
        return bytes(self.output(output_producer_class=self.producer))
