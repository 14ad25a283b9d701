"""Test plumbing against the real servers: a fresh database and RabbitMQ vhost per test,
services run in-process (integration) or as processes (end-to-end), and a polling wait."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_DSN = os.environ.get("LAMADI_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
RABBIT_API = os.environ.get("LAMADI_TEST_RABBIT_API", "http://127.0.0.1:15672/api")
RABBIT_AUTH = ("guest", "guest")
SERVICES = ("intake", "review", "notifier", "reporting")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def create_database() -> str:
    name = f"lamadi_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name


async def drop_database(name: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def create_vhost() -> str:
    name = f"lamadi_test_{uuid.uuid4().hex[:12]}"
    async with httpx.AsyncClient(auth=RABBIT_AUTH) as client:
        (await client.put(f"{RABBIT_API}/vhosts/{quote(name, safe='')}")).raise_for_status()
        (
            await client.put(
                f"{RABBIT_API}/permissions/{quote(name, safe='')}/guest",
                json={"configure": ".*", "write": ".*", "read": ".*"},
            )
        ).raise_for_status()
    return name


async def delete_vhost(name: str) -> None:
    async with httpx.AsyncClient(auth=RABBIT_AUTH) as client:
        await client.delete(f"{RABBIT_API}/vhosts/{quote(name, safe='')}")


def service_env(database: str, vhost: str, *, amqp_port: int = 5672, **extra: str) -> dict[str, str]:
    """LAMADI_* settings for services under test: fast retries, fast polling."""
    env = {
        "LAMADI_ENV": "test",
        "LAMADI_DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{database}",
        "LAMADI_AMQP_URL": f"amqp://guest:guest@127.0.0.1:{amqp_port}/{quote(vhost, safe='')}",
        "LAMADI_RETRY_DELAYS": "[0.2, 0.5]",
        "LAMADI_OUTBOX_POLL_INTERVAL": "0.5",
        "LAMADI_OUTBOX_BACKOFF_MAX": "1.0",
        "LAMADI_BROKER_RECONNECT_INTERVAL": "0.5",
        "LAMADI_LOG_JSON": "true",
        "LAMADI_SHUTDOWN_GRACE": "5",
    }
    env.update(extra)
    return env


async def wait_until(predicate, *, timeout: float = 20.0, interval: float = 0.1, message: str = "condition"):
    """Poll an (async or sync) predicate until it returns something truthy, and return it."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}; last value: {last!r}")


@asynccontextmanager
async def running_app(app):
    """Run a service in this process (lifespan included) and give an httpx client on it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


class ServiceProcess:
    """One service started as deployed: ``python -m services.<name>`` in its own process."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path, *, port: int | None = None):
        self.name, self.port = name, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"{name}.log"
        full_env = {**os.environ, **env, "LAMADI_PORT": str(self.port)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}"],
            cwd=ROOT,
            env=full_env,
            stdout=self.log_path.open("wb"),
            stderr=subprocess.STDOUT,
        )

    async def wait_ready(self, timeout: float = 30.0) -> None:
        async def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                async with httpx.AsyncClient() as client:
                    return (await client.get(f"{self.url}/readyz", timeout=2)).status_code == 200
            except httpx.HTTPError:
                return False

        await wait_until(ready, timeout=timeout, message=f"{self.name} ready")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def portal_env(intake_url: str, staging_dir: Path, **extra: str) -> dict[str, str]:
    """The portal's own settings under test: the intake it calls, its staging directory, plain
    HTTP (no Secure cookies) and rate limits high enough for a test run."""
    return {
        "LAMADI_INTAKE_URL": intake_url,
        "LAMADI_STAGING_DIR": str(staging_dir),
        "LAMADI_SECURE_COOKIES": "false",
        "LAMADI_FILING_RATE_LIMIT": "1000/minute",
        "LAMADI_TRACKING_RATE_LIMIT": "1000/minute",
        **extra,
    }
