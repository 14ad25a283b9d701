"""The notifier against the real PostgreSQL, RabbitMQ and SMTP mail catcher."""

from __future__ import annotations

import io
import unicodedata
from collections import Counter
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from prometheus_client import REGISTRY
from pypdf import PdfReader

from shared.envelope import Envelope
from shared.events import (
    CommitteeOpinionPublished,
    DocumentRef,
    ReviewDeadlineApproaching,
    ReviewDeadlineBreached,
    ReviewDecided,
    ReviewObservationsIssued,
    ReviewStepRecorded,
    SubmissionContested,
    SubmissionReceived,
)
from shared.messaging.topology import queues_of
from tests.builders import enveloped, received, review_event, withdrawn
from tests.support import emails_about, free_port, wait_until

QUEUE, STAFF_QUEUE = queues_of("notifier")
assert (QUEUE.purpose, STAFF_QUEUE.purpose) == ("applicant-emails", "staff-alerts")
STAFF = "supervision@agence-urbaine.local"
DOCUMENTS = [
    DocumentRef(name="plans.pdf", type="architectural_plans", sha256="a1" * 32, size=120_000,
                content_type="application/pdf"),
    DocumentRef(name="situation.png", type="situation_plan", sha256="b2" * 32, size=4_000, content_type="image/png"),
]
# The filings of this module: filed on Tuesday 3 June 2025 with these two documents.
FILED = {"at": datetime(2025, 6, 3, 9, 30, tzinfo=UTC), "documents": DOCUMENTS}


def pdf_text(mail, prefix: str = "") -> tuple[str, str]:
    """The one PDF attached to a mail whose file name starts with ``prefix``: its file name and
    its text (NFKC)."""
    [attachment] = [a for a in mail.iter_attachments() if a.get_filename().startswith(prefix)]
    assert attachment.get_content_type() == "application/pdf"
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return attachment.get_filename(), unicodedata.normalize("NFKC", text)


def templates_sent(mailcatcher, tracking: str) -> Counter:
    return Counter(m["X-Lamadi-Template"] for m in emails_about(mailcatcher, tracking))


def consumed(event_type: str, outcome: str, queue: str = QUEUE.name) -> float:
    value = REGISTRY.get_sample_value(
        "lamadi_events_consumed_total", {"queue": queue, "type": event_type, "outcome": outcome}
    )
    return value or 0.0


async def test_a_filing_gets_one_receipt_in_the_applicants_language(notifier, broker, mailcatcher):
    runtime = notifier.runtime
    french = received("UA-2025-000101", "building_permit", language="fr", **FILED)
    arabic = received("UA-2025-000102", "building_permit", language="ar", **FILED)
    await broker.publish(french)
    await broker.publish(arabic)
    await wait_until(lambda: len(mailcatcher.messages()) == 2, message="two receipts")

    [fr_mail] = emails_about(mailcatcher, "UA-2025-000101")
    assert fr_mail.get_content_type() == "multipart/mixed"
    assert [p.get_content_type() for p in fr_mail.iter_parts()] == ["multipart/alternative", "application/pdf"]
    assert fr_mail["Content-Language"] == "fr"
    assert fr_mail["X-Lamadi-Template"] == "receipt"
    assert fr_mail["To"].addresses[0].addr_spec == "ua-2025-000101@example.ma"
    assert "Accusé de réception" in fr_mail["Subject"]
    assert "Autorisation de construire" in fr_mail.get_body(("plain",)).get_content()
    assert "03/06/2025" in fr_mail.get_body(("plain",)).get_content()
    filename, receipt = pdf_text(fr_mail)
    assert filename == "recepisse-UA-2025-000101.pdf"
    assert "Récépissé de dépôt" in receipt and "UA-2025-000101" in receipt
    assert "Autorisation de construire" in receipt and "رخصة البناء" in receipt
    assert f"SHA-256: {'a1' * 32}" in receipt and "Plans architecturaux" in receipt
    # Small project: to the committee in 3 working days (Eid al-Adha and a weekend skipped), decision in 10 days.
    assert "Transmission à la commission : 3 jours ouvrables, soit au plus tard le 09/06/2025." in receipt
    assert "Décision : 10 jours, soit au plus tard le 13/06/2025." in receipt
    assert "loi n° 55-19" in receipt

    [ar_mail] = emails_about(mailcatcher, "UA-2025-000102")
    assert ar_mail["Content-Language"] == "ar"
    assert "إشعار بالتوصل" in ar_mail["Subject"]
    assert 'dir="rtl"' in ar_mail.get_body(("html",)).get_content()
    _, ar_receipt = pdf_text(ar_mail)
    assert "وصل الإيداع" in ar_receipt and "UA-2025-000102" in ar_receipt and "رخصة البناء" in ar_receipt

    pool = runtime.pool
    delivery = await wait_until(
        lambda: pool.fetchrow("SELECT * FROM deliveries WHERE event_id = $1 AND status = 'sent'", french.id),
        message="delivery marked sent",
    )
    # A delivery is marked sent as soon as the mail server takes it, before its event's own
    # transaction commits (with the recipient and the announcement): wait for both commits.
    await wait_until(lambda: pool.fetchval("SELECT count(*) = 2 FROM inbox"), message="both events committed")
    assert (delivery["template"], delivery["attempts"], delivery["language"]) == ("receipt", 1, "fr")
    assert fr_mail["Message-ID"] == f"<{delivery['id']}@lamadi.local>" == delivery["message_id"]
    assert await pool.fetchval("SELECT language FROM recipients WHERE tracking_number = 'UA-2025-000102'") == "ar"
    sent = await pool.fetchrow("SELECT envelope FROM outbox WHERE routing_key = 'notification.sent.v1' "
                               "AND envelope->'data'->>'delivery_id' = $1", str(delivery["id"]))
    assert sent["envelope"]["data"]["cause_event_id"] == str(french.id)
    assert sent["envelope"]["causation_id"] == str(french.id)
    assert sent["envelope"]["correlation_id"] == "corr-UA-2025-000101"


