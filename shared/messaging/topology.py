"""The whole broker topology, from one table.

Every service declares all of it at start-up (declaring is idempotent), so an event published
before its consuming service ever ran still waits in that service's queue.

Per work queue ``lamadi.<service>.<purpose>``:
- ``….retry.<n>``: a failed message waits there for its delay (per-message TTL), then the
  dead-letter exchange (the default one) routes it back to the work queue;
- ``….parked``: where a message lands after its last retry, for operators to replay or drop.
"""

from __future__ import annotations

from dataclasses import dataclass

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange

QUEUE_PREFIX = "lamadi"
MAX_RETRY_LEVELS = 5  # retry queues declared per work queue; settings choose how many are used


@dataclass(frozen=True)
class QueueSpec:
    service: str
    purpose: str
    routing_keys: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{QUEUE_PREFIX}.{self.service}.{self.purpose}"

    @property
    def parked(self) -> str:
        return f"{self.name}.parked"

    def retry(self, level: int) -> str:
        return f"{self.name}.retry.{level}"


TOPOLOGY: tuple[QueueSpec, ...] = (
    QueueSpec(
        "review",
        "submissions",
        ("submission.received.v1", "submission.resubmitted.v1", "submission.withdrawn.v1",
         "submission.contested.v1"),
    ),
    QueueSpec(
        "intake",
        "public-status",
        ("review.*.v1", "committee.*.v1", "notification.sent.v1", "notification.failed.v1"),
    ),
    QueueSpec(
        "notifier",
        "applicant-emails",
        (
            "submission.received.v1",
            "submission.withdrawn.v1",
            "review.observations_issued.v1",
            "review.decided.v1",
            "review.step_recorded.v1",
            "committee.opinion_published.v1",
            "submission.contested.v1",
        ),
    ),
    QueueSpec(
        "notifier",
        "staff-alerts",
        ("review.deadline_approaching.v1", "review.deadline_breached.v1", "report.daily_published.v1"),
    ),
    QueueSpec("reporting", "entries", ("#",)),
)


def queues_of(service: str) -> tuple[QueueSpec, ...]:
    return tuple(spec for spec in TOPOLOGY if spec.service == service)


def spec_by_name(name: str) -> QueueSpec:
    for spec in TOPOLOGY:
        if name in (spec.name, spec.parked):
            return spec
    raise KeyError(f"no work queue named {name!r}; known: {', '.join(s.name for s in TOPOLOGY)}")


async def declare_topology(channel: AbstractChannel, exchange_name: str) -> AbstractExchange:
    exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
    for spec in TOPOLOGY:
        queue = await channel.declare_queue(spec.name, durable=True)
        for key in spec.routing_keys:
            await queue.bind(exchange, routing_key=key)
        for level in range(1, MAX_RETRY_LEVELS + 1):
            await channel.declare_queue(
                spec.retry(level),
                durable=True,
                arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": spec.name},
            )
        await channel.declare_queue(spec.parked, durable=True)
    return exchange
