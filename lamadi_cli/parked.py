"""`lamadi ops parked list|replay|drop`: parked messages, over AMQP (shared/messaging/parked.py)."""

from __future__ import annotations

from lamadi_cli.common import CliError, render_table
from shared.errors import Unavailable
from shared.messaging.parked import ParkedMessage, ReplayStopped, open_parked
from shared.messaging.topology import QueueSpec

PARKED_HEADERS = ("id", "type", "subject", "parked at", "error")


def _row(message: ParkedMessage) -> list[str]:
    error = message.error if len(message.error) <= 100 else message.error[:99] + "…"
    return [message.id or "-", message.type or "-", message.subject or "-", message.parked_at or "-", error or "-"]


async def run_parked(action: str, spec: QueueSpec, count: int | None, amqp_url: str) -> int:
    try:
        async with open_parked(amqp_url, spec) as parked:
            if parked.depth == 0:
                print(f"{spec.parked}: no parked messages")
                return 0
            if action == "list":
                print(f"{spec.parked}: {parked.depth} parked message(s)")
                print(render_table(PARKED_HEADERS, [_row(m) for m in await parked.peek()]))
                return 0
            if action == "drop":
                dropped = await parked.drop(count=count)
                print(render_table(PARKED_HEADERS, [_row(m) for m in dropped]))
                print(f"dropped {len(dropped)} message(s) from {spec.parked}")
                return 0
            try:
                replayed = await parked.replay(count=count)
            except ReplayStopped as stopped:
                _print_replayed(stopped.done)
                raise CliError(stopped.detail) from None
            _print_replayed(replayed)
            print(f"replayed {len(replayed)} message(s) from {spec.parked} to {spec.name}")
            return 0
    except Unavailable as exc:
        raise CliError(f"{exc.detail} (LAMADI_AMQP_URL)") from None


def _print_replayed(messages: list[ParkedMessage]) -> None:
    for message in messages:
        print(f"replayed {message.id or '-'} {message.type or '-'} {message.subject or '-'}")
