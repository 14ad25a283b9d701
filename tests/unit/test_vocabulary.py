"""One vocabulary: every code is shown in the words of shared/vocabulary.toml by each surface that
shows it — the email of the event that carries it, the PDFs (receipt, daily report) and the
workbook, and the portal's pages — in Arabic and in French. A surface given its own word for a
code fails here; so does a vocabulary entry without both languages, at load."""

from __future__ import annotations

import html
import io
import re
import unicodedata
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

import services.notifier.domain.emails as emails
import services.portal.api.views as views_module
from services.intake.domain.catalogue import catalogue_view
from services.notifier.adapters.email_rendering import EmailRenderer
from services.portal.adapters.intake_models import Catalogue
from services.portal.adapters.notifier_models import IssuedDocument
from services.portal.api.i18n import load_translations
from services.portal.api.security import CsrfTokens
from services.portal.api.staff.catalogue import StaffCatalogue
from services.portal.api.views import Views
from services.reporting.adapters.documents.fonts import report_font
from services.reporting.adapters.documents.pdf import render_pdf
from services.reporting.adapters.documents.xlsx import render_xlsx, sheet_name
from services.reporting.domain.agency_days import AgencyDays
from services.reporting.domain.daily_report import daily_figures
from services.reporting.domain.words import word
from shared.agency import AgencyIdentity
from shared.calendar import WorkingCalendar
from shared.catalogue import default_catalogue
from shared.deadlines import LegalDeadline
from shared.pdf import Receipt, render_receipt, resolve_font
from shared.vocabulary import VOCABULARY, Family, VocabularyError, days, load_vocabulary, name

CATALOGUE = default_catalogue()
LANGUAGES = ("ar", "fr")
AT = "2026-11-30T10:00:00+00:00"


def codes(family: Family) -> list[str]:
    return sorted(VOCABULARY.codes(family))


