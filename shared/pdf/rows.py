"""Rows of cells and wrapped paragraphs, drawn in one pass with line breaks found once.

fpdf2's ``table()`` lays out every cell twice (once to measure the row, once to draw it), and
its ``multi_cell`` breaks lines by measuring the text one character at a time; together they
were two thirds of a receipt's drawing time once the fonts were shared. Here a text that fits
is drawn with ``cell`` (one measure of the whole string); a longer one is broken by fpdf2
(``multi_cell(dry_run=True)``) once per process for a given text, font and width, so the static
paragraphs and labels are broken once, and each line is drawn with ``cell``.

Each text is drawn in its own base direction (first strong character); the lines of a wrapped
text keep the direction of the whole text. Splitting a text into bidi runs (fpdf2's pure-Python
Unicode bidi algorithm) is done once per text and direction. A text of Latin letters, digits and
punctuation only is drawn without HarfBuzz, on fpdf2's plain path (one string, no bidi), as
fpdf2 draws any text when shaping is off: it loses kerning only, and a French receipt drops
from about 19 to 7 ms.

The caches here are module-wide: documents are drawn one at a time (typefaces.DRAWING)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.bidi import BidiParagraph, auto_detect_base_direction
from fpdf.enums import MethodReturnValue
from fpdf.line_break import Fragment

from shared.pdf.typefaces import Recent

# Texts needing neither shaping nor bidi: Latin (no combining marks), punctuation, euro sign.
PLAIN_TEXT = re.compile(r"[\u0020-\u024f\u2010-\u2027\u2030-\u205e\u20ac]*")
_line_breaks: Recent = Recent(2_000)  # (font, look, width, text) -> lines
_bidi_runs: Recent = Recent(2_000)  # (text, direction) -> [(run, direction)]


@dataclass(frozen=True)
class Look:
    """How a cell's text is drawn."""

    size: float
    bold: bool = False
    color: tuple[int, int, int] = (0, 0, 0)
    fill: tuple[int, int, int] | None = None
    align: str | None = None  # None: the document's


@dataclass(frozen=True)
class Cell:
    text: str
    width: float
    look: Look


class Rows(FPDF):
    """Drawing helpers for AgencyDocument (which sets ``align``)."""

    align: str
    shaping: dict  # the document's text_shaping settings, which shaping_for lends to a text

    @contextmanager
    def shaping_for(self, text: str) -> Iterator[None]:
        """Shaping set for drawing ``text`` (or its lines): off for plain Latin, else in the
        text's base direction. Nests: a page break draws the header inside a row."""
        before, direction = self.text_shaping, self.shaping["direction"]
        if PLAIN_TEXT.fullmatch(text):
            self.text_shaping = None
        else:
            self.text_shaping = self.shaping
            self.shaping["direction"] = auto_detect_base_direction(text)
        try:
            yield
        finally:
            self.text_shaping, self.shaping["direction"] = before, direction

    def text_cell(self, w: float, h: float, text: str, **cell: object) -> None:
        with self.shaping_for(text):
            self.cell(w, h, text, **cell)

    def lines(self, text: str, width: float, look: Look) -> list[str]:
        """The text broken into lines no wider than ``width`` in this look."""
        self.set_font("main", "B" if look.bold else "", look.size)
        key = (self.current_font.ttffile, look.bold, look.size, round(width, 3), text)
        found = _line_breaks.get(key)
        if found is None:
            with self.shaping_for(text):
                if self.get_string_width(text) <= width:
                    found = [text]
                else:  # multi_cell keeps a cell margin on each side of its width
                    found = self.multi_cell(width + 2 * self.c_margin, 1, text, dry_run=True,
                                            output=MethodReturnValue.LINES)
            _line_breaks.remember(key, found)
        return found

    def draw_lines(self, text: str, lines: Sequence[str], x: float, y: float, width: float,
                   line_height: float, look: Look) -> None:
        """The lines of ``text`` from (x, y), in a box ``width`` wide (cell margins outside it)."""
        self.set_font("main", "B" if look.bold else "", look.size)
        self.set_text_color(*look.color)
        with self.shaping_for(text):
            for index, line in enumerate(lines):
                self.set_xy(x - self.c_margin, y + index * line_height)
                self.cell(width + 2 * self.c_margin, line_height, line, align=look.align or self.align)

    def row(self, cells: Sequence[Cell], *, line_height: float, padding: tuple[float, float],
            rule_above: bool, after_page_break: Callable[[], None] | None = None,
            keep_with_next: float = 0) -> None:
        """One row of cells from the left margin, as tall as its longest cell; ``padding`` is
        (vertical, horizontal); ``rule_above`` draws the line between this row and the last;
        ``keep_with_next`` is the height that must fit on the page below it."""
        pad_y, pad_x = padding
        laid = [(cell, self.lines(cell.text, cell.width - 2 * pad_x, cell.look)) for cell in cells]
        height = max(len(lines) for _, lines in laid) * line_height + 2 * pad_y
        if self.will_page_break(height + keep_with_next):
            self.add_page()
            rule_above = False
            if after_page_break is not None:
                after_page_break()
        x, y = self.l_margin, self.get_y()
        for cell, lines in laid:
            if cell.look.fill is not None:
                self.set_fill_color(*cell.look.fill)
                self.rect(x, y, cell.width, height, style="F")
            self.draw_lines(cell.text, lines, x + pad_x, y + pad_y, cell.width - 2 * pad_x, line_height, cell.look)
            x += cell.width
        if rule_above:
            self.line(self.l_margin, y, self.l_margin + sum(cell.width for cell in cells), y)
        self.set_text_color(0, 0, 0)
        self.set_xy(self.l_margin, y + height)

    def _preload_bidirectional_text(self, text: str, markdown: bool) -> Sequence[Fragment]:
        """fpdf2 2.8.9's own method (pinned in requirements.txt), with the bidi runs of each
        text and direction remembered across documents."""
        if markdown or not self.text_shaping:
            return super()._preload_bidirectional_text(text, markdown)
        direction = self.text_shaping["direction"] or auto_detect_base_direction(text)
        self.text_shaping["paragraph_direction"] = direction
        key = (text, direction, self.str_alias_nb_pages)
        runs = _bidi_runs.get(key) or _bidi_runs.remember(key, BidiParagraph(
            text=text, base_direction=direction, preserve_bn_chars=True, alias=self.str_alias_nb_pages,
        ).get_bidi_fragments())
        emphasis = ("B" in self.font_style, "I" in self.font_style, self.strikethrough, self.underline)
        fragments: list[Fragment] = []
        for run, run_direction in runs:
            self.text_shaping["fragment_direction"] = run_direction
            fragments.extend(self._preload_font_styles(run, markdown, _initial_emphasis=emphasis))
        return tuple(fragments)

    def paragraph(self, text: str, size: float = 10) -> None:
        look = Look(size=size)
        line_height, width = size * 0.55, self.epw - 2 * self.c_margin
        for line in self.lines(text, width, look):  # cell() breaks the page when a line is past it
            self.draw_lines(text, [line], self.l_margin + self.c_margin, self.get_y(), width, line_height, look)
            self.set_xy(self.l_margin, self.get_y() + line_height)
        self.ln(1.5)
