"""The queue bindings (shared/messaging/topology.py) and the handler tables (each service's
consumers.py) are one truth: a routing key bound to a queue has a handler there, and a handler
has a binding that brings it events."""

from __future__ import annotations

import importlib

import pytest

from shared.events import EVENTS_BY_TYPE
from shared.messaging.topology import TOPOLOGY, QueueSpec, bound_types, matches, queues_of

SERVICES = ("intake", "review", "notifier", "reporting")
KNOWN = list(EVENTS_BY_TYPE)


def handler_table(service: str) -> dict[str, dict[str, object]]:
    consumers = importlib.import_module(f"services.{service}.consumers")
    return {sub.purpose: dict(sub.handlers) for sub in consumers.SUBSCRIPTIONS}


def disagreements(spec: QueueSpec, handlers: dict[str, object]) -> tuple[set[str], set[str]]:
    """(bound without a handler, handled without a binding)."""
    bound = bound_types(spec, KNOWN)
    return bound - set(handlers), set(handlers) - bound


@pytest.mark.parametrize("spec", TOPOLOGY, ids=lambda spec: spec.name)
def test_every_binding_has_a_handler_and_every_handler_a_binding(spec):
    tables = handler_table(spec.service)
    assert spec.purpose in tables, f"{spec.service} has no handler table for its queue {spec.name}"
    unhandled, unbound = disagreements(spec, tables[spec.purpose])
    assert not unhandled, f"{spec.name} is bound to {sorted(unhandled)} but has no handler for them"
    assert not unbound, f"{spec.name} has handlers for {sorted(unbound)} but no binding brings them"


@pytest.mark.parametrize("service", SERVICES)
def test_every_handler_table_names_a_queue_of_its_service(service):
    assert set(handler_table(service)) == {spec.purpose for spec in queues_of(service)}


def test_the_check_sees_a_binding_without_handler_and_a_handler_without_binding():
    spec = QueueSpec("intake", "public-status", ("review.*.v1",))
    unhandled, unbound = disagreements(spec, {"review.claimed.v1": None, "submission.received.v1": None})
    assert "review.deadline_breached.v1" in unhandled
    assert unbound == {"submission.received.v1"}


@pytest.mark.parametrize(("key", "binding", "expected"), [
    ("review.claimed.v1", "review.claimed.v1", True),
    ("review.claimed.v1", "review.*.v1", True),
    ("review.claimed.v1", "review.*", False),
    ("review.claimed.v1", "#", True),
    ("review.claimed.v1", "review.#", True),
    ("review.claimed.v1", "#.v1", True),
    ("review.claimed.v1", "submission.#", False),
])
def test_topic_matching_follows_amqp(key, binding, expected):
    assert matches(key, binding) is expected
