"""Every notifier email renders in its languages (Arabic and French; staff alerts in French),
and builds into one MIME message, with its PDF attachments if any."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default as default_policy
from uuid import UUID

import pytest
from jinja2 import UndefinedError

from services.notifier.adapters.email_rendering import EmailRenderer
from services.notifier.adapters.mime import build_message
from services.notifier.domain.deliveries import delivery_id, ensure_resendable
from services.notifier.domain.emails import (
    TEMPLATE_LANGUAGES,
    TEMPLATES,
    Attachment,
    local_date,
    local_datetime,
    message_id,
)
from services.notifier.domain.errors import DeliveryPending
from shared.agency import AgencyIdentity
from shared.calendar import WorkingCalendar
from shared.catalogue import default_catalogue
from shared.deadlines import legal_deadlines
from shared.vocabulary import Family, days, name


def kind_label(catalogue, kind: str, language: str) -> str:
    return catalogue.kind_name(kind, language)

TRACKING = "UA-2025-000123"
CONTEXTS = {
    "receipt": {"received_on": "03/06/2025"},
    "observations": {"observations": "Veuillez joindre le plan de situation.\nLe plan de masse est illisible."},
    "decision": {"outcome": "approved_with_conditions", "text": "يرخص بالبناء مع احترام خط التصفيف."},
    "withdrawal": {"reason": "Projet abandonné"},
    "invoice_step": {"step": "approved_for_payment", "note": "Mandat de paiement en préparation."},
    "committee_adjourned": {"motive": "Plan de masse à compléter.", "session_date": "12/06/2025"},
    "contest_received": {"motive": "Le recul exigé ne s'applique pas à ma parcelle."},
    "staff_alert": {"alert": "breached", "deadline": "to_committee", "due_at": "09/06/2025 à 23:59",
                    "status": "in_review"},
    "draft_saved": {"resume_url": "https://portail.example.ma/drafts/5f0c/resume?token=abc-DEF_123",
                    "expires_on": "10/06/2025", "draft": True, "full_name": ""},
    "report_daily": {"report_date": "17/06/2025", "revision": 1, "corrections": 0,
                     "totals": {"received": 3, "decided": 2, "withdrawn": 0, "pending": 9, "overdue": 1},
                     "files": [{"filename": "r.pdf", "size": 10, "sha256": "ab" * 32}]},
}
# The daily report is about no filing: it names none, and goes to the Directorate.
PAIRS = [(template, language) for template, languages in TEMPLATE_LANGUAGES.items() for language in languages
         if template != "report_daily"]
# A saved draft has no tracking number yet, nor a name: its email is checked on its own below.
FILING_PAIRS = [(template, language) for template, language in PAIRS if template != "draft_saved"]
APPLICANT_TEMPLATES = [template for template in TEMPLATES if template not in ("staff_alert", "report_daily")]


def context(template: str, **overrides) -> dict:
    return {"full_name": "Fatima Zahra El Idrissi", "tracking_number": TRACKING, "kind": "building_permit",
            **CONTEXTS[template], **overrides}


def test_every_template_has_a_context_here_and_its_files():
    assert set(CONTEXTS) == set(TEMPLATES)
    assert {"invoice_step", "committee_adjourned", "contest_received", "staff_alert"} <= set(TEMPLATES)
    assert TEMPLATE_LANGUAGES["staff_alert"] == ("fr",)


@pytest.fixture(scope="module")
def renderer() -> EmailRenderer:
    return EmailRenderer(default_catalogue(), AgencyIdentity())


@pytest.mark.parametrize(("template", "language"), FILING_PAIRS)
def test_every_template_renders_subject_text_and_html(renderer, template, language):
    email = renderer.render(template, language, context(template))
    assert TRACKING in email.subject
    assert "\n" not in email.subject and "{" not in email.subject
    assert email.text.strip() and TRACKING in email.text
    assert TRACKING in email.html
    assert kind_label(default_catalogue(), "building_permit", language) in email.text
    assert kind_label(default_catalogue(), "building_permit", language) in email.html
    if template != "staff_alert":
        assert "Fatima Zahra El Idrissi" in email.text


@pytest.mark.parametrize("template", APPLICANT_TEMPLATES)
def test_arabic_html_is_right_to_left_and_french_left_to_right(renderer, template):
    """Also: the agency's configured name signs every email (shared/agency.py)."""
    arabic = renderer.render(template, "ar", context(template))
    french = renderer.render(template, "fr", context(template))
    assert '<html lang="ar" dir="rtl">' in arabic.html
    assert '<html lang="fr" dir="ltr">' in french.html
    assert "الوكالة الحضرية" in arabic.text
    assert "Agence urbaine" in french.text
    assert AgencyIdentity().name_ar in arabic.text and AgencyIdentity().name_fr in french.html


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_saved_drafts_email_holds_its_link_and_expiry_and_no_tracking_number(renderer, language):
    email = renderer.render("draft_saved", language, context("draft_saved"))
    link = CONTEXTS["draft_saved"]["resume_url"]
    assert link in email.text and f'href="{link}"' in email.html
    assert "10/06/2025" in email.text and TRACKING not in email.text + email.html
    assert kind_label(default_catalogue(), "building_permit", language) in email.subject


