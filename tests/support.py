"""Test plumbing against the real servers: a fresh database and RabbitMQ vhost per test,
services run in-process (integration) or as processes (end-to-end), and a polling wait."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import io
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import asyncpg
import httpx

from shared.catalogue import default_catalogue
from shared.container import Dependencies
from shared.db import create_pool
from shared.messaging.broker import Broker
from shared.messaging.topology import QueueArguments
from shared.migrations import migrate
from shared.process import tls_context
from shared.settings import ServiceSettings
from tests.seals import make_seal_kit

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_DSN = os.environ.get("LAMADI_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
RABBIT_API = os.environ.get("LAMADI_TEST_RABBIT_API", "http://127.0.0.1:15672/api")
RABBIT_AUTH = ("guest", "guest")
SERVICES = ("intake", "review", "notifier", "reporting")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def create_database(template: str | None = None) -> str:
    """A new database: empty, or a copy of ``template``, copied file by file (PostgreSQL 15's
    default writes a copy through the WAL: about three times the work for a small database).
    Its commits do not wait for the disk (``synchronous_commit = off``): a test's database is
    dropped after it, and what the tests check is the services' behaviour, never the server's
    durability (the fault campaign, `make soak`, runs on a cluster of its own with the defaults)."""
    name = f"lamadi_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}" STRATEGY = FILE_COPY' if template else ""
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"{copy}')
        await conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await conn.close()
    return name


async def create_migrated_template() -> str:
    """A database with every service's schema migrated, to copy for each test (CREATE DATABASE …
    TEMPLATE): a service started on a copy finds its migrations applied."""
    name = await create_database()
    for service in (*SERVICES, "portal"):
        await migrate(database_url(name), service, ROOT / "services" / service / "migrations")
    return name


def database_url(database: str) -> str:
    return f"postgresql://postgres@127.0.0.1:5432/{database}"


async def drop_database(name: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def create_vhost() -> str:
    name = f"lamadi_test_{uuid.uuid4().hex[:12]}"
    async with httpx.AsyncClient(auth=RABBIT_AUTH, timeout=60, verify=tls_context()) as client:
        (await client.put(f"{RABBIT_API}/vhosts/{quote(name, safe='')}")).raise_for_status()
        (
            await client.put(
                f"{RABBIT_API}/permissions/{quote(name, safe='')}/guest",
                json={"configure": ".*", "write": ".*", "read": ".*"},
            )
        ).raise_for_status()
    return name


async def delete_vhost(name: str) -> None:
    # Generous: a loaded RabbitMQ takes its time to stop a vhost's queues.
    async with httpx.AsyncClient(auth=RABBIT_AUTH, timeout=60, verify=tls_context()) as client:
        await client.delete(f"{RABBIT_API}/vhosts/{quote(name, safe='')}")


@asynccontextmanager
async def messaging_parts(env: dict[str, str], *, queue_arguments: QueueArguments | None = None,
                          pool_size: int = 10):
    """What the messaging core works with, without a service around it: a pool on the review
    schema (the migrated test database has its outbox, inbox and leases) with a table ``seen``
    for a test's handlers to write to, a broker connected (topology declared) and the
    dependencies handlers are given. Yields (pool, broker, deps)."""
    pool = await create_pool(env["LAMADI_DATABASE_URL"], "review", max_size=pool_size)
    await pool.execute("CREATE TABLE seen (event_id uuid, subject text)")
    broker = Broker(env["LAMADI_AMQP_URL"], "lamadi.events", reconnect_interval=0.5, queue_arguments=queue_arguments)
    broker.start()
    try:
        await wait_until(lambda: broker.is_connected, message="broker connected, topology declared")
        deps = Dependencies(service="review", settings=ServiceSettings(), catalogue=default_catalogue())
        deps.attach_pool(pool)
        yield pool, broker, deps
    finally:
        await broker.close()
        await pool.close()


class ScratchServers:
    """Each test's own database (a copy of the migrated template) and broker vhost, made ahead
    while the test before runs and dropped in the background after it: a test waits for neither.
    ``close`` (at the end of the run) waits for what is still under way, a minute at most."""

    def __init__(self, template: str):
        self.template = template
        self._ahead: dict[str, asyncio.Task | None] = {"database": None, "vhost": None}
        self._behind: set[asyncio.Task] = set()

    async def database(self) -> str:
        return await self._take("database", lambda: create_database(template=self.template))

    async def vhost(self) -> str:
        return await self._take("vhost", create_vhost)

    async def _take(self, kind: str, make) -> str:
        ahead, self._ahead[kind] = self._ahead[kind], None
        try:
            name = await ahead if ahead is not None else await make()
        except (OSError, asyncpg.PostgresError, httpx.HTTPError):
            name = await make()  # made ahead under load and failed: once more, now
        self._ahead[kind] = asyncio.create_task(make())
        return name

    def drop_database(self, name: str) -> None:
        self._in_background(drop_database(name), f"drop database {name}")

    def delete_vhost(self, name: str) -> None:
        self._in_background(delete_vhost(name), f"delete vhost {name}")

    def _in_background(self, work, what: str) -> None:
        async def quietly():
            try:
                await work
            except (OSError, asyncpg.PostgresError, httpx.HTTPError) as exc:
                # Housekeeping: a database or vhost left behind is no test's failure.
                warnings.warn(f"could not {what}: {exc!r}", stacklevel=1)

        task = asyncio.create_task(quietly())
        self._behind.add(task)
        task.add_done_callback(self._behind.discard)

    async def close(self) -> None:
        for kind, ahead in self._ahead.items():
            if ahead is None:
                continue
            try:
                name = await ahead
            except (OSError, asyncpg.PostgresError, httpx.HTTPError):
                continue
            self.drop_database(name) if kind == "database" else self.delete_vhost(name)
        if self._behind:
            await asyncio.wait(self._behind, timeout=60)


def service_env(database: str, vhost: str, *, amqp_port: int = 5672, **extra: str) -> dict[str, str]:
    """LAMADI_* settings for services under test: fast retries, fast polling, small pools (tests
    run side by side, and PostgreSQL serves 100 connections in all)."""
    env = {
        "LAMADI_ENV": "test",
        "LAMADI_DATABASE_URL": database_url(database),
        "LAMADI_DATABASE_POOL_MAX": "5",
        "LAMADI_PREFETCH": "2",  # the notifier's pool must outnumber its two queues' prefetch
        "LAMADI_AMQP_URL": f"amqp://guest:guest@127.0.0.1:{amqp_port}/{quote(vhost, safe='')}",
        "LAMADI_RETRY_DELAYS": "[0.2, 0.5]",
        "LAMADI_OUTBOX_POLL_INTERVAL": "0.5",
        "LAMADI_OUTBOX_BACKOFF_MAX": "1.0",
        "LAMADI_BROKER_RECONNECT_INTERVAL": "0.5",
        "LAMADI_LOG_JSON": "true",
        "LAMADI_SHUTDOWN_GRACE": "5",
        # Staff passwords hashed with argon2-cffi's test profile: a sign-in costs microseconds,
        # not the tens of milliseconds a real hash takes (refused in production).
        "LAMADI_PASSWORD_HASH_PROFILE": "CHEAPEST",
        # Every document issued under test is sealed, by the tests' own seal (its CA the trust root).
        **process_seal_kit().env,
    }
    env.update(extra)
    return env


@functools.cache
def process_seal_kit():
    """The tests' seal (tests/seals.py), made once per test process: the services under test seal
    with it, and the tests check what they issued against its CA."""
    directory = Path(tempfile.mkdtemp(prefix="lamadi-test-seal-"))
    atexit.register(shutil.rmtree, directory, True)
    return make_seal_kit(directory)


async def wait_until(predicate, *, timeout: float = 20.0, interval: float = 0.05, message: str = "condition"):
    """Poll an (async or sync) predicate until it returns something truthy, and return it. Every
    20th of a second: what the tests wait for (an event handled, a row committed) takes a few
    milliseconds in this process, so a coarser poll would be most of a test's time."""
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