async def test_the_same_event_twice_sends_one_email(notifier, broker, mailcatcher):
    runtime = notifier.runtime
    event = received("UA-2025-000201", "building_permit", **FILED)
    duplicates = consumed(SubmissionReceived.TYPE, "duplicate")
    await broker.publish(event)
    await broker.publish(event)
    await wait_until(lambda: consumed(SubmissionReceived.TYPE, "duplicate") == duplicates + 1,
                     message="the second copy seen as a duplicate")
    assert len(emails_about(mailcatcher, "UA-2025-000201")) == 1
    assert await runtime.pool.fetchval("SELECT count(*) FROM deliveries WHERE event_id = $1", event.id) == 1


async def test_the_delivery_ledger_stops_a_resend_even_without_the_inbox_row(notifier, broker, mailcatcher):
    runtime = notifier.runtime
    event = received("UA-2025-000202", "building_permit", **FILED)
    await broker.publish(event)
    await wait_until(lambda: runtime.pool.fetchval(
        "SELECT status = 'sent' FROM deliveries WHERE event_id = $1", event.id), message="receipt sent")
    await wait_until(lambda: runtime.pool.fetchval(  # and its event's transaction committed
        "SELECT count(*) = 1 FROM inbox WHERE event_id = $1", event.id), message="receipt event committed")
    await runtime.pool.execute("DELETE FROM inbox WHERE event_id = $1", event.id)
    handled = consumed(SubmissionReceived.TYPE, "handled")
    await broker.publish(event)
    await wait_until(lambda: consumed(SubmissionReceived.TYPE, "handled") == handled + 1, message="handled again")
    assert len(emails_about(mailcatcher, "UA-2025-000202")) == 1
    assert await runtime.pool.fetchval("SELECT attempts FROM deliveries WHERE event_id = $1", event.id) == 1


