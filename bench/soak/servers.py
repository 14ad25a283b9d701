"""The soak's own servers, so it can restart them for real without touching the machine's:
a RabbitMQ node and a PostgreSQL cluster (own ports, node name, configuration and data
directories, started and stopped here), the mail catcher and the TCP proxy as processes."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import asyncpg
import httpx

from tests.support import ROOT, free_port, wait_until

# Debian's /usr/sbin/rabbitmq-server switches to the rabbitmq user and the machine's own node
# settings; the scripts behind it read everything from the environment we give them.
RABBIT_BIN = Path("/usr/lib/rabbitmq/bin")
PG_BIN = Path("/usr/lib/postgresql")


class Process:
    """A child process with its output in a log file; ``start`` again after ``stop``/``kill``."""

    def __init__(self, name: str, command: list[str], log: Path, env: dict[str, str] | None = None):
        self.name, self.command, self.log, self.env = name, command, log, env
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self.log.open("ab"),
                                        stderr=subprocess.STDOUT)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.alive:
            self.process.kill()
            self.process.wait()

    def stop(self, timeout: float = 60) -> None:
        if self.alive:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class OwnPostgres:
    """A PostgreSQL cluster of the soak's own: initdb in its directory, pg_ctl on a free port."""

    def __init__(self, base: Path):
        versions = sorted((p.name for p in PG_BIN.iterdir() if (p / "bin" / "pg_ctl").exists()), key=int)
        if not versions:
            raise SystemExit("soak: PostgreSQL's server binaries are not installed (make servers installs them)")
        self.bin = PG_BIN / versions[-1] / "bin"
        self.directory, self.port = base / "postgresql", free_port()
        self.data = self.directory / "data"

    def _run(self, *args: str) -> None:
        # No pipes: the server pg_ctl leaves behind would hold them open (its output goes to -l).
        subprocess.run(as_postgres([str(self.bin / args[0]), *args[1:]]), check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)

    def create(self) -> None:
        self.directory.mkdir(mode=0o755)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions")

    def start(self) -> None:
        options = (f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{self.directory}' "
                   "-c max_connections=300")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.directory / "postgresql.log"), "-w", "-t", "60",
                  "-o", options, "start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        """A real restart: fast shutdown (every connection dropped), then start (same options)."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.directory / "postgresql.log"), "-m", "fast", "-w",
                  "-t", "60", "restart")

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    async def sql(self, query: str, *args, database: str = "postgres"):
        conn = await asyncpg.connect(self.url(database))
        try:
            return await conn.fetch(query, *args)
        finally:
            await conn.close()

    async def terminate_connections(self, database: str) -> int:
        rows = await self.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = $1 AND pid <> pg_backend_pid()", database)
        return len(rows)