class ServiceProcess:
    """One service started as deployed: ``python -m services.<name>`` in its own process.
    ``instance`` numbers one of several copies of a service (its log is ``<name>-<n>.log``)."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path, *, port: int | None = None,
                 instance: int | None = None):
        self.name, self.instance, self.port = name, instance, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / (f"{name}.log" if instance is None else f"{name}-{instance}.log")
        self.env = {**os.environ, **env, "LAMADI_PORT": str(self.port)}
        self.process = self._spawn("wb")

    def _spawn(self, mode: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", f"services.{self.name}"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_path.open(mode),
            stderr=subprocess.STDOUT,
        )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    async def wait_ready(self, timeout: float = 30.0) -> None:
        async def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                async with httpx.AsyncClient(verify=tls_context()) as client:
                    return (await client.get(f"{self.url}/readyz", timeout=2)).status_code == 200
            except httpx.HTTPError:
                return False

        await wait_until(ready, timeout=timeout, message=f"{self.name} ready")

    def kill(self) -> None:
        """SIGKILL: no graceful stop, whatever is in flight is cut where it stands."""
        if self.alive:
            self.process.kill()
        self.process.wait()

    def restart(self) -> None:
        """Start again on the same port (after ``kill`` or a crash); the log goes on."""
        self.kill()
        self.process = self._spawn("ab")

    def stop(self) -> None:
        self.terminate()
        self.wait_stopped()

    def terminate(self) -> None:
        """SIGTERM: a graceful stop (in-flight work finishes), as an orchestrator stops a pod."""
        if self.process.poll() is None:
            self.process.terminate()

    def wait_stopped(self, timeout: float = 15) -> None:
        """Wait for the exit after ``terminate``; SIGKILL past ``timeout``."""
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def logged(self, *events: str) -> list[dict]:
        """This process's JSON log lines whose ``event`` is one of those named, in order."""
        found = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            if not any(f'"{event}"' in line for event in events):
                continue
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("event") in events:
                found.append(record)
        return found


