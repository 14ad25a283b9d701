"""Fixtures every tier shares (a database, a broker vhost and a mail catcher of the test's own),
and the tier markers: each test is marked by its folder (unit, integration, e2e, browser), so
``-m`` selects a tier without anyone remembering to mark a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from lamadi_cli.mailcatcher import MailCatcher
from shared.messaging.broker import Broker
from shared.messaging.topology import QueueArguments
from shared.settings import ServiceSettings
from tests.seals import SEAL_VARIABLES, SealKit, make_seal_kit, start_timestamp_authority
from tests.support import (
    ScratchServers,
    create_database,
    create_migrated_template,
    drop_database,
    free_port,
    process_seal_kit,
    service_env,
    wait_until,
)

TIERS = ("unit", "integration", "e2e", "browser")
HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        tier = item.path.relative_to(HERE).parts[0]
        if tier in TIERS:
            item.add_marker(getattr(pytest.mark, tier))
        # Should they run on parallel workers (-n, --dist loadgroup): the browser tests share one
        # system, so one worker runs them all; a module that starts processes runs on one worker,
        # so its module-wide system or cluster starts once. (make test runs them in one process.)
        if tier == "browser":
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif tier == "e2e" or item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


@pytest.fixture(scope="session")
async def migrated_template():
    """A database with every service's schema migrated, made once per run and copied per test."""
    name = await create_migrated_template()
    yield name
    await drop_database(name)


@pytest.fixture(scope="session")
async def scratch(migrated_template):
    """Databases and vhosts made ahead of the tests that take them, dropped behind them."""
    servers = ScratchServers(migrated_template)
    yield servers
    await servers.close()


@pytest.fixture
async def database(request, scratch):
    """A database of the test's own, every service's migrations already applied; an empty one for
    a test marked ``empty_database`` (what migrates a database itself, or must own its schemas)."""
    empty = request.node.get_closest_marker("empty_database") is not None
    name = await (create_database() if empty else scratch.database())
    yield name
    scratch.drop_database(name)


@pytest.fixture
async def vhost(scratch):
    """A RabbitMQ virtual host of the test's own."""
    name = await scratch.vhost()
    yield name
    scratch.delete_vhost(name)


@pytest.fixture
def mailcatcher(tmp_path):
    catcher = MailCatcher(tmp_path / "mail", port=free_port()).start()
    yield catcher
    catcher.stop()


@pytest.fixture
def env(database, vhost, mailcatcher, monkeypatch) -> dict[str, str]:
    """LAMADI_* settings on a fresh database, vhost and mail catcher, also set in os.environ
    so that settings built in this process see them."""
    values = service_env(database, vhost, LAMADI_SMTP_PORT=str(mailcatcher.port))
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


@pytest.fixture
async def broker(env):
    """A connected publisher on the test vhost, for feeding events to services under test."""
    # The topology the services under test declare (their retry levels), not one queue more.
    broker = Broker(env["LAMADI_AMQP_URL"], "lamadi.events", reconnect_interval=0.5,
                    queue_arguments=QueueArguments(retry_levels=len(ServiceSettings().retry_delays)))
    broker.start()
    await wait_until(lambda: broker.is_connected, message="broker connected")
    yield broker
    await broker.close()


# The tests' seal, an unrelated one and a timestamp authority (tests/seals.py).

@pytest.fixture(scope="session")
def seal_kit() -> SealKit:
    """The seal the services under test use (tests.support.service_env gives it to them)."""
    return process_seal_kit()


@pytest.fixture(scope="session")
def unrelated_seal_kit(tmp_path_factory) -> SealKit:
    return make_seal_kit(tmp_path_factory.mktemp("unrelated-seal"))


@pytest.fixture(scope="session")
def timestamp_authority(seal_kit):
    authority = start_timestamp_authority(seal_kit)
    yield authority
    authority.stop()


@pytest.fixture
def seal_env(seal_kit, monkeypatch) -> dict[str, str]:
    for name in SEAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in seal_kit.env.items():
        monkeypatch.setenv(name, value)
    return seal_kit.env


@pytest.fixture
def seal_env_bt(seal_env, timestamp_authority, monkeypatch) -> dict[str, str]:
    monkeypatch.setenv("LAMADI_SEAL_TSA_URL", timestamp_authority.url)
    return {**seal_env, "LAMADI_SEAL_TSA_URL": timestamp_authority.url}