def test_the_agencys_identity_is_configuration(monkeypatch):
    monkeypatch.setenv("LAMADI_AGENCY_NAME_FR", "Agence urbaine de Béni Mellal-Khénifra")
    email = EmailRenderer(default_catalogue(), AgencyIdentity()).render("receipt", "fr", context("receipt"))
    assert "Agence urbaine de Béni Mellal-Khénifra" in email.text


def test_event_specific_text_reaches_both_parts(renderer):
    observations = renderer.render("observations", "fr", context("observations"))
    assert "Le plan de masse est illisible." in observations.text
    assert "Le plan de masse est illisible." in observations.html
    decision = renderer.render("decision", "ar", context("decision"))
    assert "يرخص بالبناء مع احترام خط التصفيف." in decision.text
    assert "الموافقة بشروط" in decision.text
    assert "Favorable sous conditions" in renderer.render("decision", "fr", context("decision")).html


def test_withdrawal_reason_is_optional(renderer):
    with_reason = renderer.render("withdrawal", "fr", context("withdrawal"))
    without = renderer.render("withdrawal", "fr", context("withdrawal", reason=None))
    assert "Projet abandonné" in with_reason.text
    assert "Motif" not in without.text and "None" not in without.text


def test_html_is_escaped_but_the_text_part_and_subject_are_not(renderer):
    email = renderer.render("receipt", "fr", context("receipt", full_name="<b>Ali & Fils</b>",
                                                     tracking_number="UA<1>"))
    assert "&lt;b&gt;Ali &amp; Fils&lt;/b&gt;" in email.html and "<b>Ali" not in email.html
    assert "<b>Ali & Fils</b>" in email.text
    assert email.subject.endswith("UA<1>")


@pytest.mark.parametrize(("template", "language"), PAIRS)
def test_a_missing_variable_fails_loudly(renderer, template, language):
    incomplete = context(template)
    del incomplete["resume_url" if template == "draft_saved" else "tracking_number"]
    with pytest.raises(UndefinedError):
        renderer.render(template, language, incomplete)


def test_an_event_specific_missing_variable_fails_too(renderer):
    incomplete = context("observations")
    del incomplete["observations"]
    with pytest.raises(UndefinedError):
        renderer.render("observations", "ar", incomplete)


def test_unknown_template_or_language_is_refused(renderer):
    with pytest.raises(ValueError, match="template"):
        renderer.render("invoice", "fr", context("receipt"))
    with pytest.raises(ValueError, match="language"):
        renderer.render("receipt", "en", context("receipt"))
    with pytest.raises(ValueError, match="language"):
        renderer.render("staff_alert", "ar", context("staff_alert"))


