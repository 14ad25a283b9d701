"""No receipt swallowed, none sent twice: a name with a line break still gets its email; a
consumer whose commit fails after the mail server accepted the email does not send it again;
a decision that arrives before the filing's receipt is sent all the same."""

from __future__ import annotations

from shared.events import Applicant, Contact, ReviewDecided, SubmissionReceived
from tests.builders import received, review_event
from tests.in_process import served
from tests.support import emails_about, wait_until


async def outbox_types(pool, tracking: str) -> list[str]:
    rows = await pool.fetch("SELECT routing_key FROM outbox WHERE envelope->>'subject' = $1 ORDER BY id", tracking)
    return [row["routing_key"] for row in rows]


async def test_a_name_with_a_line_break_in_an_event_already_in_flight_is_still_sent(notifier, broker, mailcatcher):
    runtime = notifier.runtime
    tracking = "UA-2025-000701"
    event = received(tracking, "building_permit")
    data = {**event.data, "applicant": Applicant(full_name="Amina\r\nBcc: victim@example.ma",
                                                 email="amina@example.ma", language="fr").model_dump()}
    await broker.publish(event.model_copy(update={"data": data}))
    [mail] = await wait_until(lambda: emails_about(mailcatcher, tracking), message="the receipt")
    assert (mail["To"].addresses[0].display_name, mail["To"].addresses[0].addr_spec) == (
        "Amina Bcc: victim@example.ma", "amina@example.ma")  # one line, quoted: no header slipped in
    assert mail["Bcc"] is None
    # Marked sent in its own transaction just after the mail server took the email: a moment after.
    assert await wait_until(lambda: runtime.pool.fetchval(
        "SELECT status = 'sent' FROM deliveries WHERE tracking_number = $1", tracking), message="marked sent")


async def test_a_receipt_is_not_sent_twice_when_the_consumers_commit_fails_after_smtp(notifier, broker, mailcatcher):
    runtime = notifier.runtime
    tracking = "UA-2025-000702"
    # The first commit of the consumer's transaction for this receipt is refused by the
    # database, after the email went out (a deferred check runs at commit; a sequence counts
    # attempts, since it is not rolled back).
    await runtime.pool.execute("""
        CREATE SEQUENCE receipt_commits;
        CREATE FUNCTION refuse_first_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.event_type = 'submission.received.v1' AND nextval('receipt_commits') = 1 THEN
                RAISE EXCEPTION 'commit refused for the test';
            END IF;
            RETURN NULL;
        END $$;
        CREATE CONSTRAINT TRIGGER refuse_first_commit AFTER INSERT ON inbox DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION refuse_first_commit();""")
    await broker.publish(received(tracking, "building_permit"))
    await wait_until(lambda: runtime.pool.fetchval("SELECT count(*) = 1 FROM inbox WHERE event_type = $1",
                                                   SubmissionReceived.TYPE), message="the receipt event committed")
    assert await runtime.pool.fetchval("SELECT last_value FROM receipt_commits") == 2  # it did fail once
    assert len(emails_about(mailcatcher, tracking)) == 1
    # The receipt was issued once: the event handled again found it registered, told intake of it
    # again (the first telling was rolled back with the transaction) and sent nothing more.
    assert await runtime.pool.fetchval("SELECT count(*) FROM documents WHERE reference = $1", tracking) == 1
    assert await outbox_types(runtime.pool, tracking) == ["document.issued.v1", "notification.sent.v1"]


async def test_a_decision_before_the_receipt_with_the_notifier_stopped_between_sends_both(
    notifier_settings, broker, mailcatcher
):
    tracking = "UA-2025-000703"
    contact = Contact(full_name="Youssef Alaoui", email=f"{tracking.lower()}@example.ma", language="fr")
    decided = review_event(ReviewDecided, tracking, "building_permit", status="decided", outcome="rejected",
                           text="Le projet dépasse la hauteur autorisée.", contact=contact)
    async with served("notifier", notifier_settings):
        await broker.publish(decided)
        await wait_until(lambda: emails_about(mailcatcher, tracking), message="the decision, before any receipt")
    await broker.publish(received(tracking, "building_permit"))  # arrives while the notifier is stopped
    async with served("notifier", notifier_settings) as notifier:
        await wait_until(lambda: len(emails_about(mailcatcher, tracking)) == 2, message="the receipt too")
        templates = sorted(m["X-Lamadi-Template"] for m in emails_about(mailcatcher, tracking))
        assert templates == ["decision", "receipt"]
        parked = await notifier.runtime.broker.channel.declare_queue(
            "lamadi.notifier.applicant-emails.parked", durable=True, passive=True)
        assert parked.declaration_result.message_count == 0
