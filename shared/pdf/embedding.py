"""Embedding a document's fonts with HarfBuzz's subsetter instead of fontTools'.

fpdf2 2.8.9 subsets each font with fontTools in ``OutputProducer._add_fonts``: it decompiles and
recompiles every glyph it keeps (15-70 ms a font), mutates the parsed font and closes it.
``output(output_producer_class=...)`` is fpdf2's hook for a custom producer; this one writes the
same PDF objects as fpdf2 does for a TrueType font (Type0 font, CIDFontType2 with widths,
ToUnicode map, descriptor, CIDToGIDMap, font file), but the font file is cut by hb-subset from
the face ``SharedFont`` keeps (well under 1 ms), and fonts no page uses (an unneeded fallback)
are left out."""

from __future__ import annotations

from typing import Any

import uharfbuzz as hb
from fpdf.enums import PDFResourceType
from fpdf.output import (
    CIDSystemInfo,
    OutputProducer,
    PDFFont,
    PDFFontStream,
    _build_cmap_blocks,
    _tt_font_widths,
)
from fpdf.syntax import Name, PDFArray, PDFContentStream

from shared.pdf.typefaces import SharedFont

# Tables a PDF viewer never reads from an embedded CIDFontType2: shaping was done when drawing.
DROPPED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "morx", "FFTM", "DSIG",
                  "hdmx", "meta", "SVG ", "COLR", "CPAL", "CBDT", "CBLC", "EBDT", "EBLC", "EBSC", "sbix")


class SharedFontProducer(OutputProducer):
    def _add_fonts(self, *_resources: Any) -> dict[int, PDFFont]:
        used = self.fpdf._resource_catalog.get_used_resources(PDFResourceType.FONT)
        objects: dict[int, PDFFont] = {}
        for font in sorted(self.fpdf.fonts.values(), key=lambda font: font.i):
            if not isinstance(font, SharedFont):
                raise TypeError(f"{font!r}: documents here use only SharedFont")
            if font.i in used:
                objects[font.i] = self._add_font(font)
            font.subset.pick.cache_clear()  # fpdf2's class-wide caches would keep every document
            font.subset.get_glyph.cache_clear()
        return objects

    def _add_font(self, font: SharedFont) -> PDFFont:
        fontname = f"MPDFAA+{font.name}"
        glyphs = [(glyph, code) for glyph, code in font.subset.items() if glyph is not None]
        font_file, new_gid = _subset(font, {font.ttfont.getGlyphID(glyph.glyph_name) for glyph, _ in glyphs})

        composite = PDFFont(subtype="Type0", base_font=fontname, encoding="Identity-H")
        self._add_pdf_obj(composite, "fonts")
        cid_font = PDFFont(subtype="CIDFontType2", base_font=fontname, d_w=font.desc.missing_width,
                           w=_tt_font_widths(font))
        self._add_pdf_obj(cid_font, "fonts")
        composite.descendant_fonts = PDFArray([cid_font])

        to_unicode = PDFContentStream(_to_unicode_cmap(glyphs).encode("latin-1"))
        self._add_pdf_obj(to_unicode, "fonts")
        composite.to_unicode = to_unicode

        system_info = CIDSystemInfo()
        self._add_pdf_obj(system_info, "fonts")
        cid_font.c_i_d_system_info = system_info

        descriptor = font.desc
        descriptor.font_name = Name(fontname)
        self._add_pdf_obj(descriptor, "fonts")
        cid_font.font_descriptor = descriptor

        # Byte pair 2c..2c+1 holds the glyph of code c; codes past the end map to glyph 0.
        cid_to_gid = bytearray(2 * (max((code for _, code in glyphs), default=0) + 1))
        for glyph, code in glyphs:
            gid = new_gid[font.ttfont.getGlyphID(glyph.glyph_name)]
            cid_to_gid[2 * code:2 * code + 2] = gid.to_bytes(2, "big")
        cid_to_gid_map = PDFContentStream(contents=bytes(cid_to_gid), compress=True)
        self._add_pdf_obj(cid_to_gid_map, "fonts")
        cid_font.c_i_d_to_g_i_d_map = cid_to_gid_map

        font_stream = PDFFontStream(contents=font_file)
        self._add_pdf_obj(font_stream, "fonts")
        descriptor.font_file2 = font_stream
        return composite


def _subset(font: SharedFont, glyph_ids: set[int]) -> tuple[bytes, dict[int, int]]:
    """The font file cut to these glyphs (and their components), and old glyph id -> new."""
    wanted = hb.SubsetInput()
    for gid in glyph_ids | {0}:
        wanted.glyph_set.add(gid)
    dropped = wanted.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in DROPPED_TABLES:
        dropped.add(int.from_bytes(tag.encode("ascii"), "big"))
    wanted.flags = hb.SubsetFlags.NOTDEF_OUTLINE | hb.SubsetFlags.NO_LAYOUT_CLOSURE
    plan = hb.SubsetPlan(font.subset_face, wanted)
    mapping = plan.old_to_new_glyph_mapping
    return bytes(plan.execute().blob.data), {gid: mapping[gid] for gid in glyph_ids}


def _to_unicode_cmap(glyphs: list[tuple[Any, int]]) -> str:
    """Each code's letters (several for a ligature), so text extracts as letters, not glyphs."""
    entries = [
        f"<{code:04X}> <{''.join(_utf16_hex(letter) for letter in glyph.unicode)}>\n"
        for glyph, code in glyphs
        if isinstance(glyph.unicode, tuple) and glyph.unicode
    ]
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{_build_cmap_blocks(entries, 'bfchar')}"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    )


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()