async def test_observations_decision_and_withdrawal_emails(notifier, broker, mailcatcher):
    runtime = notifier.runtime
    tracking = "UA-2025-000301"
    await broker.publish(received(tracking, "building_permit", language="ar", **FILED))
    await wait_until(lambda: len(emails_about(mailcatcher, tracking)) == 1, message="receipt")
    await broker.publish(review_event(ReviewObservationsIssued, tracking, "building_permit",
                                      status="awaiting_applicant", observations="يرجى الإدلاء بتصميم الموقع."))
    await broker.publish(review_event(ReviewDecided, tracking, "building_permit", status="decided", outcome="approved",
                                      text="يرخص بالبناء وفق التصاميم المؤشر عليها."))
    await broker.publish(withdrawn(tracking, "building_permit"))
    await wait_until(lambda: len(emails_about(mailcatcher, tracking)) == 4, message="four emails")

    by_subject = {str(m["Subject"]): m for m in emails_about(mailcatcher, tracking)}
    observations = next(m for s, m in by_subject.items() if s.startswith("ملاحظات"))
    assert "يرجى الإدلاء بتصميم الموقع." in observations.get_body(("plain",)).get_content()
    decision = next(m for s, m in by_subject.items() if s.startswith("قرار"))
    body = decision.get_body(("plain",)).get_content()
    assert "يرخص بالبناء وفق التصاميم المؤشر عليها." in body and "الموافقة" in body
    assert any(s.startswith("تأكيد سحب") for s in by_subject)
    await wait_until(lambda: runtime.pool.fetchval(
        "SELECT count(*) = 4 FROM deliveries WHERE tracking_number = $1 AND status = 'sent'", tracking),
        message="four deliveries sent")
    templates = {r["template"] for r in await runtime.pool.fetch(
        "SELECT template FROM deliveries WHERE tracking_number = $1", tracking)}
    assert templates == {"receipt", "observations", "decision", "withdrawal"}


@pytest.fixture
def slow_retries(env, monkeypatch):
    # Generous delays so the filing surely arrives while the early event waits in a retry queue.
    # After ``env``, which sets the suite's fast delays: set before it, this was overwritten, and
    # the test depended on the receipt winning a 0.7 s race.
    monkeypatch.setenv("LAMADI_RETRY_DELAYS", "[1.0, 3.0, 5.0]")


async def test_an_event_before_its_filing_is_retried_until_the_recipient_is_known(
    slow_retries, env, notifier, broker, mailcatcher
):
    tracking = "UA-2025-000401"
    retried = consumed(ReviewDecided.TYPE, "retried")
    await broker.publish(review_event(ReviewDecided, tracking, "building_permit", status="decided", outcome="rejected",
                                      text="Le projet ne respecte pas le plan d'aménagement."))
    await wait_until(lambda: consumed(ReviewDecided.TYPE, "retried") > retried, message="decision retried")
    await broker.publish(received(tracking, "building_permit", **FILED))
    await wait_until(lambda: len(emails_about(mailcatcher, tracking)) == 2, message="receipt and decision")
    decision = next(m for m in emails_about(mailcatcher, tracking) if str(m["Subject"]).startswith("Décision"))
    assert "Défavorable" in decision.get_body(("plain",)).get_content()


async def test_an_unreachable_mail_server_means_retries_then_parked_and_failed(
    unreachable_smtp, notifier, broker, mailcatcher
):
    client, runtime = notifier.as_staff("supervisor", sub="supervisor-1"), notifier.runtime
    assert runtime.settings.smtp_port == unreachable_smtp
    event = received("UA-2025-000501", "building_permit", **FILED)
    await broker.publish(event)

    parked = await broker.channel.declare_queue(QUEUE.parked, durable=True, passive=True)
    message = await wait_until(lambda: parked.get(fail=False), message="parked message")
    assert Envelope.model_validate_json(message.body).id == event.id
    assert "MailNotSent" in message.headers["x-lamadi-error"]
    await message.ack()

    pool = runtime.pool
    delivery = await pool.fetchrow("SELECT * FROM deliveries WHERE event_id = $1", event.id)
    assert delivery["status"] == "failed"
    assert delivery["attempts"] == 3  # first try and two retries
    assert "SMTPConnect" in delivery["last_error"]
    failed = await pool.fetchrow("SELECT envelope FROM outbox WHERE routing_key = 'notification.failed.v1'")
    assert failed["envelope"]["data"]["delivery_id"] == str(delivery["id"])
    assert failed["envelope"]["data"]["cause_event_id"] == str(event.id)
    assert failed["envelope"]["data"]["template"] == "receipt"
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE routing_key = 'notification.sent.v1'") == 0
    assert mailcatcher.messages() == []

    listed = (await client.get("/api/v1/deliveries", params={"status": "failed"})).json()
    assert [item["id"] for item in listed["items"]] == [str(delivery["id"])]

    # The mail server is back: an operator resends, and the delivery is sent after all.
    runtime.settings.smtp_port = mailcatcher.port
    answer = await client.post(f"/api/v1/deliveries/{delivery['id']}/resend")
    assert answer.status_code == 200, answer.text
    assert (answer.json()["status"], answer.json()["attempts"]) == ("sent", 4)
    [mail] = mailcatcher.messages()
    assert mail["Message-ID"] == delivery["message_id"]
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE routing_key = 'notification.sent.v1'") == 1


