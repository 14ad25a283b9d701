"""The fault campaign, run while the client files and decides: every service SIGKILLed and
restarted several times, the database's connections terminated, the broker cut off by the TCP
proxy, the SMTP server stopped for a minute, and the soak's own RabbitMQ node and PostgreSQL
cluster each restarted once."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.soak.servers import OwnPostgres, OwnRabbitMQ, Process
from tests.support import ServiceProcess


@dataclass
class Campaign:
    instances: dict[str, list[ServiceProcess]]
    postgres: OwnPostgres
    rabbit: OwnRabbitMQ
    proxy: Process
    mail: Process
    database: str
    gap: float  # seconds between two faults
    smtp_outage: float = 60.0
    broker_cut: float = 10.0
    started: float = field(default_factory=time.monotonic)
    done: Counter = field(default_factory=Counter)
    _kills: Counter = field(default_factory=Counter)

    def say(self, what: str) -> None:
        print(f"  [{time.monotonic() - self.started:7.1f} s] {what}", flush=True)

    def schedule(self) -> list:
        """Three kills of each service, interleaved with the other faults."""
        kill = {name: (lambda name=name: self.kill(name)) for name in self.instances}
        return [kill["intake"], self.terminate, kill["review"], self.cut_broker, kill["notifier"], self.smtp_down,
                kill["reporting"], self.restart_rabbitmq, kill["intake"], self.terminate, kill["review"],
                self.restart_postgres, kill["notifier"], kill["reporting"], kill["intake"], kill["review"],
                kill["notifier"], kill["reporting"]]

    async def run(self) -> None:
        background = []
        for fault in self.schedule():
            await asyncio.sleep(self.gap)
            started = fault()
            if fault == self.smtp_down:
                background.append(asyncio.create_task(started))
            else:
                await started
        await asyncio.gather(*background)

    async def kill(self, name: str) -> None:
        copies = self.instances[name]
        process = copies[self._kills[name] % len(copies)]
        self._kills[name] += 1
        process.kill()
        process.restart()
        self.done["SIGKILL and restart"] += 1
        self.say(f"SIGKILL {process.log_path.stem}, restarted")
        try:
            await process.wait_ready(timeout=180)
        except AssertionError as exc:
            self.say(f"{process.log_path.stem} not ready again: {str(exc)[:200]}")

    async def terminate(self) -> None:
        count = await self.postgres.terminate_connections(self.database)
        self.done["database connections terminated"] += 1
        self.say(f"terminated the database's {count} connections")

    async def cut_broker(self) -> None:
        self.proxy.kill()
        self.say(f"broker cut off (TCP proxy down) for {self.broker_cut:.0f} s")
        await asyncio.sleep(self.broker_cut)
        self.proxy.start()
        self.done["broker cut by the TCP proxy"] += 1
        self.say("broker reachable again")

    async def smtp_down(self) -> None:
        self.mail.stop()
        self.say(f"SMTP server stopped for {self.smtp_outage:.0f} s")
        await asyncio.sleep(self.smtp_outage)
        self.mail.start()
        self.done["SMTP server stopped"] += 1
        self.say("SMTP server back")

    async def restart_rabbitmq(self) -> None:
        self.say("RabbitMQ node stopping (restart)")
        await self.rabbit.restart()
        self.done["RabbitMQ node restarted"] += 1
        self.say("RabbitMQ node started again")

    async def restart_postgres(self) -> None:
        await asyncio.to_thread(self.postgres.restart)
        self.done["PostgreSQL restarted"] += 1
        self.say("PostgreSQL restarted (fast shutdown, start)")
