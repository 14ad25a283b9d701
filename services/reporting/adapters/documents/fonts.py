"""The report's font: ``LAMADI_REPORT_FONT``, else the first of Amiri, Noto Naskh Arabic and
DejaVu Sans that matplotlib's font manager finds. matplotlib ships DejaVu Sans itself, so a
font that draws Arabic is always there."""

from __future__ import annotations

from pathlib import Path

from matplotlib import font_manager

PREFERRED = ("Amiri", "Noto Naskh Arabic", "DejaVu Sans")


class FontNotFound(RuntimeError):
    """The configured font file does not exist."""


def report_font(configured: Path | str | None = None) -> Path:
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FontNotFound(f"LAMADI_REPORT_FONT names {path}, which is not a file")
        return path
    for family in PREFERRED:
        try:
            found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        if found.lower().endswith(".ttf"):
            return Path(found)
    return Path(font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans")))


def latin_fallback(font: Path) -> Path | None:
    """DejaVu Sans (it has every Latin letter) when the main font is another one."""
    dejavu = Path(font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans")))
    return dejavu if dejavu.resolve() != font.resolve() else None