def test_invoice_steps_and_adjournments_say_what_happened(renderer):
    approved = renderer.render("invoice_step", "ar", context("invoice_step"))
    assert "الموافقة على أداء الفاتورة" in approved.subject and "سيتم الأمر بالأداء" in approved.text
    verified = renderer.render("invoice_step", "fr", context("invoice_step", step="verified", note=None))
    assert "Facture vérifiée" in verified.text and "Note du service" not in verified.text
    assert "étape suivante" in verified.text
    adjourned = renderer.render("committee_adjourned", "fr", context("committee_adjourned"))
    assert "séance du 12/06/2025" in adjourned.text and "Plan de masse à compléter." in adjourned.html
    undated = renderer.render("committee_adjourned", "ar", context("committee_adjourned", session_date=None))
    assert "بتاريخ" not in undated.text and "None" not in undated.text
    contest = renderer.render("contest_received", "ar", context("contest_received"))
    assert "طعن" in contest.subject and "Le recul exigé" in contest.text


def test_staff_alert_names_the_deadline_its_due_time_and_the_task_status(renderer):
    breached = renderer.render("staff_alert", "fr", context("staff_alert"))
    assert breached.subject.startswith("Délai dépassé")
    assert "Transmission à la commission" in breached.subject
    assert "09/06/2025 à 23:59" in breached.text and "« En cours d'instruction »" in breached.text
    approaching = renderer.render("staff_alert", "fr", context("staff_alert", alert="approaching"))
    assert approaching.subject.startswith("Échéance proche") and "expire le" in approaching.html


def test_decision_lists_preliminary_observations_and_mentions_an_attached_note(renderer):
    pre_study = renderer.render("decision", "fr", context(
        "decision", outcome="observations_issued", preliminary_observations=["Revoir le recul.", "Réduire R+3."],
        attached_note=False))
    assert "- Revoir le recul.\n- Réduire R+3." in pre_study.text and "<li>Réduire R+3.</li>" in pre_study.html
    note = renderer.render("decision", "ar", context("decision", outcome="note_issued", attached_note=True))
    assert "مذكرة المعلومات التعميرية" in note.text and "تسليم مذكرة المعلومات التعميرية" in note.text
    letter = renderer.render("decision", "fr", context("decision", outcome="rejected", documents=[{"code": "X"}]))
    assert "La lettre de décision est jointe" in letter.text and "renseignements" not in letter.text
    # A context recorded before these variables existed still renders (resending old deliveries).
    assert "PDF" not in renderer.render("decision", "fr", context("decision")).text


def test_kind_and_document_labels_come_from_the_shared_catalogue_and_codes_from_the_vocabulary():
    catalogue = default_catalogue()
    for code, kind in catalogue.kinds.items():
        assert catalogue.kind_name(code, "fr") == kind.fr and catalogue.kind_name(code, "ar") == kind.ar
    assert catalogue.document_name("situation_plan", "ar") == catalogue.documents["situation_plan"].ar
    assert catalogue.document_name(None, "fr") == "Autre pièce"
    assert catalogue.kind_name("new_kind", "fr") == "new kind"
    assert name(Family.OUTCOMES, "referred_elsewhere", "ar") == "referred elsewhere"
    assert name(Family.DEADLINES, "to_committee", "ar") == "الإحالة على اللجنة"
    assert name(Family.STATUSES, "awaiting_applicant", "fr") == "En attente de la réponse du demandeur"


def test_durations_are_written_as_the_law_counts_them():
    assert days(10, "working_days", "fr") == "10 jours ouvrables"
    assert days(1, "working_days", "fr") == "1 jour ouvrable"
    assert days(25, "calendar_days", "fr") == "25 jours"
    assert days(10, "working_days", "ar") == "10 أيام عمل"
    assert days(2, "working_days", "ar") == "يوما عمل"
    assert days(3, "calendar_days", "ar") == "3 أيام"
    assert days(60, "calendar_days", "ar") == "60 يوما"
    assert days(103, "calendar_days", "ar") == "103 أيام"


def test_legal_deadlines_follow_the_catalogue_rules_for_the_filing():
    calendar = WorkingCalendar()
    monday = datetime(2025, 7, 28, 9, 0, tzinfo=UTC)  # Throne Day, Wednesday 30 July, is a holiday
    [note] = legal_deadlines(default_catalogue(), calendar, "information_note", {}, monday)
    assert (note.name, note.days, note.unit) == ("decision", 10, "working_days")
    assert note.due_on.isoformat() == "2025-08-12"  # two weekends and the holiday skipped
    large = legal_deadlines(default_catalogue(), calendar, "building_permit", {"project_size": "large"}, monday)
    assert [(d.name, d.days, d.due_on.isoformat()) for d in large] == [
        ("to_committee", 3, "2025-08-01"), ("decision", 25, "2025-08-22")]
    small = legal_deadlines(default_catalogue(), calendar, "building_permit", {"project_size": "small"}, monday)
    assert [d.days for d in small] == [3, 10]
    assert legal_deadlines(default_catalogue(), calendar, "unknown_kind", {}, monday) == []