def plain(text: str) -> str:
    """What a reader sees: tags dropped, entities read, PDF glyphs normalised, spaces single."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(unicodedata.normalize("NFKC", text).split())


# --- the emails -------------------------------------------------------------------------------

@cache
def renderer() -> EmailRenderer:
    return EmailRenderer(CATALOGUE, AgencyIdentity())


def email(template: str, language: str, **context) -> str:
    """The plain text part and the HTML part, each as read: a word must be in both."""
    rendered = renderer().render(template, language, {
        "full_name": "Amina Berrada", "tracking_number": "AU-2026-ABCDE-12345", "kind": "building_permit",
        **context})
    return Both(plain(f"{rendered.subject}\n{rendered.text}"), plain(rendered.html))


class Both(str):
    """Two texts that must each hold what is looked for in them."""

    def __new__(cls, first: str, second: str) -> "Both":
        both = super().__new__(cls, f"{first}\n{second}")
        both.parts = (first, second)
        return both

    def __contains__(self, words: object) -> bool:
        return all(words in part for part in self.parts)


def decision_email(code: str, language: str) -> str:
    return email("decision", language, outcome=code, text="Texte.")


def invoice_step_email(code: str, language: str) -> str:
    return email("invoice_step", language, step=code, note=None, kind="supplier_invoice")


def alert(language: str, **context) -> str:
    return email("staff_alert", language, **{"alert": "breached", "deadline": "decision",
                                             "due_at": "01/12/2026 à 10:00", "status": "in_review", **context})


ALERTS = {"approaching": "approaching", "overdue": "breached"}  # deadline state -> the alert saying it


def alert_of_state(code: str, language: str) -> str | None:
    return alert(language, alert=ALERTS[code]) if code in ALERTS else None


# --- the PDFs and the workbook -----------------------------------------------------------------

@cache
def receipt_text(language: str) -> str:
    deadlines = [LegalDeadline(name=code, days=count, unit=unit, due_on=date(2026, 12, 30))
                 for code in codes(Family.DEADLINES) for unit in ("working_days", "calendar_days")
                 for count in (1, 2, 3, 11)]
    receipt = Receipt(language=language, tracking_number="AU-2026-ABCDE-12345", kind="building_permit",
                      applicant_name="Amina Berrada", received_at=datetime(2026, 11, 30, 9, tzinfo=UTC),
                      deadlines=deadlines)
    pdf = render_receipt(receipt, resolve_font(), CATALOGUE)
    return plain("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def receipt_deadline(code: str, language: str) -> str:
    return receipt_text(language)


def receipt_durations(language: str) -> tuple[str, list[str]]:
    """The receipt's text and the durations it must hold. pypdf reads a number that opens a
    right-to-left phrase back after it ("أيام عمل …3"), so the Arabic words are looked for
    without their number."""
    durations = [days(count, unit, language) for unit in ("working_days", "calendar_days") for count in (1, 2, 3, 11)]
    if language == "ar":
        durations = [re.sub(r"^\d+ ", "", duration) for duration in durations]
    return receipt_text(language), durations


@cache
def report_figures() -> dict:
    figures = daily_figures(date(2026, 11, 30), AgencyDays(ZoneInfo("Africa/Casablanca")), WorkingCalendar(),
                            list(CATALOGUE.kinds), day_steps=[], filings={}, trend_steps=[], late_steps=[])
    figures["kinds"][0]["decided_by_outcome"] = {code: 1 for code in codes(Family.OUTCOMES)}
    return figures


@cache
def report_pdf(language: str) -> str:
    pdf = render_pdf(report_figures(), language=language, catalogue=CATALOGUE, font=report_font(),
                     agency=AgencyIdentity(), built_at=datetime(2026, 12, 1, tzinfo=UTC))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


class Cells(str):
    """A table's cells: a word is shown when a cell is exactly that word (so "أداء الفاتورة" is
    not found inside "الموافقة على أداء الفاتورة")."""

    def __new__(cls, cells: list[str]) -> "Cells":
        table = super().__new__(cls, "\n".join(cells))
        table.cells = {plain(cell) for cell in cells}
        return table

    def __contains__(self, words: object) -> bool:
        return words in self.cells


def report_section(section: str, language: str) -> str:
    """One section of the report's PDF, from its heading to the next one."""
    lines = report_pdf(language).splitlines()
    start = lines.index(word(section, language))
    end = lines.index(word(REPORT_SECTIONS[REPORT_SECTIONS.index(section) + 1], language))
    return plain("\n".join(lines[start + 1:end]))


REPORT_SECTIONS = ("outcomes", "activity", "corrections")


@cache
def report_sheets(language: str) -> dict[str, Cells]:
    content = render_xlsx(report_figures(), language=language, catalogue=CATALOGUE,
                          built_at=datetime(2026, 12, 1, tzinfo=UTC))
    return {sheet.title: Cells([str(cell) for row in sheet.iter_rows(values_only=True) for cell in row
                                if cell is not None])
            for sheet in load_workbook(io.BytesIO(content)).worksheets}


def report_sheet(section: str, language: str) -> str:
    return report_sheets(language)[sheet_name(word(section, language))]


def only(codes_shown: set[str], show):
    """A surface that shows only some codes of its family."""
    return lambda code, language: show(code, language) if code in codes_shown else None


# --- the portal's pages ------------------------------------------------------------------------

@cache
def views() -> Views:
    return Views(load_translations(), AgencyIdentity(), 10 * 1024 * 1024, csrf=CsrfTokens("test", 3600),
                 secure_cookies=True)


def route_path(name: str, /, **params: object) -> str:
    """The pages name the routes they link to (url_for); outside a request, any path will do."""
    return "/" + "/".join([name, *map(str, params.values())])


def page(template: str, language: str, **context) -> str:
    return plain(views().page(language, template, context, url_for=route_path))


