"""The verification block of an issued document: a QR code that opens ``<portal>/verify/<code>``,
the code in characters a person can type, and a line saying where to check it.

The QR code is drawn as vector shapes, one filled rectangle per horizontal run of dark modules
(segno's matrix, no image and no SVG): it stays sharp at any zoom or print size, adds a few
kilobytes, and the same URL always gives the same bytes. Its quiet zone (four light modules
around the symbol, which a reader needs to find it) is inside the square it is given, so text
may stand right beside that square.

``title_band`` is how the documents place it, so it covers nothing: on page 1, the QR code takes
the corner opposite the reading side (left in Arabic, right in French) and the title lines, then
the verification line and the code, are centred in the width left beside it; what follows starts
below both. It serves fpdf2 documents of both kinds here: shared's AgencyDocument (its
``text_cell`` gives each text its own direction) and reporting's report (one direction for the
whole document)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import groupby
from urllib.parse import urlsplit

import segno
from fpdf import FPDF
from pydantic import BaseModel, ConfigDict, field_validator

from shared.pdf.typefaces import Recent
from shared.verification import grouped, keywords_for, normalise

ERROR_CORRECTION = "m"  # segno raises it to Q or H when that fits in the same symbol size
QUIET_ZONE = 4  # light modules on each side, as ISO/IEC 18004 asks
QR_SIDE = 26.0  # mm, quiet zone included: a version 4 symbol (a portal URL) gets 0.63 mm modules
GAP = 2.0  # mm between the QR code's square and the text beside it
GREY = (107, 114, 128)
WORDS = {
    "fr": "Vérifiez ce document sur {where}",
    "ar": "تحققوا من صحة هذه الوثيقة على {where}",
}


class Verification(BaseModel):
    """What a document's QR code opens and what is printed under it (shared/verification.py
    makes both)."""

    model_config = ConfigDict(frozen=True)

    code: str
    url: str

    @field_validator("code")
    @classmethod
    def _typeable(cls, code: str) -> str:
        if normalise(code) != code:
            raise ValueError("a verification code is 32 characters A-Z and 2-7, as new_code() makes it")
        return code

    @property
    def grouped(self) -> str:
        """``ABCD-EFGH-…``, as printed."""
        return grouped(self.code)

    @property
    def where(self) -> str:
        """Where a person types the code: the URL without its scheme and code (``host/verify``)."""
        parts = urlsplit(self.url.removesuffix(self.code).rstrip("/"))
        return f"{parts.netloc}{parts.path}"

    def sentence(self, language: str) -> str:
        return WORDS["ar" if language == "ar" else "fr"].format(where=self.where)


@dataclass(frozen=True)
class Line:
    """One centred line of a title block."""

    text: str
    size: float  # pt
    height: float  # mm
    bold: bool = False
    color: tuple[int, int, int] = (0, 0, 0)


def draw_qr(pdf: FPDF, url: str, x: float, y: float, side: float) -> None:
    """The QR code of ``url`` in the ``side``×``side`` square at (x, y), quiet zone included."""
    symbol = segno.make(url, error=ERROR_CORRECTION, micro=False)
    modules = symbol.symbol_size(border=0)[0]
    module = side / (modules + 2 * QUIET_ZONE)
    runs = " ".join(f"{start} {row} {length} 1 re" for row, dark in enumerate(symbol.matrix_iter(border=0))
                    for start, length in dark_runs(dark))
    # One path of rectangles filled once, in a space whose unit is one module (the ``cm`` matrix:
    # origin at the symbol's top left corner, y downwards): edges are whole numbers, so the runs
    # of two rows share theirs exactly and no viewer shows a hairline between them. fpdf2's
    # rect() writes the same ``re`` operator, but a path and a fill for each run, four times
    # slower for some 350 runs; ``_out`` is the method it writes with (fpdf2 pinned at 2.8.9).
    scale, left, top = module * pdf.k, (x + QUIET_ZONE * module) * pdf.k, (pdf.h - y - QUIET_ZONE * module) * pdf.k
    pdf._out(f"q 0 g {scale:.4f} 0 0 {-scale:.4f} {left:.2f} {top:.2f} cm {runs} f Q")


def dark_runs(modules: Iterable[bool]) -> Iterator[tuple[int, int]]:
    """(first column, length) of each run of dark modules in a row."""
    column = 0
    for dark, run in groupby(modules):
        length = sum(1 for _ in run)
        if dark:
            yield column, length
        column += length


def title_band(pdf: FPDF, lines: Sequence[Line], verification: Verification, language: str) -> None:
    """Page 1's title ``lines`` beside the QR code, then the verification line and the code,
    from the current y; leaves the cursor at the left margin below the taller of the two. The
    document's keywords name its code, so a copy whose bytes were changed still says what it was
    issued as (shared/verification.py's ``claimed_code`` reads them back)."""
    pdf.set_keywords(keywords_for(verification.code))
    top, rtl = pdf.get_y(), language == "ar"
    draw_qr(pdf, verification.url, pdf.l_margin if rtl else pdf.w - pdf.r_margin - QR_SIDE, top, QR_SIDE)
    x = pdf.l_margin + (QR_SIDE + GAP if rtl else 0)
    width = pdf.epw - QR_SIDE - GAP
    sentence = Line(verification.sentence(language), 8, 4.5, color=GREY)
    caption = [replace(sentence, size=fitted(pdf, sentence, width)), Line(verification.grouped, 10, 5.5, bold=True)]
    for line in [*lines, *caption]:
        pdf.set_font("main", "B" if line.bold else "", line.size)
        pdf.set_text_color(*line.color)
        pdf.set_xy(x, pdf.get_y())
        with reading(pdf, line.text):
            pdf.cell(width, line.height, line.text, align="C")
        pdf.set_y(pdf.get_y() + line.height)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, max(pdf.get_y(), top + QR_SIDE) + 4)


def fitted(pdf: FPDF, line: Line, width: float, smallest: float = 6) -> float:
    """The line's size, made smaller (not below ``smallest``) until the text fits ``width``: a
    long portal address still stands on one line beside the QR code. Found once per process for
    a text, font and width (the line is the same on every document of a portal)."""
    key = (pdf.fonts["main"].ttffile, line, round(width, 3))
    size = _fitted.get(key)
    if size is None:
        size = line.size
        with reading(pdf, line.text):
            while size > smallest:
                pdf.set_font("main", "B" if line.bold else "", size)
                if pdf.get_string_width(line.text) <= width - 2 * pdf.c_margin:
                    break
                size -= 0.5
        _fitted.remember(key, size)
    return size


_fitted = Recent(64)  # (font, line, width) -> size: one portal's line in two languages, in practice


@contextmanager
def reading(pdf: FPDF, text: str) -> Iterator[None]:
    """Shaping for ``text``: the document's own per-text choice (AgencyDocument.shaping_for), or,
    in a document with one direction, none for the code, which reads left to right in Arabic too."""
    shaping_for = getattr(pdf, "shaping_for", None)
    if shaping_for is not None:
        with shaping_for(text):
            yield
        return
    before = pdf.text_shaping
    if text.isascii():
        pdf.text_shaping = None
    try:
        yield
    finally:
        pdf.text_shaping = before
