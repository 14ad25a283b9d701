"""The verification block on every kind of issued PDF (issue 17): page 1, rendered to an image
(pypdfium2) and read by a barcode reader (zxing-cpp), gives the verification URL, in Arabic and
French layouts; the code is printed in characters a person can type, left to right in Arabic too;
the QR code and its quiet zone cover no character; without a verification, no QR code. Each
document is drawn and rendered once (module-scoped)."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import segno
import zxingcpp
from pydantic import ValidationError
from pypdf import PdfReader

from services.reporting.adapters.documents.fonts import report_font
from services.reporting.adapters.documents.pdf import render_pdf
from services.reporting.domain.agency_days import AgencyDays
from services.reporting.domain.daily_report import daily_figures
from shared.agency import AgencyIdentity
from shared.calendar import WorkingCalendar
from shared.catalogue import default_catalogue
from shared.pdf import (
    DecisionLetter,
    InformationNote,
    Receipt,
    Verification,
    render_decision_letter,
    render_information_note,
    render_receipt,
    resolve_font,
)
from shared.verification import new_code, verification_url

CATALOGUE = default_catalogue()
SCALE = 3  # pixels a PDF point: 216 dpi
POINTS_PER_MM = 72 / 25.4
QUIET_ZONE = 4  # modules
KINDS = ("receipt_ar", "receipt_fr", "information_note", "decision_letter_ar", "decision_letter_fr",
         "daily_report_ar", "daily_report_fr")
MOTIVE_FR = "Le projet respecte le plan d'aménagement.\nLa hauteur reste sous 11 m sur rue."
MOTIVE_AR = "المشروع مطابق لتصميم التهيئة.\nيجب احترام التراجع على الواجهة."


@pytest.fixture(scope="module")
def verification() -> Verification:
    code = new_code()
    return Verification(code=code, url=verification_url("https://portail.agence-urbaine.example", code))


def draw(kind: str, verification: Verification | None) -> bytes:
    font, received = resolve_font(), datetime(2025, 6, 3, 9, 30, tzinfo=UTC)
    if kind.startswith("receipt"):
        return render_receipt(Receipt(
            language=kind[-2:], tracking_number="UA-2025-000123", kind="building_permit",
            applicant_name="Fatima Zahra El Idrissi", received_at=received,
            documents=[{"name": "plans.pdf", "type": "architectural_plans", "sha256": "a1" * 32, "size": 123_456}],
            verification=verification), font, CATALOGUE)
    if kind == "information_note":
        return render_information_note(InformationNote(
            tracking_number="UA-2025-000456", applicant_name="فاطمة الزهراء الإدريسي", issued_at=received,
            parcel={"land_title": "TF 12345/K", "commune": "Khénifra"},
            facts={"zoning": "منطقة سكنية", "allowed_height_m": 11.5, "setbacks": "4 m sur rue", "servitudes": "-"},
            verification=verification), font)
    if kind.startswith("decision_letter"):
        return render_decision_letter(letter(kind[-2:], verification), font, CATALOGUE)
    return render_pdf(a_day_without_filings(), language=kind[-2:], catalogue=CATALOGUE, font=report_font(),
                      agency=AgencyIdentity(), built_at=datetime(2025, 6, 18, tzinfo=UTC), verification=verification)


def letter(language: str, verification: Verification | None) -> DecisionLetter:
    return DecisionLetter(
        tracking_number="UA-2025-000789", language=language, kind="building_permit",
        applicant_name="Fatima Zahra El Idrissi", decided_at=datetime(2025, 7, 1, 10, tzinfo=UTC),
        outcome="approved_with_conditions", text=MOTIVE_AR if language == "ar" else MOTIVE_FR,
        committee_opinion="favourable_with_conditions", verification=verification)


def a_day_without_filings() -> dict:
    return daily_figures(date(2025, 6, 17), AgencyDays(ZoneInfo("Africa/Casablanca")), WorkingCalendar(),
                         list(CATALOGUE.kinds), day_steps=[], filings={}, trend_steps=[], late_steps=[])


@dataclass(frozen=True)
class Page1:
    pdf: bytes
    text: str  # pypdf's extraction (right-to-left runs in logical order), NFKC
    barcodes: list  # zxing-cpp's reading of page 1's image
    height: float  # points
    characters: list[tuple[str, tuple[float, float, float, float]]]  # pdfium: (char, (left, bottom, right, top))
    shapes: list[tuple[float, float, float, float]]  # the bounds of each path (rules, fills, the QR code)
    images: int  # raster images on page 1


def page_1(pdf: bytes) -> Page1:
    text = unicodedata.normalize("NFKC", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        barcodes = zxingcpp.read_barcodes(page.render(scale=SCALE).to_pil())
        textpage = page.get_textpage()
        characters = [(textpage.get_text_range(index, 1), textpage.get_charbox(index))
                      for index in range(textpage.count_chars())]
        shapes = [shape.get_bounds() for shape in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH])]
        images = len(list(page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE])))
        return Page1(pdf, text, barcodes, page.get_height(), characters, shapes, images)
    finally:
        document.close()


@pytest.fixture(scope="module")
def issued(verification) -> dict[str, Page1]:
    return {kind: page_1(draw(kind, verification)) for kind in KINDS}


@pytest.fixture(scope="module")
def unverified() -> dict[str, Page1]:
    return {kind: page_1(draw(kind, None)) for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_the_qr_code_opens_the_verification_page(issued, verification, kind):
    barcodes = issued[kind].barcodes
    assert [(barcode.format, barcode.text) for barcode in barcodes] == [(zxingcpp.BarcodeFormat.QRCode,
                                                                         verification.url)]


@pytest.mark.parametrize("kind", KINDS)
def test_the_code_is_printed_to_be_typed_left_to_right_with_where_to_type_it(issued, verification, kind):
    page = issued[kind]
    assert verification.grouped in page.text
    sentence = ("تحققوا من صحة هذه الوثيقة على" if kind.endswith("_ar") or kind == "information_note"
                else "Vérifiez ce document sur")
    assert sentence in page.text and "portail.agence-urbaine.example/verify" in page.text
    drawn = "".join(char for char, _ in page.characters)
    start = drawn.index(verification.grouped)
    lefts = [box[0] for _, box in page.characters[start:start + len(verification.grouped)]]
    assert lefts == sorted(lefts)  # each character right of the one before: read left to right


@pytest.mark.parametrize("kind", KINDS)
def test_the_qr_code_and_its_quiet_zone_cover_no_text_and_no_line(issued, verification, kind):
    page = issued[kind]
    symbol, quiet = qr_box(page, verification)
    assert symbol[2] - symbol[0] > 15 * POINTS_PER_MM  # about 21 mm wide
    assert [char for char, box in page.characters if char.strip() and overlap(box, quiet)] == []
    # Every shape within reach is one of the QR code's modules: no rule or filled cell under it.
    tolerance = 0.5  # points
    widened = (symbol[0] - tolerance, symbol[1] - tolerance, symbol[2] + tolerance, symbol[3] + tolerance)
    assert [shape for shape in page.shapes if overlap(shape, quiet) and not inside(shape, widened)] == []
    assert any(inside(shape, widened) for shape in page.shapes)  # the modules: one path of rectangles


def qr_box(page: Page1, verification: Verification) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The symbol as the reader found it, and that box widened by its quiet zone, in PDF points
    (left, bottom, right, top)."""
    assert len(page.barcodes) == 1, "the QR code is not found on page 1"
    position = page.barcodes[0].position
    corners = [position.top_left, position.top_right, position.bottom_right, position.bottom_left]
    xs, ys = [c.x / SCALE for c in corners], [page.height - c.y / SCALE for c in corners]
    modules = segno.make(verification.url, error="m", micro=False).symbol_size(border=0)[0]
    quiet = QUIET_ZONE * (max(xs) - min(xs)) / modules
    symbol = (min(xs), min(ys), max(xs), max(ys))
    return symbol, (symbol[0] - quiet, symbol[1] - quiet, symbol[2] + quiet, symbol[3] + quiet)


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def inside(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]


