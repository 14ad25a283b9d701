"""Fonts parsed once per process and lent to every document.

fpdf2 (2.8.9) parses each TrueType file with fontTools in ``add_font``, for every FPDF, and its
``output()`` subsets that parsed font in place and closes it, so fpdf2 never reuses one. Here
each file is parsed once into a prototype ``SharedFont``; a document gets a shallow copy that
shares what only gets read (glyph tables, metrics, the HarfBuzz font) and owns what a document
changes (its glyph subset, font number, descriptor). ``embedding.py`` embeds the glyphs a
document used by subsetting with HarfBuzz, which leaves the prototype intact.

Shaping results are cached per font: fpdf2 measures every character of every line on its own
while breaking lines, so the same few hundred one-letter shapings come back in every document,
and the glyphs of each drawn text (labels, headings, static paragraphs) are found once.

The shared parts are not thread-safe (HarfBuzz's font size, fpdf2's method caches), so documents
are drawn one at a time under ``DRAWING``; the GIL would run them one at a time anyway."""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import uharfbuzz as hb
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from shared.pdf.fonts import bold_variant, latin_fallback

DRAWING = threading.RLock()
P = ParamSpec("P")
R = TypeVar("R")


def one_at_a_time(draw: Callable[P, R]) -> Callable[P, R]:
    """Draw under ``DRAWING``: callers in several threads (asyncio.to_thread) take turns."""
    @wraps(draw)
    def drawn_alone(*args: P.args, **kwargs: P.kwargs) -> R:
        with DRAWING:
            return draw(*args, **kwargs)
    return drawn_alone


class SharedFont(TTFFont):
    def __init__(self, path: Path, fontkey: str, style: str):
        super().__init__(FPDF(), path, fontkey, style)
        self.hbfont  # noqa: B018 - open the HarfBuzz font now, so every copy shares it
        # hb-subset's preprocessed face makes each document's subset a fraction of a millisecond.
        self.subset_face = hb.subset_preprocess(hb.Face(hb.Blob.from_file_path(str(path))))
        self.shapings = Recent(4_000)  # single letters (line breaking) and whole texts
        self.shaped_texts = Recent(2_000)

    def for_document(self, fpdf: FPDF) -> SharedFont:
        """A copy for one document: shares the parsed tables, owns its subset and numbering."""
        lent = copy.copy(self)
        lent.i = len(fpdf.fonts) + 1
        lent.desc = copy.copy(self.desc)  # output() names and numbers it
        lent.missing_glyphs = []
        lent.biggest_size_pt = 0
        lent.subset = SubsetMap(lent)
        return lent

    def perform_harfbuzz_shaping(self, text: str, font_size_pt: float,
                                 text_shaping_params: dict[str, Any] | None) -> tuple[Any, Any]:
        key = _shaping_key(text, font_size_pt, text_shaping_params)
        shaped = self.shapings.get(key)
        if shaped is None:
            shaped = self.shapings.remember(
                key, super().perform_harfbuzz_shaping(text, font_size_pt, text_shaping_params))
        return shaped

    def shape_text(self, text: str, font_size_pt: float,
                   text_shaping_params: dict[str, Any] | None) -> list[dict[str, Any]]:
        """fpdf2's shaping of a drawn text, done once per text with a stand-in subset that records
        which glyphs it asked for; each document then only numbers those glyphs in its subset."""
        key = _shaping_key(text, font_size_pt, text_shaping_params)
        recorded = self.shaped_texts.get(key)
        if recorded is None:
            subset, self.subset = self.subset, _GlyphRecorder()
            try:
                recorded = super().shape_text(text, font_size_pt, text_shaping_params)
            finally:
                self.subset = subset
            self.shaped_texts.remember(key, recorded)
        placed = []
        for glyph_info in recorded:
            glyph = self.subset.get_glyph(**glyph_info["mapped_char"])
            if glyph is not None:
                placed.append({**glyph_info, "mapped_char": self.subset.pick_glyph(glyph)})
        return placed

    def close(self) -> None:
        """fpdf2 closes fonts after output(); a shared font stays open for the next document."""


class _GlyphRecorder:
    """Stands in for a document's SubsetMap while a text is shaped once: the glyph it is asked
    for comes back as the arguments that ask a real SubsetMap for it."""

    @staticmethod
    def get_glyph(**asked: Any) -> dict[str, Any]:
        return asked

    @staticmethod
    def pick_glyph(asked: dict[str, Any]) -> dict[str, Any]:
        return asked


def _shaping_key(text: str, font_size_pt: float, params: dict[str, Any] | None) -> tuple:
    params = params or {}
    return (text, font_size_pt, params.get("fragment_direction"), params.get("script"),
            params.get("language"), tuple(sorted((params.get("features") or {}).items())))


class Recent(OrderedDict):
    """The ``size`` entries last used: static texts stay, one-off values (names, hashes) go."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get(self, key: Any, default: Any = None) -> Any:
        value = super().get(key, default)
        if value is not default:
            self.move_to_end(key)
        return value

    def remember(self, key: Any, value: Any) -> Any:
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)
        return value


class Typeface:
    """The regular, bold and (when needed) fallback fonts of one font file, parsed once."""

    def __init__(self, font: Path):
        self.regular = SharedFont(font, "main", "")
        bold = bold_variant(font)
        self.bold = SharedFont(bold, "mainB", "B") if bold else self._alias(self.regular, "mainB", "B")
        fallback = latin_fallback(font)
        self.fallback = SharedFont(fallback, "fallback", "") if fallback else None

    @staticmethod
    def _alias(font: SharedFont, fontkey: str, style: str) -> SharedFont:
        alias = copy.copy(font)
        alias.fontkey = fontkey
        alias.emphasis = type(font.emphasis).coerce(style)
        return alias

    def lend_to(self, fpdf: FPDF) -> None:
        """Register the fonts on a new document, as ``add_font`` would (family "main")."""
        for font in (self.regular, self.bold, self.fallback):
            if font is not None:
                fpdf.fonts[font.fontkey] = font.for_document(fpdf)
        if self.fallback is not None:
            fpdf.set_fallback_fonts([self.fallback.fontkey])


@cache
def _typeface(font: Path) -> Typeface:
    return Typeface(font)


def typeface(font: Path) -> Typeface:
    """The parsed fonts for a font file; parsed on first use (or by ``warm_up``)."""
    with DRAWING:
        return _typeface(Path(font).resolve())
