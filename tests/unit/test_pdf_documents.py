"""The receipt (récépissé) and the information note are valid PDFs whose text reads back in
logical order: tracking number, Arabic kind label, documents and deadlines."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError
from pypdf import PdfReader
from pypdf.generic import ContentStream

from services.notifier.adapters.documents import document_spec, draw
from services.notifier.settings import NotifierSettings
from shared.calendar import WorkingCalendar
from shared.catalogue import default_catalogue
from shared.deadlines import legal_deadlines
from shared.pdf import (
    FontNotFound,
    InformationNote,
    Receipt,
    render_information_note,
    render_receipt,
    resolve_font,
    warm_up,
)

CATALOGUE = default_catalogue()

TRACKING = "UA-2025-000123"
RECEIVED = datetime(2025, 6, 3, 9, 30, tzinfo=UTC)  # 10:30 in Casablanca; Eid al-Adha on 6 and 7 June
# Arabic presentation forms: what a PDF holding shaped glyphs without their letters would give.
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


@pytest.fixture(scope="module")
def font():
    return resolve_font()


def receipt(language: str, kind: str = "building_permit", documents: list | None = None, **details) -> Receipt:
    details = details or {"project_size": "large"}
    return Receipt(
        language=language, tracking_number=TRACKING, kind=kind, applicant_name="Fatima Zahra El Idrissi",
        received_at=RECEIVED,
        documents=documents if documents is not None else [
            {"name": "plans.pdf", "type": "architectural_plans", "sha256": "a1" * 32, "size": 123_456},
            {"name": "تصميم الموقع.pdf", "type": "situation_plan", "sha256": "b2" * 32, "size": 2_345},
            {"name": "photo.png", "type": None, "sha256": "c3" * 32, "size": 999},
        ],
        deadlines=legal_deadlines(default_catalogue(), WorkingCalendar(), kind, details, RECEIVED),
    )


def note() -> InformationNote:
    return InformationNote(
        tracking_number="UA-2025-000456", applicant_name="فاطمة الزهراء الإدريسي",
        issued_at=datetime(2025, 6, 20, 14, 0, tzinfo=UTC),
        parcel={"land_title": "TF 12345/K", "commune": "Khénifra", "address": "حي الأمل، زنقة 5",
                "cin_number_never_shown": "AB123456"},
        facts={"zoning": "منطقة سكنية مسترسلة", "allowed_height_m": 11.5,
               "setbacks": "أربعة أمتار على الواجهة", "servitudes": "ارتفاق عدم البناء على طول قناة الري",
               "remarks": "يخضع العقار لتصميم التهيئة المصادق عليه"},
    )


def read(pdf: bytes) -> tuple[PdfReader, str, str]:
    """The document, its raw extracted text and that text NFKC-normalised."""
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    raw = "\n".join(page.extract_text() for page in reader.pages)
    return reader, raw, unicodedata.normalize("NFKC", raw)


@pytest.mark.parametrize("kind", sorted(default_catalogue().kinds))
def test_arabic_receipt_has_the_tracking_number_and_the_kind_label_in_logical_order(font, kind):
    reader, raw, text = read(render_receipt(receipt("ar", kind), font, CATALOGUE))
    assert len(reader.pages) == 1
    assert TRACKING in text
    assert default_catalogue().kind(kind).ar in text
    assert "وصل الإيداع" in text
    assert not PRESENTATION_FORMS.search(raw)  # letters, not shaped forms, even before normalising


def test_arabic_receipt_lists_documents_deadlines_and_the_law(font):
    _, _, text = read(render_receipt(receipt("ar"), font, CATALOGUE))
    for sha in ("a1" * 32, "b2" * 32, "c3" * 32):
        assert f"SHA-256: {sha}" in text
    for label in ("التصاميم المعمارية", "تصميم الموقع", "وثيقة أخرى"):
        assert label in text
    assert "الأجل القانوني للمعالجة" in text
    assert "الإحالة على اللجنة" in text and "09/06/2025" in text  # 3 working days: Eid and a weekend skipped
    assert "البت في الطلب" in text and "28/06/2025" in text  # 25 calendar days
    assert "03/06/2025" in text and "10:30" in text  # received, Casablanca time
    assert "55.19" in text and "المتعلق بتبسيط المساطر والإجراءات الإدارية" in text


def test_french_receipt_is_in_french_and_names_the_kind_in_arabic_too(font):
    _, _, text = read(render_receipt(receipt("fr", "information_note", details={}), font, CATALOGUE))
    assert "Récépissé de dépôt" in text and TRACKING in text
    assert "Note de renseignements urbanistiques" in text
    assert "مذكرة المعلومات التعميرية" in text
    assert "Reçue le 03/06/2025 à 10:30" in text
    # Ten working days from Tuesday 3 June: Eid al-Adha (6-7 June) and two weekends skipped.
    assert "Décision : 10 jours ouvrables, soit au plus tard le 18/06/2025." in text
    assert "loi n° 55-19" in text
    assert f"SHA-256: {'a1' * 32}" in text and "Plans architecturaux" in text and "Autre pièce" in text


def test_arabic_text_is_shaped_into_contextual_glyphs(font):
    """Joined letters take different glyphs by position (initial, medial, final): with shaping,
    some letter is drawn by two glyphs or more, each mapped back to that one letter."""
    reader, _, _ = read(render_receipt(receipt("ar"), font, CATALOGUE))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    glyphs_per_letter: dict[str, set[str]] = {}
    for ref in fonts.values():
        to_unicode = ref.get_object()["/ToUnicode"].get_object().get_data().decode("latin-1")
        for glyph, code in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]{4})>", to_unicode):
            glyphs_per_letter.setdefault(chr(int(code, 16)), set()).add(glyph)
    arabic = {letter: glyphs for letter, glyphs in glyphs_per_letter.items() if "\u0621" <= letter <= "\u064a"}
    assert arabic, "no Arabic letter in the font's ToUnicode map"
    assert any(len(glyphs) > 1 for glyphs in arabic.values())


def test_a_receipt_without_documents_or_known_deadline_still_says_so(font):
    plain = Receipt(language="ar", tracking_number=TRACKING, kind="retired_kind", applicant_name="س",
                    received_at=RECEIVED)
    _, _, text = read(render_receipt(plain, font, CATALOGUE))
    assert "لم يرفق الطلب بأي وثيقة" in text and TRACKING in text
    # Digits inside an Arabic sentence are a run of their own: extraction may place them apart.
    assert "الأجل الأقصى للمعالجة" in text and "60" in text and "يوما" in text


def test_many_documents_flow_onto_further_pages(font):
    documents = [{"name": f"piece-{n}.pdf", "type": "evidence", "sha256": f"{n:064x}", "size": 1000 + n}
                 for n in range(40)]
    reader, _, text = read(render_receipt(receipt("fr", "complaint", documents), font, CATALOGUE))
    assert len(reader.pages) >= 2
    assert all(f"{n:064x}" in text for n in range(40))
    assert f"1/{len(reader.pages)}" in text and "55-19" in text


def test_information_note_is_arabic_with_the_parcel_and_the_facts(font):
    reader, raw, text = read(render_information_note(note(), font))
    assert len(reader.pages) == 1
    assert "مذكرة المعلومات التعميرية" in text
    assert "UA-2025-000456" in text
    assert "TF 12345/K" in text and "Khénifra" in text and "الجماعة" in text
    for fact in ("منطقة سكنية مسترسلة", "أربعة أمتار على الواجهة", "ارتفاق عدم البناء على طول قناة الري",
                 "يخضع العقار لتصميم التهيئة المصادق عليه", "11.5"):
        assert fact in text
    assert "20/06/2025" in text
    assert "AB123456" not in text  # only the parcel's own fields are shown
    assert not PRESENTATION_FORMS.search(raw)


def test_the_same_content_renders_the_same_bytes(font):
    """A resent email carries the very same PDF."""
    assert render_receipt(receipt("ar"), font, CATALOGUE) == render_receipt(receipt("ar"), font, CATALOGUE)
    assert render_information_note(note(), font) == render_information_note(note(), font)


def test_documents_draw_from_their_content_as_kept_in_json(font):
    """What the drawing process takes (and what an older delivery kept) is plain JSON."""
    import json

    specs = json.loads(json.dumps([document_spec(receipt("fr")), document_spec(note())]))
    first, second = (draw(spec, font, CATALOGUE) for spec in specs)
    assert (first.filename, second.filename) == (f"recepisse-{TRACKING}.pdf",
                                                 "note-renseignements-UA-2025-000456.pdf")
    assert first.content_type == "application/pdf"
    assert first.content == render_receipt(receipt("fr"), font, CATALOGUE)
    with pytest.raises(ValueError, match="unknown attached document"):
        draw({"document": "permit", "content": {}}, font, CATALOGUE)


def test_the_font_is_found_or_refused_clearly(tmp_path, monkeypatch):
    found = resolve_font()
    assert found.is_file() and found.suffix == ".ttf"
    missing = tmp_path / "Amiri-Regular.ttf"
    with pytest.raises(FontNotFound, match="not a file"):
        resolve_font(missing)
    monkeypatch.setenv("LAMADI_PDF_FONT", str(missing))
    with pytest.raises(ValidationError, match="LAMADI_PDF_FONT"):
        NotifierSettings()
    monkeypatch.setenv("LAMADI_PDF_FONT", str(found))
    assert NotifierSettings().pdf_font == found


# --- each value in its own direction (issue 7) ----------------------------------------------------


def glyphs_left_to_right(pdf: bytes) -> dict[float, list[str]]:
    """Each line's drawn letters (one entry per glyph, a ligature's letters together), ordered by
    where they stand on the page, left to right: the visual order a reader sees."""
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    letters = {}
    for name, ref in page["/Resources"]["/Font"].items():
        cmap = ref.get_object()["/ToUnicode"].get_object().get_data().decode("latin-1")
        letters[name] = {int(code, 16): bytes.fromhex(text).decode("utf-16-be")
                         for code, text in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", cmap)}
    placed: list[tuple[float, float, str]] = []
    font, x, y, drawn = None, 0.0, 0.0, 0
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            font = operands[0]
        elif operator in (b"Td", b"Tm"):
            x, y, drawn = float(operands[-2]), float(operands[-1]), 0
        elif operator == b"Tj":  # glyphs drawn without moving to a new point go on rightwards
            codes = operands[0].original_bytes  # the codes as written, before pypdf decodes them
            for index in range(0, len(codes), 2):
                drawn += 1
                code = int.from_bytes(codes[index:index + 2], "big")
                placed.append((round(y, 1), x + drawn * 1e-3, letters[font].get(code, "")))  # "": a mark
    lines: dict[float, list[str]] = {}
    for line, _, text in sorted(placed):
        lines.setdefault(line, []).append(text)
    return lines


def line_with(lines: dict[float, list[str]], *letters: str) -> list[str]:
    return next(glyphs for glyphs in lines.values() if all(any(letter in g for g in glyphs) for letter in letters))


def mixed_note() -> InformationNote:
    return note().model_copy(update={
        "parcel": {"land_title": "TF 12345/K", "commune": "12/03/2026", "address": "حي الأمل، زنقة 57"},
        "facts": note().facts.model_copy(update={"zoning": "R+2", "setbacks": "4 m sur rue",
                                                 "remarks": "Alignement approuvé le 12/03/2026"}),
    })


def test_values_in_the_arabic_note_read_as_typed_whatever_their_script():
    """A French value starting with a number keeps its number first (it once printed as
    "m sur rue 4"); references, dates and R+2 stay as typed."""
    _, _, text = read(render_information_note(mixed_note(), resolve_font()))
    for value in ("4 m sur rue", "TF 12345/K", "12/03/2026", "R+2", "Alignement approuvé le 12/03/2026"):
        assert value in text


def test_an_arabic_value_with_digits_keeps_its_number_at_its_end_in_the_note():
    lines = glyphs_left_to_right(render_information_note(mixed_note(), resolve_font()))
    address = line_with(lines, "5", "7", "ز")
    # Right to left, "57" is read last, so it stands left of the Arabic words, its digits in order.
    assert address.index("5") < address.index("7") < min(address.index(g) for g in address if "ز" in g)


def test_an_arabic_value_starting_with_a_number_reads_right_to_left_in_a_french_receipt():
    company = receipt("fr").model_copy(update={"applicant_name": "3 إخوة للبناء"})
    line = line_with(glyphs_left_to_right(render_receipt(company, resolve_font(), CATALOGUE)), "3", "خ")
    # Typed first, "3" is read first: rightmost, beyond every Arabic letter of the name.
    assert line.index("3") > max(line.index(g) for g in line if any("\u0600" <= c <= "\u06ff" for c in g))


def test_a_french_file_name_starting_with_a_number_reads_as_typed_in_an_arabic_receipt():
    documents = [{"name": "3 façades R+2.pdf", "type": "architectural_plans", "sha256": "d4" * 32, "size": 4096}]
    _, _, text = read(render_receipt(receipt("ar", documents=documents), resolve_font(), CATALOGUE))
    assert "3 façades R+2.pdf" in text


def test_documents_drawn_from_several_threads_at_once_match_those_drawn_alone(font):
    """The notifier draws in asyncio.to_thread workers; the fonts they share give the same bytes."""
    from concurrent.futures import ThreadPoolExecutor

    drawings = [lambda: render_receipt(receipt("ar"), font, CATALOGUE), lambda: render_receipt(receipt("fr"), font, CATALOGUE),
                lambda: render_information_note(mixed_note(), font)] * 4
    alone = [draw() for draw in drawings[:3]] * 4
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda draw: draw(), drawings))
    assert together == alone


def test_fonts_are_parsed_once_per_process_not_for_each_document(font, monkeypatch):
    """Parsing the font files was a third of each document's time (issue 11)."""
    import fontTools.ttLib

    warm_up(font, CATALOGUE)
    parsed = []
    parse = fontTools.ttLib.TTFont
    monkeypatch.setattr(fontTools.ttLib, "TTFont", lambda *args, **kwargs: parsed.append(args) or parse(*args, **kwargs))
    render_receipt(receipt("ar"), font, CATALOGUE)
    render_information_note(mixed_note(), font)
    assert parsed == []


def test_the_letterhead_carries_the_agencys_configured_names(font):
    from shared.pdf import AgencyNames

    names = AgencyNames(fr="Agence urbaine de Khénifra", ar="الوكالة الحضرية لخنيفرة")
    _, _, text = read(render_receipt(receipt("fr").model_copy(update={"agency": names}), font, CATALOGUE))
    assert "Agence urbaine de Khénifra" in text and "الوكالة الحضرية لخنيفرة" in text
    _, _, note_text = read(render_information_note(note().model_copy(update={"agency": names}), font))
    assert "Agence urbaine de Khénifra" in note_text
