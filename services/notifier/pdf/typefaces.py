"""Fonts parsed once per process and lent to every document.

fpdf2 (2.8.9) parses each TrueType file with fontTools in ``add_font``, for every FPDF, and its
``output()`` subsets that parsed font in place and closes it, so fpdf2 never reuses one. Here
each file is parsed once into a prototype ``SharedFont``; a document gets a shallow copy that
shares what only gets read (glyph tables, metrics, the HarfBuzz font) and owns what a document
changes (its glyph subset, font number, descriptor). ``embedding.py`` embeds the glyphs a
document used by subsetting with HarfBuzz, which leaves the prototype intact.

Shaping results are cached per font: fpdf2 measures every character of every line on its own
while breaking lines, so the same few hundred one-letter shapings come back in every document.

The shared parts are not thread-safe (HarfBuzz's font size, fpdf2's method caches), so documents
are drawn one at a time under ``DRAWING``; the GIL would run them one at a time anyway."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import uharfbuzz as hb
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from services.notifier.pdf.fonts import bold_variant, latin_fallback

DRAWING = threading.RLock()
# Bound on cached shapings per font: static labels and single letters stay, one-off values churn.
SHAPING_CACHE_SIZE = 20_000
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
        self.shapings: dict[tuple, tuple[Any, Any]] = {}

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
        params = text_shaping_params or {}
        key = (text, font_size_pt, params.get("fragment_direction"), params.get("script"),
               params.get("language"), tuple(sorted((params.get("features") or {}).items())))
        shaped = self.shapings.get(key)
        if shaped is None:
            if len(self.shapings) >= SHAPING_CACHE_SIZE:
                self.shapings.clear()
            shaped = self.shapings[key] = super().perform_harfbuzz_shaping(text, font_size_pt,
                                                                           text_shaping_params)
        return shaped

    def close(self) -> None:
        """fpdf2 closes fonts after output(); a shared font stays open for the next document."""


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