def tracking_page(language: str, **filing) -> str:
    entry = {"labels": {"ar": "رخصة البناء", "fr": "Permis de construire"}}
    return page("track_status.html", language, entry=entry, errors={}, filing={
        "tracking_number": "AU-2026-ABCDE-12345", "status": "in_review", "received_at": AT, "timeline": [],
        "documents": [], "legal_deadlines": [], "allowed_actions": [], **filing})


def staff_page(template: str, language: str, roles: frozenset[str] = frozenset({"admin"}), **context) -> str:
    staff = SimpleNamespace(identity=SimpleNamespace(name="Fatima", sub="fatima@agence.ma"), roles=roles,
                            may=lambda *args: False)
    return page(template, language, staff=staff, menu=[], catalogue=StaffCatalogue.of(Catalogue.model_validate(catalogue_view(CATALOGUE)).root),
                errors={}, values={}, **context)


def task_page(language: str, **changes) -> str:
    task = {"id": "00000000-0000-0000-0000-000000000001", "kind": "building_permit",
            "tracking_number": "AU-2026-ABCDE-12345", "status": "in_review", "assignee": None, "received_at": AT,
            "deadlines": [], "applicant": None, "details": {}, "messages": [], "observations": [],
            "decision": None, "contest": None, "steps": [], "documents": [], "session_id": None,
            "deadline_state": "on_time", "committee": None, "timeline": [], **changes.pop("task", {})}
    context = {"task": task, "forms": [], "audit": None, "names": {}, "done": None, **changes}
    return staff_page("staff/task.html", language, **context)


def verification_page(language: str, verdict: str | None = None, reason: str | None = None, **document) -> str:
    """An issued document's public page (the verdict on a PDF when ``verdict`` is given)."""
    issued = IssuedDocument.model_validate({
        "code": "A" * 32, "document": "receipt", "reference": "AU-2026-ABCDE-12345", "issued_at": AT, "holder": "A. B.",
        "sha256": "ab" * 32, "signer": "CN=Agence", "sealed_at": AT, "state": "valid", **document})
    return page("verify_document.html", language, verdict=verdict, reason=reason, document=issued,
                grouped_code="AAAA-AAAA")


def rule(code: str, count: int = 11, unit: str = "working_days") -> dict:
    return {"name": code, "days": count, "unit": unit, "applies_if": {}, "due_on": "2026-12-30"}


def step_of(code: str) -> dict:
    return {"step": code, "at": AT, "note": None}


PAGES = {
    Family.STATUSES: [
        ("tracking page", lambda code, lang: tracking_page(lang, status=code)),
        ("staff task page", lambda code, lang: task_page(lang, task={"status": code})),
    ],
    Family.OUTCOMES: [
        ("tracking page", lambda code, lang: tracking_page(lang, decision={"outcome": code, "text": "T"})),
        ("staff task page", lambda code, lang: task_page(lang, task={"decision": {"outcome": code, "text": "T"}})),
    ],
    Family.OPINIONS: [
        ("published opinions", lambda code, lang: page("opinions.html", lang, kinds=[], filters={}, catalogue={},
                                                       items=[{"reference": "AU-1", "kind": "building_permit",
                                                               "opinion": code, "motive": "M",
                                                               "published_at": AT}])),
        ("staff task page", lambda code, lang: task_page(lang, task={"committee": {
            "round": 1, "aggregate": code, "opinions": [{"member": "m@agence.ma", "opinion": code, "motive": "M"}]}})),
    ],
    Family.FINANCE_STEPS: [
        ("staff task page", lambda code, lang: task_page(lang, task={"steps": [step_of(code)]})),
    ],
    Family.FINANCE_STAGES: [
        ("supplier invoices page", lambda code, lang: staff_page("staff/finance.html", lang, stages=[(code, [])])),
    ],
    Family.TIMELINE_STEPS: [
        ("tracking page", lambda code, lang: tracking_page(lang, timeline=[{"step": code, "at": AT}])),
    ],
    Family.TASK_ACTIONS: [
        ("staff task timeline", lambda code, lang: task_page(lang, task={"timeline": [
            {"at": AT, "action": code, "to_status": "in_review"}]})),
        ("staff audit trail", lambda code, lang: task_page(lang, audit=[
            {"at": AT, "actor": "x", "action": code, "note": None}])),
    ],
    Family.DEADLINES: [
        ("tracking page", lambda code, lang: tracking_page(lang, legal_deadlines=[rule(code)])),
        ("staff task page", lambda code, lang: task_page(lang, task={"deadlines": [
            {"name": code, "due_at": AT, "days_used": 1, "days": 11, "unit": "working_days", "days_left": 10,
             "met_at": None, "paused": False, "overdue": False}]})),
    ],
    Family.DEADLINE_STATES: [
        ("staff task page", lambda code, lang: task_page(lang, task={"deadline_state": code})),
    ],
    Family.ROLES: [
        ("staff account page", lambda code, lang: staff_page("staff/account.html", lang, roles=frozenset({code}))),
    ],
    Family.DELIVERY_STATES: [
        ("emails page", lambda code, lang: staff_page(
            "staff/ops_deliveries.html", lang, filters={"status": "", "tracking_number": ""}, states=(), may_resend=False,
            done=False, page=1, pages=1, items=[{"id": "d", "status": code, "template": "receipt",
                                                 "tracking_number": "T", "recipient": None, "attempts": 1,
                                                 "last_error": None, "created_at": AT}])),
    ],
}

