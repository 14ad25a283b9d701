"""The end-to-end tests' fixtures: the whole system as deployed (each service its own process, a
``Fleet`` of one instance each) on a fresh database, vhost and mail catcher, optionally reaching
RabbitMQ through a TCP proxy the test can cut; or one system a module's tests share, when each
test works on filings of its own and the system's start and stop are not what it tests."""

from __future__ import annotations

import pytest

from lamadi_cli.mailcatcher import MailCatcher
from tests.proxy import TcpProxy
from tests.support import SERVICES, Fleet, free_port, service_env


async def _start(env: dict[str, str], tmp_path, mailcatcher, proxy: TcpProxy | None = None) -> Fleet:
    env = {**env, "LAMADI_DOCUMENTS_DIR": str(tmp_path / "documents")}
    return await Fleet.start(SERVICES, env, tmp_path / "logs", mailcatcher, instances=1, proxy=proxy)


async def _stop_cleanly(running: Fleet) -> None:
    codes = await running.stop()
    # uvicorn re-raises SIGTERM once its graceful shutdown is done, so -15 is a clean stop too,
    # as long as the lifespan shutdown (consumers stopped, in-flight work finished) completed.
    unclean = {process.log_path.stem: codes[process.log_path.stem] for process in running.processes()
               if codes[process.log_path.stem] not in (0, -15)
               or '"service_stopped"' not in process.log_path.read_text()}
    assert not unclean, f"a service did not stop cleanly on SIGTERM: {unclean}"


@pytest.fixture
async def system(env, tmp_path, mailcatcher):
    running = await _start(env, tmp_path, mailcatcher)
    yield running
    await _stop_cleanly(running)


@pytest.fixture(scope="module")
async def shared_system(scratch, tmp_path_factory):
    """One system for all the tests of a module, on its own database, vhost and mail catcher."""
    database, vhost, tmp = await scratch.database(), await scratch.vhost(), tmp_path_factory.mktemp("system")
    mailcatcher = MailCatcher(tmp / "mail", port=free_port()).start()
    try:
        running = await _start(service_env(database, vhost, LAMADI_SMTP_PORT=str(mailcatcher.port)), tmp, mailcatcher)
        yield running
        await _stop_cleanly(running)
    finally:
        mailcatcher.stop()
        scratch.drop_database(database)
        scratch.delete_vhost(vhost)


@pytest.fixture
async def proxied_system(database, vhost, tmp_path, mailcatcher):
    proxy = TcpProxy(free_port(), 5672)
    await proxy.start()
    env = service_env(database, vhost, amqp_port=proxy.listen_port, LAMADI_SMTP_PORT=str(mailcatcher.port))
    running = await _start(env, tmp_path, mailcatcher, proxy)
    yield running
    await running.stop()
    await proxy.cut()
