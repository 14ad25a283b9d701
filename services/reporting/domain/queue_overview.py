"""Operators' view of the work queues, from the broker's own per-queue figures."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from shared.messaging.topology import MAX_RETRY_LEVELS, QueueSpec


@dataclass(frozen=True)
class QueueState:
    name: str
    service: str
    purpose: str
    messages_ready: int
    messages_unacknowledged: int
    consumers: int
    retrying: int
    parked: int

    def as_dict(self) -> dict:
        return asdict(self)


def overview(topology: tuple[QueueSpec, ...], broker_queues: list[dict]) -> list[QueueState]:
    """``broker_queues`` is the management API's ``/api/queues/{vhost}`` answer. A queue the
    broker does not know (yet), or has no figures for yet, counts as empty."""
    by_name = {queue.get("name"): queue for queue in broker_queues}

    def figure(name: str, key: str) -> int:
        return int(by_name.get(name, {}).get(key) or 0)

    def held(name: str) -> int:
        # ready + unacknowledged: a parked message an operator is looking at still counts.
        return figure(name, "messages_ready") + figure(name, "messages_unacknowledged")

    return [
        QueueState(
            name=spec.name,
            service=spec.service,
            purpose=spec.purpose,
            messages_ready=figure(spec.name, "messages_ready"),
            messages_unacknowledged=figure(spec.name, "messages_unacknowledged"),
            consumers=figure(spec.name, "consumers"),
            retrying=sum(held(spec.retry(level)) for level in range(1, MAX_RETRY_LEVELS + 1)),
            parked=held(spec.parked),
        )
        for spec in topology
    ]
