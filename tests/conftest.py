from __future__ import annotations

import pytest

from lamadi_cli.mailcatcher import MailCatcher
from tests.support import free_port, create_database, create_vhost, delete_vhost, drop_database, service_env


@pytest.fixture
async def database():
    name = await create_database()
    yield name
    await drop_database(name)


@pytest.fixture
async def vhost():
    name = await create_vhost()
    yield name
    await delete_vhost(name)


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
