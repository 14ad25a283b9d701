"""Queue declaration arguments: classic queues keep the arguments they always had (an existing
queue stays equivalent), quorum queues get a delivery limit and dead-letter routes."""

import pytest

from shared.messaging.topology import TOPOLOGY, QueueArguments

SPEC = TOPOLOGY[0]


def test_classic_queues_are_declared_as_before():
    classic = QueueArguments()
    assert classic.for_work(SPEC) == {}
    assert classic.for_retry(SPEC) == {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": SPEC.name}
    assert classic.for_parked() == {}


def test_quorum_work_queues_park_past_their_delivery_limit():
    quorum = QueueArguments("quorum", delivery_limit=7)
    work = quorum.for_work(SPEC)
    assert work["x-queue-type"] == "quorum"
    assert work["x-delivery-limit"] == 7
    assert (work["x-dead-letter-exchange"], work["x-dead-letter-routing-key"]) == ("", SPEC.parked)
    # at-least-once dead-lettering holds a message until the target has it; it needs reject-publish.
    assert (work["x-dead-letter-strategy"], work["x-overflow"]) == ("at-least-once", "reject-publish")


def test_quorum_retry_queues_still_route_back_to_the_work_queue():
    retry = QueueArguments("quorum").for_retry(SPEC)
    assert retry["x-queue-type"] == "quorum"
    assert retry["x-dead-letter-routing-key"] == SPEC.name
    assert "x-delivery-limit" not in retry
    # Looking at a parked message returns it to the queue: no small limit may drop it.
    assert QueueArguments("quorum").for_parked() == {"x-queue-type": "quorum", "x-delivery-limit": 1_000_000}


def test_an_unknown_queue_type_is_refused():
    with pytest.raises(ValueError, match="stream"):
        QueueArguments("stream")


def test_retry_levels_are_between_one_and_the_most_a_consumer_uses():
    assert QueueArguments(retry_levels=2).retry_levels == 2
    for wrong in (0, 6):
        with pytest.raises(ValueError, match="retry levels"):
            QueueArguments(retry_levels=wrong)