class Fleet:
    """The services as deployed, each its own process (one or more instances of each), on one
    database, vhost and mail catcher; RabbitMQ reached through ``proxy`` when the test cuts it.
    ``url`` hands out a live instance in turn, so requests spread over all of them; it has what
    ``tests.e2e.journey.Journey`` drives (``url``, ``http``, ``mailcatcher``)."""

    def __init__(self, instances: dict[str, list[ServiceProcess]], mailcatcher, proxy=None):
        self.instances, self.mailcatcher, self.proxy = instances, mailcatcher, proxy
        self.http = httpx.AsyncClient(timeout=10, verify=tls_context())
        self._turn = itertools.count()

    @classmethod
    async def start(cls, services: Sequence[str], env: dict[str, str], log_dir: Path, mailcatcher, *,
                    instances: int = 2, per_service: dict[str, dict[str, str]] | None = None,
                    ports: dict[str, int] | None = None, proxy=None) -> "Fleet":
        """``ports``: a service's port chosen beforehand (one instance of it), when another
        service must know its address."""
        log_dir.mkdir(parents=True, exist_ok=True)
        per_service, ports = per_service or {}, ports or {}
        fleet = cls({name: [ServiceProcess(name, {**env, **per_service.get(name, {})}, log_dir, instance=n,
                                           port=ports.get(name)) for n in range(instances)]
                     for name in services}, mailcatcher, proxy)
        try:
            await asyncio.gather(*(p.wait_ready(timeout=60) for p in fleet.processes()))
        except BaseException:
            await fleet.stop()
            raise
        return fleet

    def processes(self) -> list[ServiceProcess]:
        return [p for copies in self.instances.values() for p in copies]

    @property
    def services(self) -> dict[str, ServiceProcess]:
        """The first instance of each service."""
        return {name: copies[0] for name, copies in self.instances.items()}

    def url(self, service: str, path: str) -> str:
        live = [p for p in self.instances[service] if p.alive] or self.instances[service]
        return live[next(self._turn) % len(live)].url + path

    async def readiness(self) -> dict[str, int]:
        """Each process's /readyz status code (0: no answer)."""
        answers = {}
        for process in self.processes():
            try:
                answers[process.log_path.stem] = (await self.http.get(process.url + "/readyz", timeout=2)).status_code
            except httpx.HTTPError:
                answers[process.log_path.stem] = 0
        return answers

    async def stop(self) -> dict[str, int | None]:
        """SIGTERM to every process at once, then each one's exit code once it has stopped."""
        await self.http.aclose()
        for process in self.processes():
            process.terminate()
        await asyncio.gather(*(asyncio.to_thread(process.wait_stopped) for process in self.processes()))
        return {process.log_path.stem: process.process.returncode for process in self.processes()}


async def count(pool, table: str) -> int:
    """Rows in a table of the pool's schema."""
    return await pool.fetchval(f"SELECT count(*) FROM {table}")


async def run_cli(*argv: str) -> tuple[int, str, str]:
    """``lamadi <argv>`` through its main(), in a thread since it runs its own event loop: its exit
    code and what it printed. Caught here rather than with capsys: a service configured while
    capsys is on logs to a file closed after. (Structlog prints to whatever sys.stdout is, so the
    logs of services in this process land in ``out`` too while it runs.)"""
    from lamadi_cli.main import main

    out, err = io.StringIO(), io.StringIO()

    def call() -> int:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            return main(list(argv))

    code = await asyncio.to_thread(call)
    return code, out.getvalue(), err.getvalue()


async def queue_depth(broker, queue: str) -> int:
    """Messages in ``queue`` now. Not a passive declare: a robust channel answers that from its
    cache, with a stale count."""
    declared = await broker.channel.declare_queue(queue, durable=True, robust=False)
    return declared.declaration_result.message_count


def emails_about(mailcatcher, tracking_number: str) -> list:
    """The emails the mail catcher holds whose subject names this filing."""
    return [m for m in mailcatcher.messages() if tracking_number in str(m["Subject"])]


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


class RecordingTransport(httpx.AsyncBaseTransport):
    """A service's app in this process, with the requests a client sent it kept for the test to read."""

    def __init__(self, app):
        self.inner, self.requests = httpx.ASGITransport(app=app), []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)
