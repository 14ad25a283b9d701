"""The notifier against the real PostgreSQL, RabbitMQ and SMTP mail catcher."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from prometheus_client import REGISTRY

from services.notifier.bootstrap import build_app
from services.notifier.settings import NotifierSettings
from shared.auth import issue_token
from shared.envelope import Envelope
from shared.events import (
    Applicant,
    ReviewDecided,
    ReviewObservationsIssued,
    SubmissionReceived,
    SubmissionWithdrawn,
)
from shared.messaging.topology import queues_of
from tests.support import free_port, running_app, wait_until

QUEUE = queues_of("notifier")[0]
assert QUEUE.purpose == "applicant-emails"


def received(tracking: str, *, language: str = "fr", kind: str = "building_permit") -> Envelope:
    data = SubmissionReceived(
        tracking_number=tracking, kind=kind, received_at=datetime(2025, 6, 3, 9, 30, tzinfo=UTC),
        applicant=Applicant(full_name="Fatima Zahra El Idrissi", email=f"{tracking.lower()}@example.ma",
                            language=language),
        details={"commune": "Khénifra"},
    )
    return Envelope.new(data, source="intake", subject=tracking, correlation_id=f"corr-{tracking}")


def review_event(model, tracking: str, **fields) -> Envelope:
    data = model(task_id=uuid4(), tracking_number=tracking, kind="building_permit", version=3, **fields)
    return Envelope.new(data, source="review", subject=tracking, correlation_id=f"corr-{tracking}")


def consumed(event_type: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "lamadi_events_consumed_total", {"queue": QUEUE.name, "type": event_type, "outcome": outcome}
    )
    return value or 0.0


def emails_to(mailcatcher, tracking: str) -> list:
    return [m for m in mailcatcher.messages() if tracking in str(m["Subject"])]



@pytest.fixture
def settings(env) -> NotifierSettings:
    return NotifierSettings()


@pytest.fixture
async def notifier(settings, broker):
    app = build_app(settings)
    async with running_app(app) as client:
        await wait_until(lambda: _ready(client), message="notifier ready")
        client.headers["Authorization"] = "Bearer " + issue_token(
            settings.jwt_secret.get_secret_value(), sub="ops-1", roles=["ops"]
        )
        yield client, app.state.runtime


async def _ready(client) -> bool:
    return (await client.get("/readyz")).status_code == 200


async def test_a_filing_gets_one_receipt_in_the_applicants_language(notifier, broker, mailcatcher):
    client, runtime = notifier
    french, arabic = received("UA-2025-000101", language="fr"), received("UA-2025-000102", language="ar")
    await broker.publish(french)
    await broker.publish(arabic)
    await wait_until(lambda: len(mailcatcher.messages()) == 2, message="two receipts")

    [fr_mail] = emails_to(mailcatcher, "UA-2025-000101")
    assert fr_mail.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in fr_mail.iter_parts()] == ["text/plain", "text/html"]
    assert fr_mail["Content-Language"] == "fr"
    assert fr_mail["To"].addresses[0].addr_spec == "ua-2025-000101@example.ma"
    assert "Accusé de réception" in fr_mail["Subject"]
    assert "Autorisation de construire" in fr_mail.get_body(("plain",)).get_content()
    assert "03/06/2025" in fr_mail.get_body(("plain",)).get_content()

    [ar_mail] = emails_to(mailcatcher, "UA-2025-000102")
    assert ar_mail["Content-Language"] == "ar"
    assert "إشعار بالتوصل" in ar_mail["Subject"]
    assert 'dir="rtl"' in ar_mail.get_body(("html",)).get_content()

    pool = runtime.pool
    delivery = await wait_until(
        lambda: pool.fetchrow("SELECT * FROM deliveries WHERE event_id = $1 AND status = 'sent'", french.id),
        message="delivery marked sent",
    )
    assert (delivery["template"], delivery["attempts"], delivery["language"]) == ("receipt", 1, "fr")
    assert fr_mail["Message-ID"] == f"<{delivery['id']}@lamadi.local>" == delivery["message_id"]
    assert await pool.fetchval("SELECT language FROM recipients WHERE tracking_number = 'UA-2025-000102'") == "ar"
    sent = await pool.fetchrow("SELECT envelope FROM outbox WHERE routing_key = 'notification.sent.v1' "
                               "AND envelope->'data'->>'delivery_id' = $1", str(delivery["id"]))
    assert sent["envelope"]["data"]["cause_event_id"] == str(french.id)
    assert sent["envelope"]["causation_id"] == str(french.id)
    assert sent["envelope"]["correlation_id"] == "corr-UA-2025-000101"


async def test_the_same_event_twice_sends_one_email(notifier, broker, mailcatcher):
    _, runtime = notifier
    event = received("UA-2025-000201")
    duplicates = consumed(SubmissionReceived.TYPE, "duplicate")
    await broker.publish(event)
    await broker.publish(event)
    await wait_until(lambda: consumed(SubmissionReceived.TYPE, "duplicate") == duplicates + 1,
                     message="the second copy seen as a duplicate")
    assert len(emails_to(mailcatcher, "UA-2025-000201")) == 1
    assert await runtime.pool.fetchval("SELECT count(*) FROM deliveries WHERE event_id = $1", event.id) == 1


async def test_the_delivery_ledger_stops_a_resend_even_without_the_inbox_row(notifier, broker, mailcatcher):
    _, runtime = notifier
    event = received("UA-2025-000202")
    await broker.publish(event)
    await wait_until(lambda: runtime.pool.fetchval(
        "SELECT status = 'sent' FROM deliveries WHERE event_id = $1", event.id), message="receipt sent")
    await runtime.pool.execute("DELETE FROM inbox WHERE event_id = $1", event.id)
    handled = consumed(SubmissionReceived.TYPE, "handled")
    await broker.publish(event)
    await wait_until(lambda: consumed(SubmissionReceived.TYPE, "handled") == handled + 1, message="handled again")
    assert len(emails_to(mailcatcher, "UA-2025-000202")) == 1
    assert await runtime.pool.fetchval("SELECT attempts FROM deliveries WHERE event_id = $1", event.id) == 1


async def test_observations_decision_and_withdrawal_emails(notifier, broker, mailcatcher):
    _, runtime = notifier
    tracking = "UA-2025-000301"
    await broker.publish(received(tracking, language="ar"))
    await wait_until(lambda: len(emails_to(mailcatcher, tracking)) == 1, message="receipt")
    await broker.publish(review_event(ReviewObservationsIssued, tracking, status="awaiting_applicant",
                                      observations="يرجى الإدلاء بتصميم الموقع."))
    await broker.publish(review_event(ReviewDecided, tracking, status="decided", outcome="approved",
                                      text="يرخص بالبناء وفق التصاميم المؤشر عليها."))
    await broker.publish(Envelope.new(SubmissionWithdrawn(tracking_number=tracking, kind="building_permit"),
                                      source="intake", subject=tracking, correlation_id="corr-w"))
    await wait_until(lambda: len(emails_to(mailcatcher, tracking)) == 4, message="four emails")

    by_subject = {str(m["Subject"]): m for m in emails_to(mailcatcher, tracking)}
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
def slow_retries(monkeypatch):
    # Generous delays so the filing surely arrives while the early event waits in a retry queue.
    monkeypatch.setenv("LAMADI_RETRY_DELAYS", "[1.0, 3.0, 5.0]")


async def test_an_event_before_its_filing_is_retried_until_the_recipient_is_known(
    slow_retries, env, notifier, broker, mailcatcher
):
    tracking = "UA-2025-000401"
    retried = consumed(ReviewDecided.TYPE, "retried")
    await broker.publish(review_event(ReviewDecided, tracking, status="decided", outcome="rejected",
                                      text="Le projet ne respecte pas le plan d'aménagement."))
    await wait_until(lambda: consumed(ReviewDecided.TYPE, "retried") > retried, message="decision retried")
    await broker.publish(received(tracking))
    await wait_until(lambda: len(emails_to(mailcatcher, tracking)) == 2, message="receipt and decision")
    decision = next(m for m in emails_to(mailcatcher, tracking) if str(m["Subject"]).startswith("Décision"))
    assert "Défavorable" in decision.get_body(("plain",)).get_content()


@pytest.fixture
def unreachable_smtp(env, monkeypatch) -> int:
    port = free_port()  # nothing listens there
    monkeypatch.setenv("LAMADI_SMTP_PORT", str(port))
    return port


async def test_an_unreachable_mail_server_means_retries_then_parked_and_failed(
    unreachable_smtp, notifier, broker, mailcatcher
):
    client, runtime = notifier
    assert runtime.settings.smtp_port == unreachable_smtp
    event = received("UA-2025-000501")
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
    client, runtime = notifier
    first, second = received("UA-2025-000601"), received("UA-2025-000602", language="ar")
    await broker.publish(first)
    await wait_until(lambda: runtime.pool.fetchval(
        "SELECT count(*) = 1 FROM deliveries WHERE status = 'sent'"), message="first sent")
    await broker.publish(second)
    await wait_until(lambda: runtime.pool.fetchval(
        "SELECT count(*) = 2 FROM deliveries WHERE status = 'sent'"), message="both sent")

    assert (await client.get("/api/v1/deliveries", headers={"Authorization": ""})).status_code == 401
    reviewer = issue_token(runtime.settings.jwt_secret.get_secret_value(), sub="r1", roles=["reviewer"])
    forbidden = await client.get("/api/v1/deliveries", headers={"Authorization": f"Bearer {reviewer}"})
    assert forbidden.status_code == 403
    supervisor = issue_token(runtime.settings.jwt_secret.get_secret_value(), sub="s1", roles=["supervisor"])
    assert (await client.get("/api/v1/deliveries",
                             headers={"Authorization": f"Bearer {supervisor}"})).status_code == 200

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
    copies = emails_to(mailcatcher, "UA-2025-000601")
    assert len(copies) == 2
    assert copies[0]["Message-ID"] == copies[1]["Message-ID"] == item["message_id"]
    assert copies[0].get_body(("plain",)).get_content() == copies[1].get_body(("plain",)).get_content()
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
    assert len(emails_to(mailcatcher, "UA-2025-000602")) == 1