def test_built_message_is_one_multipart_alternative_with_headers(renderer):
    email = renderer.render("receipt", "ar", context("receipt"))
    did = delivery_id(UUID("00000000-0000-0000-0000-000000000001"), "receipt", "fz@example.ma")
    message = build_message(email, mail_from="Agence urbaine <no-reply@lamadi.local>", to_address="fz@example.ma",
                            to_name="فاطمة الزهراء", message_id=message_id(did, "lamadi.local"),
                            date=datetime(2025, 6, 3, 9, 30, tzinfo=UTC))
    parsed = message_from_bytes(message.as_bytes(), policy=default_policy)
    assert parsed.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert parsed["Message-ID"] == f"<{did}@lamadi.local>"
    assert parsed["Content-Language"] == "ar"
    assert TRACKING in parsed["Subject"]
    assert parsed["To"].addresses[0].addr_spec == "fz@example.ma"
    assert 'dir="rtl"' in parsed.get_body(("html",)).get_content()


def test_attachments_make_the_message_multipart_mixed_after_the_alternative(renderer):
    email = renderer.render("receipt", "fr", context("receipt"))
    pdf = Attachment("recepisse-UA-2025-000123.pdf", b"%PDF-1.4 test")
    message = build_message(email, mail_from="no-reply@lamadi.local", to_address="fz@example.ma", to_name="FZ",
                            message_id="<x@lamadi.local>", date=datetime(2025, 6, 3, 9, 30, tzinfo=UTC),
                            attachments=[pdf])
    parsed = message_from_bytes(message.as_bytes(), policy=default_policy)
    assert parsed.get_content_type() == "multipart/mixed"
    assert [part.get_content_type() for part in parsed.iter_parts()] == ["multipart/alternative", "application/pdf"]
    [attached] = list(parsed.iter_attachments())
    assert attached.get_filename() == "recepisse-UA-2025-000123.pdf"
    assert attached.get_content() == b"%PDF-1.4 test"
    assert parsed["X-Lamadi-Template"] == "receipt" and parsed["Content-Language"] == "fr"
    assert "accuse réception" in parsed.get_body(("plain",)).get_content()


def test_delivery_id_is_stable_per_event_template_and_recipient():
    event = UUID("00000000-0000-0000-0000-000000000002")
    assert delivery_id(event, "receipt", "a@x.ma") == delivery_id(event, "receipt", "a@x.ma")
    assert delivery_id(event, "receipt", "a@x.ma") != delivery_id(event, "decision", "a@x.ma")
    assert delivery_id(event, "receipt", "a@x.ma") != delivery_id(event, "receipt", "b@x.ma")


def test_a_pending_delivery_cannot_be_resent():
    with pytest.raises(DeliveryPending):
        ensure_resendable("pending")
    ensure_resendable("sent")
    ensure_resendable("failed")


def test_dates_are_written_in_the_agency_time_zone():
    # 23:30 UTC on 2 June is already 3 June in Casablanca (UTC+1).
    assert local_date(datetime(2025, 6, 2, 23, 30, tzinfo=UTC)) == "03/06/2025"
    assert local_datetime(datetime(2025, 6, 9, 22, 59, tzinfo=UTC)) == "09/06/2025 à 23:59"


def test_the_notifiers_pool_outnumbers_what_both_its_queues_hold_in_flight():
    from pydantic import ValidationError

    from services.notifier.settings import NotifierSettings

    assert NotifierSettings(prefetch=4, database_pool_max=10).prefetch == 4
    with pytest.raises(ValidationError, match="2 × LAMADI_PREFETCH"):
        NotifierSettings(prefetch=5, database_pool_max=10)  # 5 in flight per queue, 2 queues: 10 + ledger