async def test_deliveries_api_lists_filters_and_resends(notifier, broker, mailcatcher):
    client, runtime = notifier.as_staff("supervisor", sub="supervisor-1"), notifier.runtime
    first = received("UA-2025-000601", "building_permit", **FILED)
    second = received("UA-2025-000602", "building_permit", language="ar", **FILED)
    await broker.publish(first)
    await wait_until(lambda: runtime.pool.fetchval(
        "SELECT count(*) = 1 FROM deliveries WHERE status = 'sent'"), message="first sent")
    await broker.publish(second)
    await wait_until(lambda: runtime.pool.fetchval(
        "SELECT count(*) = 2 FROM deliveries WHERE status = 'sent'"), message="both sent")
    await wait_until(lambda: runtime.pool.fetchval("SELECT count(*) = 2 FROM inbox"), message="both announced")

    assert (await client.get("/api/v1/deliveries", headers={"Authorization": ""})).status_code == 401
    forbidden = await client.get("/api/v1/deliveries", headers=notifier.auth("reviewer", sub="r1"))
    assert forbidden.status_code == 403
    assert (await client.get("/api/v1/deliveries", headers=notifier.auth("supervisor", sub="s1"))).status_code == 200

    page = (await client.get("/api/v1/deliveries")).json()
    assert page["total"] == 2
    assert [item["tracking_number"] for item in page["items"]] == ["UA-2025-000602", "UA-2025-000601"]
    item = page["items"][1]
    assert item["recipient"] == "ua-2025-000601@example.ma" and item["template"] == "receipt"
    assert "context" not in item and "full_name" not in item
    only = (await client.get("/api/v1/deliveries", params={"tracking_number": "UA-2025-000601"})).json()
    assert [i["tracking_number"] for i in only["items"]] == ["UA-2025-000601"]
    assert (await client.get("/api/v1/deliveries", params={"template": "decision"})).json()["items"] == []
    paged = (await client.get("/api/v1/deliveries", params={"limit": 1, "offset": 1})).json()
    assert [i["tracking_number"] for i in paged["items"]] == ["UA-2025-000601"]
    bad = await client.get("/api/v1/deliveries", params={"status": "lost"})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"

    resent = await client.post(f"/api/v1/deliveries/{item['id']}/resend")
    assert resent.status_code == 200, resent.text
    assert (resent.json()["status"], resent.json()["attempts"]) == ("sent", 2)
    copies = emails_about(mailcatcher, "UA-2025-000601")
    assert len(copies) == 2
    assert copies[0]["Message-ID"] == copies[1]["Message-ID"] == item["message_id"]
    assert copies[0].get_body(("plain",)).get_content() == copies[1].get_body(("plain",)).get_content()
    [first_pdf], [second_pdf] = (list(copy.iter_attachments()) for copy in copies)
    assert first_pdf.get_content() == second_pdf.get_content()  # the same receipt, byte for byte
    # Resending something already sent tells nobody anything new.
    assert await runtime.pool.fetchval(
        "SELECT count(*) FROM outbox WHERE routing_key = 'notification.sent.v1'") == 2

    # The mail server is down: the operator is told, the attempt is counted, the status stays.
    runtime.settings.smtp_port = free_port()
    unavailable = await client.post(f"/api/v1/deliveries/{item['id']}/resend")
    assert unavailable.status_code == 502
    after = await runtime.pool.fetchrow("SELECT status, attempts, last_error FROM deliveries WHERE id = $1",
                                        item["id"])
    assert (after["status"], after["attempts"]) == ("sent", 3) and after["last_error"]
    runtime.settings.smtp_port = mailcatcher.port

    assert (await client.post(f"/api/v1/deliveries/{uuid4()}/resend")).status_code == 404
    await runtime.pool.execute("UPDATE deliveries SET status = 'pending' WHERE id = $1", page["items"][0]["id"])
    conflict = await client.post(f"/api/v1/deliveries/{page['items'][0]['id']}/resend")
    assert conflict.status_code == 409
    assert len(emails_about(mailcatcher, "UA-2025-000602")) == 1


