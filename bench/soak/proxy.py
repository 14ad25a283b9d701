"""The TCP proxy between the soak's services and its RabbitMQ node, as a process of its own:
killing it cuts every broker connection at once; starting it again lets them back.

    python -m bench.soak.proxy LISTEN_PORT TARGET_PORT
"""

from __future__ import annotations

import asyncio
import sys

from tests.proxy import TcpProxy


async def serve(listen_port: int, target_port: int) -> None:
    proxy = TcpProxy(listen_port, target_port)
    await proxy.start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), int(sys.argv[2])))
