"""The report as a PDF: A4, in the Directorate's language (Arabic right to left), tables and
two charts. fpdf2 with HarfBuzz shaping joins Arabic letters and orders right-to-left runs;
the font's ToUnicode map gives each glyph its base letters, so the text extracted from the
PDF reads in logical order. (The same approach as the notifier's receipts, written here
because services do not import each other.) An issued report carries shared's verification
block beside its title: a QR code of its ``/verify`` address and the code."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, XPos, YPos

from services.reporting.adapters.documents.charts import kinds_chart, trend_chart
from services.reporting.adapters.documents.fonts import latin_fallback
from services.reporting.domain.tables import Table, Value, report_tables
from services.reporting.domain.words import word
from shared.agency import AgencyIdentity
from shared.catalogue import Catalogue
from shared.pdf.qr import Line, Verification, title_band

BLUE, GREY, LIGHT = (11, 83, 148), (107, 114, 128), (243, 244, 246)
IN_PDF = ("kinds", "processing", "outcomes", "activity", "corrections")  # the trend is a chart
# What a section says when its table has no row that day.
NOTHING = {"outcomes": "no_decisions", "corrections": "no_corrections"}


class ReportDocument(FPDF):
    def __init__(self, *, font: Path, language: str, title: str, agency: AgencyIdentity, built_at: datetime):
        super().__init__(format="A4", unit="mm")
        self.language, self.rtl, self.doc_title = language, language == "ar", title
        self.agency = agency  # its configured names head every page
        self.set_margins(16, 14, 16)
        self.set_auto_page_break(True, margin=16)
        self.add_font("main", fname=str(font))
        self.add_font("main", style="B", fname=str(font))
        fallback = latin_fallback(font)
        if fallback is not None:
            self.add_font("fallback", fname=str(fallback))
            self.set_fallback_fonts(["fallback"])
        if self.rtl:
            self.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
        else:
            self.set_text_shaping(use_shaping_engine=True, direction="ltr")
        self.set_creation_date(built_at)  # fixed metadata: the same figures give the same bytes
        self.set_title(title)
        self.set_author(f"{agency.name_fr} / {agency.name_ar}")
        self.set_creator("Lamadi")
        self.set_lang(language)
        self.alias_nb_pages()
        self.add_page()

    @property
    def align(self) -> str:
        return "R" if self.rtl else "L"

    def header(self) -> None:
        self.set_font("main", "B", 10)
        self.set_text_color(*BLUE)
        half = self.epw / 2
        self.cell(half, 6, self.agency.name_fr, align="L")
        self.cell(half, 6, self.agency.name_ar, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*BLUE)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(4)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("main", "", 7.5)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{self.doc_title} · {self.page_no()}/{{nb}}", align="C")

    def title_block(self, title: str, lines: list[str], verification: Verification | None = None) -> None:
        if verification is not None:  # beside the QR code, which then covers nothing
            title_band(self, [Line(title, 15, 9, bold=True, color=BLUE),
                              *(Line(line, 9.5, 5.5, color=GREY) for line in lines)], verification, self.language)
            return
        self.set_font("main", "B", 15)
        self.set_text_color(*BLUE)
        self.cell(0, 9, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("main", "", 9.5)
        self.set_text_color(*GREY)
        for line in lines:
            self.cell(0, 5.5, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(3)

    def section(self, title: str) -> None:
        self.ln(1.5)
        self.set_font("main", "B", 11)
        self.set_text_color(*BLUE)
        self.cell(0, 7, title, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def paragraph(self, text: str) -> None:
        self.set_font("main", "", 9.5)
        self.multi_cell(0, 5, text, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(self, table: Table) -> None:
        """The table read in the document's direction: first column on the right in Arabic."""
        order = (lambda seq: list(reversed(seq))) if self.rtl else list
        wide = table.headings.index(word("kind", self.language)) if word("kind", self.language) in table.headings else 0
        share = 0.3 if len(table.headings) > 3 else 0.5
        rest = (1 - share) / (len(table.headings) - 1)
        widths = [share if index == wide else rest for index in range(len(table.headings))]
        self.set_font("main", "", 8.5)
        with self.table(col_widths=tuple(order(widths)), borders_layout=TableBordersLayout.HORIZONTAL_LINES,
                        text_align=self.align, headings_style=FontFace(emphasis="BOLD", fill_color=LIGHT),
                        line_height=4.8, padding=(1, 1.5)) as grid:
            head = grid.row()
            for text in order(table.headings):
                head.cell(text)
            for values in table.rows:
                row = grid.row()
                for index, value in order(list(enumerate(values))):
                    row.cell(shown(value, share=index in table.shares, language=self.language))
        self.ln(1.5)

    def chart(self, png: bytes) -> None:
        self.image(io.BytesIO(png), x=self.l_margin, w=self.epw)
        self.ln(2)


def shown(value: Value, *, share: bool, language: str) -> str:
    if value is None:
        return word("none", language)
    if share:
        return f"{round(float(value) * 100)} %"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def render_pdf(figures: Mapping[str, Any], *, language: str, catalogue: Catalogue, font: Path,
               agency: AgencyIdentity, built_at: datetime, verification: Verification | None = None) -> bytes:
    """The report; with a ``verification``, its QR code and code on page 1."""
    day = date.fromisoformat(figures["date"]).strftime("%d/%m/%Y")
    start, end = (datetime.fromisoformat(figures[k]).strftime("%d/%m %H:%M") for k in ("from", "to"))
    title = word("title", language)
    pdf = ReportDocument(font=font, language=language, title=f"{title} {day}", agency=agency, built_at=built_at)
    pdf.title_block(title, [word("to", language), word("day", language).format(date=day, start=start, end=end)],
                    verification)
    tables = {table.name: table for table in report_tables(figures, language, catalogue)}
    pdf.grid(tables["kinds"])
    pdf.chart(kinds_chart(figures, language=language, catalogue=catalogue, font=font))
    for name in IN_PDF[1:]:
        table = tables[name]
        pdf.section(table.title)
        if table.rows:
            pdf.grid(table)
        else:
            pdf.paragraph(word(NOTHING[name], language))
    pdf.chart(trend_chart(figures["trend"], language=language, font=font))
    pdf.paragraph(word("privacy", language))
    return bytes(pdf.output())
