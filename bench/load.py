"""Load for the pipeline benchmark: filings sent open-loop (by the clock, whatever the answers,
over httpx with keep-alive) or closed-loop (N keep-alive connections each sending again as soon
as answered); and the raw broker baseline (aio-pika confirm-publish, consume, ack)."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import aio_pika
import h11
import httpx

from bench.report import PATH
from tests.files import filing


def address(tag: str, n: int) -> str:
    return f"bench-{tag}-{n}@example.ma"


def body(tag: str, n: int) -> bytes:
    """A complaint filed as JSON (no documents: its receipt still carries the receipt PDF)."""
    return json.dumps(filing("complaint", applicant={"email": address(tag, n)})).encode()


@dataclass
class Sent:
    address: str
    scheduled: float  # monotonic: when the clock said to send it
    status: int | None = None
    answered: float | None = None


def client(connections: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(limits=limits, timeout=60)


async def post(http: httpx.AsyncClient, url: str, content: bytes) -> int:
    try:
        answer = await http.post(url, content=content, headers={"Content-Type": "application/json",
                                                                  "Idempotency-Key": uuid.uuid4().hex})
        return answer.status_code
    except httpx.HTTPError:
        return 0


async def open_loop(http: httpx.AsyncClient, url: str, tag: str, rate: float, seconds: float,
                    progress: Callable[[list[Sent], float], None] | None = None) -> list[Sent]:
    """Filing n is sent at start + n / rate, answered or not: a slow server meets the same
    arrivals (no coordinated omission), and latencies count from the scheduled time."""
    count, sent, tasks = int(rate * seconds), [], []
    bodies = [body(tag, n) for n in range(count)]  # built beforehand: the clock waits for nothing
    start, next_report = time.monotonic() + 0.05, 5.0

    async def one(item: Sent, content: bytes) -> None:
        item.status = await post(http, url, content)
        item.answered = time.monotonic()

    for n in range(count):
        at = start + n / rate
        if (delay := at - time.monotonic()) > 0:
            await asyncio.sleep(delay)
        item = Sent(address(tag, n), at)
        sent.append(item)
        tasks.append(asyncio.create_task(one(item, bodies[n])))
        if progress and at - start >= next_report:
            progress(sent, seconds - (at - start))
            next_report += 5.0
    await asyncio.gather(*tasks)
    return sent


async def closed_loop(host: str, port: int, tag: str, connections: int, seconds: float) -> tuple[int, int]:
    """(answers 2xx, others) from ``connections`` keep-alive connections, each sending again
    once answered. Plain h11 over asyncio streams, not httpx: httpx spends more CPU per request
    than a bare FastAPI app does, and on two cores the client would set the pace it measures."""
    ok = failed = 0
    numbers = iter(range(10**9))
    deadline = time.monotonic() + seconds

    async def sender() -> None:
        nonlocal ok, failed
        reader, writer = await asyncio.open_connection(host, port)
        http = h11.Connection(h11.CLIENT)
        try:
            while time.monotonic() < deadline:
                content = body(tag, next(numbers))
                request = h11.Request(method="POST", target=PATH, headers=[
                    ("Host", f"{host}:{port}"), ("Content-Type", "application/json"),
                    ("Content-Length", str(len(content))), ("Idempotency-Key", uuid.uuid4().hex)])
                writer.write(http.send(request) + http.send(h11.Data(data=content)) + http.send(h11.EndOfMessage()))
                status = 0
                while (event := http.next_event()) is not h11.PAUSED and not isinstance(event, h11.EndOfMessage):
                    if event is h11.NEED_DATA:
                        http.receive_data(await reader.read(65536))
                    elif isinstance(event, h11.Response):
                        status = event.status_code
                    elif isinstance(event, h11.ConnectionClosed):
                        raise ConnectionResetError("the server closed the connection")
                if 200 <= status < 300:
                    ok += 1
                else:
                    failed += 1
                http.start_next_cycle()
        except (OSError, h11.ProtocolError):
            failed += 1  # this connection is done; the others go on
        finally:
            writer.close()

    await asyncio.gather(*(sender() for _ in range(connections)))
    return ok, failed


async def raw_broker(url: str, count: int, window: int = 100, size: int = 1200) -> float:
    """msg/s through a durable queue: persistent messages published with confirms (``window``
    in flight), consumed with prefetch ``window`` and acked one by one, until all are acked."""
    connection = await aio_pika.connect(url)
    try:
        publishing = await connection.channel(publisher_confirms=True)
        consuming = await connection.channel()
        await consuming.set_qos(prefetch_count=window)
        queue = await consuming.declare_queue(f"bench.raw.{uuid.uuid4().hex[:8]}", durable=True)
        acked, done = 0, asyncio.Event()

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            nonlocal acked
            await message.ack()
            acked += 1
            if acked == count:
                done.set()

        tag = await queue.consume(on_message)
        payload = b"x" * size  # about an event envelope's size
        started = time.perf_counter()
        for first in range(0, count, window):
            await asyncio.gather(*(publishing.default_exchange.publish(
                aio_pika.Message(payload, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key=queue.name)
                for _ in range(min(window, count - first))))
        await asyncio.wait_for(done.wait(), timeout=120)
        elapsed = time.perf_counter() - started
        await queue.cancel(tag)
        await queue.delete(if_unused=False, if_empty=False)
        return count / elapsed
    finally:
        await connection.close()
