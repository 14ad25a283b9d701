"""The whole system as deployed: each service its own process, on a fresh database, vhost and
mail catcher, optionally reaching RabbitMQ through a TCP proxy the test can cut."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
import pytest

from shared.auth import issue_token
from shared.settings import DEVELOPMENT_JWT_SECRET
from tests.proxy import TcpProxy
from tests.support import SERVICES, ServiceProcess, free_port, service_env


@dataclass
class System:
    services: dict[str, ServiceProcess]
    mailcatcher: object
    proxy: TcpProxy | None = None
    http: httpx.AsyncClient = field(default_factory=lambda: httpx.AsyncClient(timeout=10))

    def url(self, service: str, path: str) -> str:
        return self.services[service].url + path

    @staticmethod
    def staff(role: str, sub: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(DEVELOPMENT_JWT_SECRET, sub=sub, roles=[role])}"}

    async def readiness(self) -> dict[str, int]:
        answers = {}
        for name, service in self.services.items():
            try:
                answers[name] = (await self.http.get(service.url + "/readyz", timeout=2)).status_code
            except httpx.HTTPError:
                answers[name] = 0
        return answers


async def _start(env: dict[str, str], tmp_path, proxy: TcpProxy | None, mailcatcher) -> System:
    log_dir = tmp_path / "logs"
    log_dir.mkdir(exist_ok=True)
    env = {**env, "LAMADI_DOCUMENTS_DIR": str(tmp_path / "documents")}
    services = {name: ServiceProcess(name, env, log_dir) for name in SERVICES}
    system = System(services, mailcatcher, proxy)
    try:
        await asyncio.gather(*(service.wait_ready() for service in services.values()))
    except BaseException:
        _stop(system)
        raise
    return system


def _stop(system: System) -> dict[str, int | None]:
    for service in system.services.values():
        service.stop()
    return {name: service.process.returncode for name, service in system.services.items()}


@pytest.fixture
async def system(env, tmp_path, mailcatcher):
    running = await _start(env, tmp_path, None, mailcatcher)
    yield running
    await running.http.aclose()
    codes = _stop(running)
    # uvicorn re-raises SIGTERM once its graceful shutdown is done, so -15 is a clean stop too,
    # as long as the lifespan shutdown (consumers stopped, in-flight work finished) completed.
    unclean = {name: code for name, code in codes.items()
               if code not in (0, -15) or '"service_stopped"' not in running.services[name].log_path.read_text()}
    assert not unclean, f"a service did not stop cleanly on SIGTERM: {unclean}"


@pytest.fixture
async def proxied_system(database, vhost, tmp_path, mailcatcher):
    proxy = TcpProxy(free_port(), 5672)
    await proxy.start()
    env = service_env(database, vhost, amqp_port=proxy.listen_port, LAMADI_SMTP_PORT=str(mailcatcher.port))
    running = await _start(env, tmp_path, proxy, mailcatcher)
    yield running
    await running.http.aclose()
    _stop(running)
    await proxy.cut()