PAGES |= {
    Family.DOCUMENT_KINDS: [
        ("verification page", lambda code, lang: verification_page(
            lang, document=code, reference="2026-11-29" if code == "daily_report" else "AU-2026-ABCDE-12345")),
    ],
    Family.DOCUMENT_STATES: [
        ("verification page", lambda code, lang: verification_page(lang, state=code)),
    ],
    Family.VERIFICATION_VERDICTS: [
        ("verdict page", lambda code, lang: verification_page(lang, verdict=code, reason="not_issued")),
    ],
    Family.VERIFICATION_REASONS: [
        ("verdict page", lambda code, lang: verification_page(lang, verdict="unknown", reason=code)),
    ],
}

OTHER_SURFACES = {
    Family.STATUSES: [("deadline alert email", lambda code, lang: alert(lang, status=code) if lang == "fr" else None)],
    Family.OUTCOMES: [("decision email", decision_email),
                      ("daily report PDF, decisions", lambda code, lang: report_section("outcomes", lang)),
                      ("daily report workbook, decisions", lambda code, lang: report_sheet("outcomes", lang)),
                      ("daily report PDF, invoices paid", only({"paid"}, lambda code, lang: report_section(
                          "activity", lang))),
                      ("daily report workbook, invoices paid", only({"paid"}, lambda code, lang: report_sheet(
                          "activity", lang)))],
    Family.FINANCE_STEPS: [("invoice step email", invoice_step_email),
                           ("daily report PDF", lambda code, lang: report_section("activity", lang)),
                           ("daily report workbook", lambda code, lang: report_sheet("activity", lang))],
    Family.DEADLINES: [("receipt PDF", receipt_deadline),
                       ("deadline alert email", lambda code, lang: alert(lang, deadline=code) if lang == "fr" else None)],
    Family.DEADLINE_STATES: [("deadline alert email",
                              lambda code, lang: alert_of_state(code, lang) if lang == "fr" else None)],
}

# Every phrase of the vocabulary: a word shown only inside a longer one is not shown ("أداء الفاتورة"
# inside "الموافقة على أداء الفاتورة").
PHRASES = {plain(words) for family in Family for code in VOCABULARY.codes(family)
           for words in (name(family, code, "ar"), name(family, code, "fr"))}


def shown(words: str, text: str) -> bool:
    if isinstance(text, Both):
        return all(shown(words, part) for part in text.parts)
    if isinstance(text, Cells):
        return words in text
    inside_longer = sum(text.count(longer) * longer.count(words) for longer in PHRASES
                        if words in longer and words != longer)
    return text.count(words) > inside_longer


