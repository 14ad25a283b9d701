"""Every notifier email renders in Arabic and French, and builds into one MIME message."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default as default_policy
from uuid import UUID

import pytest
from jinja2 import UndefinedError

from services.notifier.domain.deliveries import DeliveryPending, delivery_id, ensure_resendable
from services.notifier.domain.emails import (
    LANGUAGES,
    TEMPLATES,
    EmailRenderer,
    build_message,
    local_date,
    message_id,
)
from services.notifier.domain.labels import KIND_LABELS, kind_label, outcome_label

TRACKING = "UA-2025-000123"
CONTEXTS = {
    "receipt": {"received_on": "03/06/2025"},
    "observations": {"observations": "Veuillez joindre le plan de situation.\nLe plan de masse est illisible."},
    "decision": {"outcome": "approved_with_conditions", "text": "يرخص بالبناء مع احترام خط التصفيف."},
    "withdrawal": {"reason": "Projet abandonné"},
}


def context(template: str, **overrides) -> dict:
    return {"full_name": "Fatima Zahra El Idrissi", "tracking_number": TRACKING, "kind": "building_permit",
            **CONTEXTS[template], **overrides}


@pytest.fixture(scope="module")
def renderer() -> EmailRenderer:
    return EmailRenderer()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_renders_subject_text_and_html(renderer, template, language):
    email = renderer.render(template, language, context(template))
    assert TRACKING in email.subject
    assert "\n" not in email.subject and "{" not in email.subject
    assert email.text.strip() and TRACKING in email.text
    assert TRACKING in email.html
    assert kind_label("building_permit", language) in email.text
    assert kind_label("building_permit", language) in email.html
    assert "Fatima Zahra El Idrissi" in email.text


@pytest.mark.parametrize("template", TEMPLATES)
def test_arabic_html_is_right_to_left_and_french_left_to_right(renderer, template):
    arabic = renderer.render(template, "ar", context(template))
    french = renderer.render(template, "fr", context(template))
    assert '<html lang="ar" dir="rtl">' in arabic.html
    assert '<html lang="fr" dir="ltr">' in french.html
    assert "الوكالة الحضرية" in arabic.text
    assert "Agence urbaine" in french.text


def test_event_specific_text_reaches_both_parts(renderer):
    observations = renderer.render("observations", "fr", context("observations"))
    assert "Le plan de masse est illisible." in observations.text
    assert "Le plan de masse est illisible." in observations.html
    decision = renderer.render("decision", "ar", context("decision"))
    assert "يرخص بالبناء مع احترام خط التصفيف." in decision.text
    assert "الموافقة مع شروط" in decision.text
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


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_a_missing_variable_fails_loudly(renderer, template, language):
    incomplete = context(template)
    del incomplete["tracking_number"]
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


def test_every_kind_of_the_catalogue_has_both_labels():
    assert set(KIND_LABELS) == {"information_note", "complaint", "pre_study", "building_permit",
                                "subdivision_permit", "supplier_invoice"}
    for labels in KIND_LABELS.values():
        assert labels["fr"] and labels["ar"] and labels["fr"] != labels["ar"]
    assert kind_label("new_kind", "fr") == "new kind"
    assert outcome_label("referred_elsewhere", "ar") == "referred elsewhere"


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
    assert local_date(datetime(2025, 6, 2, 23, 30, tzinfo=UTC), "Africa/Casablanca") == "03/06/2025"
