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

from services.notifier.domain.deadlines import legal_deadlines
from services.notifier.pdf import (
    FontNotFound,
    InformationNote,
    Receipt,
    attachment_spec,
    render_attachments,
    render_information_note,
    render_receipt,
    resolve_font,
)
from services.notifier.settings import NotifierSettings
from shared.calendar import WorkingCalendar
from shared.catalogue import default_catalogue

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


def test_attachments_render_again_from_what_a_delivery_keeps(font):
    import json

    specs = json.loads(json.dumps([attachment_spec(receipt("fr")), attachment_spec(note())]))
    first, second = render_attachments(specs, font, CATALOGUE)
    assert (first.filename, second.filename) == (f"recepisse-{TRACKING}.pdf",
                                                 "note-renseignements-UA-2025-000456.pdf")
    assert first.content_type == "application/pdf"
    assert first.content == render_receipt(receipt("fr"), font, CATALOGUE)
    with pytest.raises(ValueError, match="unknown attached document"):
        render_attachments([{"document": "permit", "content": {}}], font, CATALOGUE)


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