async def test_an_information_note_decision_carries_the_note_pdf_with_the_filed_parcel(notifier, broker, mailcatcher):
    tracking = "UA-2025-000701"
    await broker.publish(received(tracking, "information_note", language="fr",
                                  details={"land_title": "TF 4521/K", "commune": "Khénifra"}, **FILED))
    await wait_until(lambda: len(emails_about(mailcatcher, tracking)) == 1, message="receipt")
    note = {"zoning": "منطقة سكنية مسترسلة", "allowed_height_m": 11.5, "setbacks": "أربعة أمتار على الواجهة",
            "servitudes": "ارتفاق عدم البناء على طول قناة الري", "remarks": None}
    await broker.publish(review_event(ReviewDecided, tracking, "information_note", status="decided",
                                      outcome="note_issued", text="تسلم المذكرة.", note=note))
    decision = await wait_until(lambda: next((m for m in emails_about(mailcatcher, tracking)
                                              if m["X-Lamadi-Template"] == "decision"), None), message="decision")
    assert "Note de renseignements urbanistiques" in decision.get_body(("plain",)).get_content()
    assert "jointe à ce courriel" in decision.get_body(("plain",)).get_content()
    assert len(list(decision.iter_attachments())) == 2  # the decision letter and the note
    filename, text = pdf_text(decision, "note-")
    assert filename == f"note-renseignements-{tracking}.pdf"
    assert "مذكرة المعلومات التعميرية" in text and tracking in text
    assert "TF 4521/K" in text and "Khénifra" in text  # kept from submission.received
    assert "ارتفاق عدم البناء على طول قناة الري" in text and "11.5" in text

    # A decision of another outcome carries its decision letter alone, in the applicant's language.
    other = "UA-2025-000702"
    await broker.publish(received(other, "information_note", language="ar", **FILED))
    await broker.publish(review_event(ReviewDecided, other, "information_note", status="decided",
                                      outcome="rejected", text="العقار خارج نطاق وثائق التعمير."))
    rejected = await wait_until(lambda: next((m for m in emails_about(mailcatcher, other)
                                              if m["X-Lamadi-Template"] == "decision"), None), message="rejection")
    [letter] = list(rejected.iter_attachments())
    assert letter.get_filename().endswith(f"{other}.pdf") and not letter.get_filename().startswith("note-")


async def test_each_new_applicant_email_is_sent_once_per_event(notifier, broker, mailcatcher):
    runtime = notifier.runtime
    invoice, permit = "UA-2025-000801", "UA-2025-000802"
    await broker.publish(received(invoice, "supplier_invoice", language="fr", details={"ice": "x"}, **FILED))
    await broker.publish(received(permit, "building_permit", language="ar", **FILED))
    await wait_until(lambda: len(mailcatcher.messages()) == 2, message="two receipts")

    verified = review_event(ReviewStepRecorded, invoice, "supplier_invoice", status="in_review",
                            step="verified", note="Facture conforme au bon de commande.")
    approved = review_event(ReviewStepRecorded, invoice, "supplier_invoice", status="in_review",
                            step="approved_for_payment")
    adjourned = review_event(CommitteeOpinionPublished, permit, "building_permit", status="in_committee",
                             opinion="adjourned", motive="يتعين الإدلاء بتصميم الواجهات.", session_date=date(2025, 6, 12))
    favourable = review_event(CommitteeOpinionPublished, permit, "building_permit", status="decided",
                              opinion="favourable", motive="مطابق لتصميم التهيئة.")
    contested = enveloped(SubmissionContested(tracking_number=permit, kind="building_permit", motive="الرفض غير مبرر."))
    types = (ReviewStepRecorded.TYPE, CommitteeOpinionPublished.TYPE, SubmissionContested.TYPE)
    duplicates = {t: consumed(t, "duplicate") for t in types}
    handled = consumed(CommitteeOpinionPublished.TYPE, "handled")
    for event in (verified, approved, adjourned, favourable, contested, verified, adjourned, contested):
        await broker.publish(event)  # the last three again: duplicates
    await wait_until(lambda: len(mailcatcher.messages()) == 6, message="four new emails")
    await wait_until(lambda: consumed(CommitteeOpinionPublished.TYPE, "handled") == handled + 2,
                     message="both opinions handled")
    await wait_until(lambda: all(consumed(t, "duplicate") == duplicates[t] + 1 for t in types),
                     message="each duplicate seen")

    assert templates_sent(mailcatcher, invoice) == {"receipt": 1, "invoice_step": 2}
    assert templates_sent(mailcatcher, permit) == {"receipt": 1, "committee_adjourned": 1, "contest_received": 1}
    steps = [m for m in emails_about(mailcatcher, invoice) if m["X-Lamadi-Template"] == "invoice_step"]
    bodies = sorted(m.get_body(("plain",)).get_content() for m in steps)
    assert any("Facture vérifiée" in b and "Facture conforme au bon de commande." in b for b in bodies)
    assert any("Facture approuvée pour paiement" in b for b in bodies)
    by_template = {m["X-Lamadi-Template"]: m for m in emails_about(mailcatcher, permit)}
    adjourned_mail = by_template["committee_adjourned"]
    assert adjourned_mail["Content-Language"] == "ar"
    assert "12/06/2025" in adjourned_mail.get_body(("plain",)).get_content()
    assert "يتعين الإدلاء بتصميم الواجهات." in adjourned_mail.get_body(("plain",)).get_content()
    assert "الرفض غير مبرر." in by_template["contest_received"].get_body(("plain",)).get_content()
    assert "مطابق لتصميم التهيئة." not in repr([m.get_body(("plain",)).get_content() for m in mailcatcher.messages()])
    rows = await runtime.pool.fetch("SELECT template, status FROM deliveries ORDER BY template")
    assert Counter(r["template"] for r in rows) == {"receipt": 2, "invoice_step": 2, "committee_adjourned": 1,
                                                     "contest_received": 1}


