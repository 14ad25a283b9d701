"""A TCP proxy placed between the services and RabbitMQ, so a test can cut the broker off
(and bring it back) without stopping the shared broker itself."""

from __future__ import annotations

import asyncio
import contextlib


class TcpProxy:
    def __init__(self, listen_port: int, target_port: int, host: str = "127.0.0.1"):
        self.listen_port, self.target_port, self.host = listen_port, target_port, host
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.connections_made = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.listen_port, reuse_address=True)

    async def cut(self) -> None:
        """Refuse new connections and drop every open one, as a dead broker would."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(self.host, self.target_port)
        except OSError:
            client_writer.transport.abort()
            return
        self.connections_made += 1
        self._writers.update({client_writer, upstream_writer})
        await asyncio.gather(self._pipe(client_reader, upstream_writer), self._pipe(upstream_reader, client_writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.transport.abort()
