"""A one-column A4 page of the agency, in Arabic (right to left) or French (left to right).

Everything is drawn with one font family (plus DejaVu Sans as fallback for missing glyphs),
shaped by HarfBuzz; label/value tables put the label on the reading side.

Each text (a label, a value, a paragraph) is laid out in its own base direction, that of its
first strong character (Unicode bidi rules P2-P3, fpdf2's ``auto_detect_base_direction``):
Arabic letters read right to left, Latin letters left to right, and a text without letters (a
date, a number) left to right. The document's language only decides the alignment and which
side the labels are on, so a French value in an Arabic note (``4 m sur rue``) reads as typed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, XPos, YPos

from services.notifier.pdf.embedding import SharedFontProducer
from services.notifier.pdf.typefaces import typeface

AGENCY = {"ar": "الوكالة الحضرية", "fr": "Agence urbaine"}
KINGDOM = {"ar": "المملكة المغربية", "fr": "Royaume du Maroc"}
BLUE = (11, 83, 148)
GREY = (107, 114, 128)
LIGHT = (243, 244, 246)


class AgencyDocument(FPDF):
    def __init__(self, *, font: Path, language: str, title: str, created_at: datetime):
        super().__init__(format="A4", unit="mm")
        self.language = language
        self.rtl = language == "ar"
        self.doc_title = title
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        typeface(font).lend_to(self)  # parsed once per process, not per document
        # No direction, script or language: fpdf2 then takes each text's base direction from its
        # first strong character, and HarfBuzz each run's script from its letters.
        self.set_text_shaping(use_shaping_engine=True)
        # Fixed metadata: the same content gives the same bytes (an email resent is the same).
        self.set_creation_date(created_at)
        self.set_title(title)
        self.set_author(f"{AGENCY['fr']} / {AGENCY['ar']}")
        self.set_creator("Lamadi")
        self.set_lang(language)
        self.alias_nb_pages()
        self.add_page()

    @property
    def align(self) -> str:
        return "R" if self.rtl else "L"

    def header(self) -> None:
        self.set_font("main", "B", 11)
        self.set_text_color(*BLUE)
        # Both languages on every page: the agency's letterhead is bilingual.
        half = self.epw / 2
        left, right = (AGENCY["fr"], AGENCY["ar"])
        self.cell(half, 6, left, align="L")
        self.cell(half, 6, right, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("main", "", 8)
        self.set_text_color(*GREY)
        self.cell(half, 4, KINGDOM["fr"], align="L")
        self.cell(half, 4, KINGDOM["ar"], align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
        self.cell(0, 5, f"{self.doc_title} · {page}", align="C")

    # --- blocks -----------------------------------------------------------------------------

    def title_block(self, title: str, subtitle: str | None = None) -> None:
        self.set_font("main", "B", 16)
        self.set_text_color(*BLUE)
        self.cell(0, 10, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font("main", "", 10)
            self.set_text_color(*GREY)
            self.cell(0, 6, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(4)

    def section(self, title: str) -> None:
        self.ln(2)
        self.set_font("main", "B", 11.5)
        self.set_text_color(*BLUE)
        self.cell(0, 8, title, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def paragraph(self, text: str, size: float = 10) -> None:
        self.set_font("main", "", size)
        self.multi_cell(0, size * 0.55, text, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def fields(self, rows: Sequence[tuple[str, str]], label_share: float = 0.34) -> None:
        """Label/value pairs, the label on the reading side (right in Arabic)."""
        self.set_font("main", "", 10)
        widths = (label_share, 1 - label_share)
        bold = FontFace(emphasis="BOLD", fill_color=LIGHT)
        with self.table(
            col_widths=tuple(reversed(widths)) if self.rtl else widths,
            first_row_as_headings=False,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            text_align=self.align,
            line_height=5.5,
            padding=(1.5, 2),
        ) as table:
            for label, value in rows:
                row = table.row()
                if self.rtl:
                    row.cell(value)
                    row.cell(label, style=bold)
                else:
                    row.cell(label, style=bold)
                    row.cell(value)
        self.ln(2)

    def grid(self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
             notes: Sequence[str | None] = (), note_size: float = 7.5) -> None:
        """A table read in the document's direction; ``notes[i]``, when given, is a full-width
        left-to-right line under row i (e.g. a sha256)."""
        order = (lambda seq: list(reversed(seq))) if self.rtl else list
        self.set_font("main", "", 9)
        heading = FontFace(emphasis="BOLD", fill_color=LIGHT)
        note_style = FontFace(size_pt=note_size, color=GREY)
        with self.table(
            col_widths=tuple(order(widths)),
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            text_align=self.align,
            headings_style=heading,
            line_height=5,
            padding=(1.2, 1.5),
        ) as table:
            head = table.row()
            for text in order(headings):
                head.cell(text)
            for index, values in enumerate(rows):
                row = table.row()
                for text in order(values):
                    row.cell(text)
                note = notes[index] if index < len(notes) else None
                if note:
                    table.row().cell(note, colspan=len(headings), align="L", style=note_style)
        self.ln(2)

    def pdf_bytes(self) -> bytes:
        return bytes(self.output(output_producer_class=SharedFontProducer))