async def test_deadline_alerts_go_to_the_staff_address_in_french(notifier, broker, mailcatcher):
    runtime = notifier.runtime
    tracking = "UA-2025-000901"  # no submission.received needed: staff alerts need no applicant
    due = datetime(2025, 6, 9, 22, 59, 59, tzinfo=UTC)
    approaching = review_event(ReviewDeadlineApproaching, tracking, "building_permit", status="in_review",
                               deadline="to_committee", due_at=due)
    breached = review_event(ReviewDeadlineBreached, tracking, "building_permit", status="in_review",
                            deadline="to_committee", due_at=due)
    duplicates = consumed(ReviewDeadlineBreached.TYPE, "duplicate", STAFF_QUEUE.name)
    await broker.publish(approaching)
    await broker.publish(breached)
    await broker.publish(breached)
    await wait_until(lambda: len(emails_about(mailcatcher, tracking)) == 2, message="two staff alerts")
    await wait_until(lambda: consumed(ReviewDeadlineBreached.TYPE, "duplicate", STAFF_QUEUE.name) == duplicates + 1,
                     message="the duplicate alert seen")
    mails = emails_about(mailcatcher, tracking)
    assert len(mails) == 2
    for mail in mails:
        assert mail["To"].addresses[0].addr_spec == STAFF
        assert mail["X-Lamadi-Template"] == "staff_alert" and mail["Content-Language"] == "fr"
    subjects = {str(m["Subject"]).split(" : ")[0] for m in mails}
    assert subjects == {"Échéance proche", "Délai dépassé"}  # the deadline states, as the pages name them
    body = next(m for m in mails if str(m["Subject"]).startswith("Délai dépassé")).get_body(("plain",)).get_content()
    assert "Transmission à la commission" in body and "09/06/2025 à 23:59" in body
    assert "« En cours d'instruction »" in body and "Autorisation de construire" in body
    rows = await runtime.pool.fetch("SELECT recipient, template, status FROM deliveries WHERE tracking_number = $1",
                                    tracking)
    assert {(r["recipient"], r["template"]) for r in rows} == {(STAFF, "staff_alert")} and len(rows) == 2
    await wait_until(lambda: runtime.pool.fetchval(
        "SELECT count(*) = 2 FROM deliveries WHERE tracking_number = $1 AND status = 'sent'", tracking),
        message="both alerts marked sent")


@pytest.fixture
def other_staff_address(env, monkeypatch):
    monkeypatch.setenv("LAMADI_STAFF_ALERT_EMAIL", "delais@khenifra.agence-urbaine.local")


async def test_the_staff_alert_address_is_a_setting(other_staff_address, notifier, broker, mailcatcher):
    tracking = "UA-2025-000902"
    await broker.publish(review_event(ReviewDeadlineBreached, tracking, "complaint", status="queued",
                                      deadline="decision", due_at=datetime(2025, 8, 1, 22, 59, tzinfo=UTC)))
    [mail] = await wait_until(lambda: emails_about(mailcatcher, tracking), message="staff alert")
    assert mail["To"].addresses[0].addr_spec == "delais@khenifra.agence-urbaine.local"
    assert "Décision" in str(mail["Subject"])