CASES = [(family, surface, show) for family in Family
         for surface, show in [*PAGES.get(family, []), *OTHER_SURFACES.get(family, [])]]


@pytest.mark.parametrize(("family", "surface", "show"), CASES, ids=[f"{f}-{s}" for f, s, _ in CASES])
def test_each_surface_shows_each_code_in_the_vocabularys_words(family, surface, show):
    rendered, wrong = 0, []
    for code in codes(family):
        for language in LANGUAGES:
            text = show(code, language)
            if text is None:
                continue  # this surface does not show that code in that language
            rendered += 1
            if not shown(plain(name(family, code, language)), text):
                wrong.append(f"{code} ({language}): «{name(family, code, language)}» not shown")
    assert rendered and not wrong, "\n".join(wrong)


def test_every_family_is_shown_by_at_least_one_page():
    assert set(PAGES) == set(Family)


@pytest.mark.parametrize("language", LANGUAGES)
def test_durations_read_the_same_on_the_receipt_and_the_pages(language):
    text, durations = receipt_durations(language)
    missing = [duration for duration in durations if duration not in text]
    assert not missing, missing
    for count in (1, 2, 3, 11):
        shown = page("home.html", language, catalogue=[{"kind": "information_note", "labels": {language: "K"},
                                                         "filed_by": "anyone", "deadlines": [rule("decision", count)],
                                                         "required_documents": [], "optional_documents": []}])
        assert days(count, "working_days", language) in shown


def test_an_entry_without_both_languages_stops_the_load(tmp_path: Path):
    broken = tmp_path / "vocabulary.toml"
    broken.write_text(Path("shared/vocabulary.toml").read_text(encoding="utf-8").replace(
        'queued = { ar = "في انتظار الدراسة", fr = "En attente d\'un instructeur" }', 'queued = { ar = "في انتظار الدراسة" }'),
        encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"statuses\.queued needs exactly ar and fr"):
        load_vocabulary(broken)


def test_a_catalogue_outcome_or_deadline_without_words_stops_the_start():
    permit = CATALOGUE.kinds["building_permit"]
    changed = permit.model_copy(update={"outcomes": [*permit.outcomes, "referred_elsewhere"],
                                        "deadlines": [permit.deadlines[0].model_copy(update={"name": "to_wali"})]})
    catalogue = CATALOGUE.model_copy(update={"kinds": {**CATALOGUE.kinds, "building_permit": changed}})
    with pytest.raises(VocabularyError, match=r"deadlines\.to_wali, outcomes\.referred_elsewhere"):
        VOCABULARY.check_against(catalogue)



def its_own_word(real):
    """``name`` as a surface that words ``rejected`` its own way, as the page did before («غير موافق»
    while the email said «الرفض»)."""
    def name_with_its_own_word(family, code, language):
        return "غير موافق" if (family, code) == (Family.OUTCOMES, "rejected") else real(family, code, language)
    return name_with_its_own_word


REJECTED_AR = plain(name(Family.OUTCOMES, "rejected", "ar"))


def test_an_email_with_a_word_of_its_own_is_found(monkeypatch):
    assert shown(REJECTED_AR, decision_email("rejected", "ar"))
    monkeypatch.setattr(emails, "name", its_own_word(emails.name))
    assert not shown(REJECTED_AR, decision_email("rejected", "ar"))


def test_a_page_with_a_word_of_its_own_is_found(monkeypatch):
    decided = {"status": "decided", "decision": {"outcome": "rejected", "text": "Motif.", "at": AT}}
    assert shown(REJECTED_AR, tracking_page("ar", **decided))
    own = SimpleNamespace(name=its_own_word(views_module.vocabulary.name), days=views_module.vocabulary.days)
    monkeypatch.setattr(views_module, "vocabulary", own)
    assert not shown(REJECTED_AR, tracking_page("ar", **decided))