class OwnRabbitMQ:
    """A RabbitMQ node of the soak's own: its node name, AMQP, distribution and management
    ports, configuration, enabled plugins, data directory and Erlang cookie (in its HOME)."""

    def __init__(self, base: Path):
        self.directory = base / "rabbitmq"
        self.node = f"lamadi-soak-{os.getpid()}@localhost"
        self.amqp_port, self.dist_port, self.management_port = free_port(), free_port(), free_port()
        self.api = f"http://127.0.0.1:{self.management_port}/api"
        self.server: Process | None = None

    def create(self) -> None:
        self.directory.mkdir()
        (self.directory / "rabbitmq-env.conf").write_text("")  # not the machine's /etc/rabbitmq one
        (self.directory / "enabled_plugins").write_text("[rabbitmq_management].\n")
        (self.directory / "rabbitmq.conf").write_text(
            f"listeners.tcp.default = 127.0.0.1:{self.amqp_port}\n"
            f"management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = {self.management_port}\n"
            "collect_statistics_interval = 1000\nlog.file.level = warning\n"
        )
        d = self.directory
        env = {**os.environ, "HOME": str(d), "RABBITMQ_CONF_ENV_FILE": str(d / "rabbitmq-env.conf"),
               "RABBITMQ_NODENAME": self.node, "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
               "RABBITMQ_NODE_PORT": str(self.amqp_port), "RABBITMQ_DIST_PORT": str(self.dist_port),
               "RABBITMQ_CONFIG_FILE": str(d / "rabbitmq.conf"), "RABBITMQ_ENABLED_PLUGINS_FILE": str(d / "enabled_plugins"),
               "RABBITMQ_ADVANCED_CONFIG_FILE": str(d / "advanced.config"), "RABBITMQ_MNESIA_BASE": str(d / "mnesia"),
               "RABBITMQ_LOG_BASE": str(d / "log"), "RABBITMQ_PID_FILE": str(d / "rabbitmq.pid"),
               "RABBITMQ_PLUGINS_EXPAND_DIR": str(d / "plugins-expand"), "ERL_EPMD_ADDRESS": "127.0.0.1"}
        self.server = Process("rabbitmq", [str(RABBIT_BIN / "rabbitmq-server")], d / "server.log", env)

    async def start(self) -> None:
        self.server.start()
        await wait_until(self._answers, timeout=180, interval=1, message="the soak's RabbitMQ node")

    async def _answers(self) -> bool:
        if not self.server.alive:
            raise RuntimeError(f"RabbitMQ exited: see {self.server.log}")
        try:
            async with httpx.AsyncClient(auth=("guest", "guest")) as client:
                return (await client.get(f"{self.api}/overview", timeout=3)).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        """SIGTERM: the script stops the node properly (rabbitmqctl stop), then exits."""
        if self.server is not None:
            self.server.stop(timeout=120)

    async def restart(self) -> None:
        await asyncio.to_thread(self.stop)
        await self.start()

    async def create_vhost(self, name: str) -> None:
        async with httpx.AsyncClient(auth=("guest", "guest")) as client:
            (await client.put(f"{self.api}/vhosts/{name}")).raise_for_status()
            (await client.put(f"{self.api}/permissions/{name}/guest",
                              json={"configure": ".*", "write": ".*", "read": ".*"})).raise_for_status()

    async def queues(self, vhost: str) -> list[dict]:
        async with httpx.AsyncClient(auth=("guest", "guest")) as client:
            answer = await client.get(f"{self.api}/queues/{vhost}", params={"columns": "name,messages"}, timeout=10)
            answer.raise_for_status()
            return answer.json()


def service_env(base: Path, postgres: OwnPostgres, rabbit: OwnRabbitMQ, amqp_port: int, smtp_port: int,
                queue_type: str, database: str, vhost: str) -> dict[str, str]:
    """The services' settings on these servers (the soak's AMQP port is its proxy's)."""
    return {
        "LAMADI_DATABASE_URL": postgres.url(database),
        "LAMADI_AMQP_URL": f"amqp://guest:guest@127.0.0.1:{amqp_port}/{vhost}",
        "LAMADI_RABBIT_API_URL": rabbit.api,
        "LAMADI_QUEUE_TYPE": queue_type,
        "LAMADI_SMTP_PORT": str(smtp_port),
        "LAMADI_DOCUMENTS_DIR": str(base / "documents"),
        # Blob stores shared by two services each: the notifier writes the issued documents and
        # intake serves them; reporting writes the report's files and the notifier attaches them.
        "LAMADI_ISSUED_DOCUMENTS_DIR": str(base / "issued-documents"),
        "LAMADI_REPORT_FILES_DIR": str(base / "report-files"),
        # Retries outlast the faults (the SMTP minute above all): 206 s in all before parking.
        "LAMADI_RETRY_DELAYS": "[1, 5, 20, 60, 120]",
        "LAMADI_OUTBOX_POLL_INTERVAL": "1",
        "LAMADI_BROKER_RECONNECT_INTERVAL": "1",
        "LAMADI_SHUTDOWN_GRACE": "5",
        "LAMADI_LOG_JSON": "true",
    }


def mail_catcher(port: int, maildir: Path, log: Path) -> Process:
    return Process("mail catcher", [sys.executable, "-m", "lamadi_cli.mailcatcher", "--port", str(port),
                                    "--maildir", str(maildir)], log)


def tcp_proxy(listen_port: int, target_port: int, log: Path) -> Process:
    return Process("tcp proxy", [sys.executable, "-m", "bench.soak.proxy", str(listen_port), str(target_port)], log)