@pytest.mark.parametrize("kind", KINDS)
def test_without_a_verification_there_is_no_qr_code(unverified, verification, kind):
    assert unverified[kind].barcodes == []
    assert verification.grouped not in unverified[kind].text and "/verify" not in unverified[kind].text


@pytest.mark.parametrize("kind", [kind for kind in KINDS if not kind.startswith("daily_report")])
def test_the_qr_code_is_drawn_as_shapes_not_an_image(issued, kind):
    assert issued[kind].images == 0  # the daily report has its charts' images, the others none


def test_a_french_decision_letter_says_the_outcome_the_opinion_and_the_motive_in_french(issued):
    text = issued["decision_letter_fr"].text
    assert "Lettre de décision" in text and "UA-2025-000789" in text
    assert "Décision" in text and "Favorable sous conditions" in text  # outcome and opinion alike
    assert "Avis de la commission" in text and "Autorisation de construire" in text and "01/07/2025" in text
    assert "Le projet respecte le plan d'aménagement." in text and "La hauteur reste sous 11 m sur rue." in text


def test_an_arabic_decision_letter_says_the_outcome_the_opinion_and_the_motive_in_arabic(issued):
    text = issued["decision_letter_ar"].text
    assert "رسالة القرار" in text and "UA-2025-000789" in text
    assert "الموافقة بشروط" in text and "موافق بشروط" in text and "رأي اللجنة" in text
    assert "المشروع مطابق لتصميم التهيئة." in text and "يجب احترام التراجع على الواجهة." in text
    assert "Favorable" not in text


def test_a_decision_letter_without_a_committee_has_no_opinion_line():
    rejected = letter("fr", None).model_copy(update={"outcome": "rejected", "committee_opinion": None})
    text = page_1(render_decision_letter(rejected, resolve_font(), CATALOGUE)).text
    assert "Défavorable" in text and "Avis de la commission" not in text


def test_a_decision_letter_prints_only_named_outcomes_and_opinions():
    fields = letter("fr", None).model_dump()
    with pytest.raises(ValidationError, match="outcomes"):
        DecisionLetter(**{**fields, "outcome": "granted"})
    with pytest.raises(ValidationError, match="opinions"):
        DecisionLetter(**{**fields, "committee_opinion": "approved"})


def test_the_same_verification_draws_the_same_bytes(issued, verification):
    """An issued document drawn again for a resend (before it is kept) is the same file."""
    assert draw("decision_letter_ar", verification) == issued["decision_letter_ar"].pdf
    assert draw("receipt_fr", verification) == issued["receipt_fr"].pdf


def test_a_verification_code_is_one_a_person_can_type():
    with pytest.raises(ValidationError, match="32 characters"):
        Verification(code="abcd-efgh", url="https://portail.example/verify/abcd-efgh")
    code = new_code()
    verification = Verification(code=code, url=verification_url("https://portail.example/agence/", code))
    assert verification.where == "portail.example/agence/verify"
    assert verification.grouped.replace("-", "") == code and len(verification.grouped.split("-")) == 8
