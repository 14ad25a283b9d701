"""Which TrueType font the PDFs use: the ``pdf_font`` setting, else the first installed of
Amiri (Debian fonts-hosny-amiri), Noto Naskh Arabic (fonts-noto-core), DejaVu Sans
(fonts-dejavu-core). All three draw Arabic; DejaVu Sans also serves as fallback for Latin
letters a naskh font may lack."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
# File names (lower case) in order of preference; packages put them in different folders.
PREFERRED = ("amiri-regular.ttf", "notonaskharabic-regular.ttf", "dejavusans.ttf")
DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


class FontNotFound(RuntimeError):
    """No font able to draw Arabic: the PDFs cannot be made."""


def resolve_font(configured: Path | str | None = None) -> Path:
    """The font file to use, or FontNotFound naming what was looked for."""
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FontNotFound(f"LAMADI_PDF_FONT names {path}, which is not a file")
        return path
    found = _installed()
    for name in PREFERRED:
        if name in found:
            return found[name]
    raise FontNotFound(
        "no font for the PDFs: install fonts-hosny-amiri, fonts-noto-core or fonts-dejavu-core, "
        f"or set LAMADI_PDF_FONT to a TrueType file (looked for {', '.join(PREFERRED)} under "
        f"{', '.join(map(str, FONT_DIRS))})"
    )


def bold_variant(font: Path) -> Path | None:
    """The bold file beside a regular one (Amiri-Bold.ttf, DejaVuSans-Bold.ttf…), if installed."""
    stem = font.stem
    candidates = [stem.replace("-Regular", "-Bold"), f"{stem}-Bold"] if "-Regular" in stem else [f"{stem}-Bold"]
    for candidate in candidates:
        path = font.with_name(candidate + font.suffix)
        if path != font and path.is_file():
            return path
    return None


def latin_fallback(font: Path) -> Path | None:
    """DejaVu Sans, when installed and not the main font: it has every Latin letter."""
    found = _installed().get("dejavusans.ttf", DEJAVU_SANS)
    return found if found.is_file() and found.resolve() != font.resolve() else None


@cache
def _installed() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for directory in FONT_DIRS:
        if directory.is_dir():
            for path in sorted(directory.rglob("*.ttf")):
                found.setdefault(path.name.lower(), path)
    return found


def _resolved(configured: Path | None) -> Path:
    try:
        return resolve_font(configured)
    except FontNotFound as exc:
        raise ValueError(str(exc)) from None


# A setting (LAMADI_PDF_FONT): the TrueType font of the PDFs, which must draw Arabic. Unset: the
# first installed of Amiri, Noto Naskh Arabic, DejaVu Sans. Resolved when settings load.
PdfFont = Annotated[Path | None, AfterValidator(_resolved), Field(default=None, validate_default=True)]
