"""deploy/check-servers.sh, the set-up step of `make run` and `make test`, against servers of its
own: a PostgreSQL cluster this module creates (own port, own configuration and data directory,
created stopped, password auth on 127.0.0.1 as Debian creates it), and machines where the
servers are "not installed" (a PATH without their commands). The shared servers on 5432 and
5672 are never pointed at."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import ROOT, free_port

pytestmark = pytest.mark.slow  # starts processes or servers of its own

SCRIPT = ROOT / "deploy" / "check-servers.sh"
BASH = shutil.which("bash") or "/bin/bash"
# What the script may need on a machine without the servers: no psql, pg_*, rabbitmq-*, sudo.
BASIC_TOOLS = ("bash", "env", "id", "seq", "sleep", "grep", "awk", "find", "sort", "tail", "cat", "tee")
INSTALL_BOTH = "apt-get update && apt-get install -y postgresql rabbitmq-server"

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="creates a PostgreSQL cluster / changes user: needs root")


@dataclass
class Cluster:
    version: str
    name: str
    port: int
    conf_root: Path
    hba_as_created: str = ""

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "PG_CLUSTER_CONF_ROOT": str(self.conf_root)}

    def status(self) -> str:
        listing = subprocess.run(["pg_lsclusters", "-h", self.version, self.name], env=self.env,
                                 capture_output=True, text=True, check=True).stdout.split()
        return listing[3]

    def stop(self) -> None:
        if self.status() == "online":
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "stop", "-m", "fast"],
                           env=self.env, check=True, capture_output=True)

    def sql(self, query: str, database: str = "postgres") -> subprocess.CompletedProcess:
        """psql over TCP on 127.0.0.1, as user postgres, never prompting for a password."""
        return subprocess.run(["psql", "-w", "-X", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                               "-d", database, "-tAc", query], capture_output=True, text=True)

    @property
    def hba(self) -> Path:
        return self.conf_root / self.version / self.name / "pg_hba.conf"


def world_readable_dir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)  # the cluster owner (postgres) or nobody must reach inside
    return path


@pytest.fixture(scope="module")
def cluster():
    """One stopped cluster for the module, created as Debian creates one (host auth by password)."""
    if not shutil.which("pg_createcluster") or os.geteuid() != 0:
        pytest.skip("needs root and Debian's postgresql-common (pg_createcluster)")
    base = world_readable_dir("lamadi-check-pg-")
    (base / "etc").mkdir()
    version = sorted(os.listdir("/usr/lib/postgresql"), key=int)[-1]
    # A name of its own: Debian keeps a cluster's pid file under /var/run/postgresql by name, so
    # two test runs on one machine must not share it.
    own = Cluster(version, f"lamadi_check_{uuid.uuid4().hex[:8]}", free_port(), base / "etc")
    subprocess.run(["pg_createcluster", version, own.name, "--port", str(own.port), "--datadir", str(base / "data"),
                    "--logfile", str(base / "postgresql.log")], env=own.env, check=True, capture_output=True)
    own.hba_as_created = own.hba.read_text()
    try:
        yield own
    finally:
        subprocess.run(["pg_dropcluster", "--stop", version, own.name], env=own.env, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def check_servers(cluster: Cluster, **settings: str) -> subprocess.CompletedProcess:
    env = {**cluster.env, "LAMADI_SETUP_SERVERS": "postgresql", "LAMADI_SETUP_PG_PORT": str(cluster.port), **settings}
    return subprocess.run([BASH, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def first_run(cluster):
    """The script run once against the stopped cluster, named explicitly."""
    assert cluster.status() == "down"
    return check_servers(cluster, LAMADI_SETUP_PG_CLUSTER=f"{cluster.version}/{cluster.name}")


def test_starts_the_stopped_cluster_it_is_pointed_at(cluster, first_run):
    assert first_run.returncode == 0, first_run.stderr
    assert f"PostgreSQL {cluster.version}/{cluster.name} is installed but stopped: starting it" in first_run.stdout
    assert cluster.status() == "online"
    assert cluster.sql("SELECT 1").stdout.strip() == "1"


def test_gives_postgres_trust_on_loopback_only(cluster, first_run):
    assert "giving user postgres trust auth on 127.0.0.1/32 and ::1/128 only" in first_run.stdout
    rules = [line.split() for line in cluster.hba.read_text().splitlines() if line and not line.startswith("#")]
    trusted = [rule for rule in rules if rule[-1] == "trust" and rule[0] == "host"]
    assert trusted == [["host", "all", "postgres", "127.0.0.1/32", "trust"], ["host", "all", "postgres", "::1/128", "trust"]]
    assert rules[:2] == trusted  # first, so they match before the password rules that follow
    assert ["host", "all", "all", "127.0.0.1/32", "scram-sha-256"] in rules  # the rest is untouched


def test_creates_the_database(cluster, first_run):
    assert "created database lamadi" in first_run.stdout
    assert cluster.sql("SELECT current_database()", database="lamadi").stdout.strip() == "lamadi"


def test_a_second_run_changes_nothing(cluster, first_run):
    hba_before = cluster.hba.read_text()
    again = check_servers(cluster, LAMADI_SETUP_PG_CLUSTER=f"{cluster.version}/{cluster.name}")
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"check-servers: PostgreSQL answers on 127.0.0.1:{cluster.port}\n"
    assert cluster.hba.read_text() == hba_before


def test_finds_the_stopped_cluster_by_its_port(cluster, first_run):
    cluster.stop()
    assert cluster.sql("SELECT 1").returncode != 0
    result = check_servers(cluster)  # no LAMADI_SETUP_PG_CLUSTER: the cluster listed on the port
    assert result.returncode == 0, result.stderr
    assert "is installed but stopped: starting it" in result.stdout
    assert cluster.sql("SELECT 1").stdout.strip() == "1"


@pytest.fixture
def readable_script():
    """A copy of the script any user can read: the clone may sit in a private directory (a home
    directory of mode 0700) that the postgres user cannot enter."""
    base = world_readable_dir("lamadi-check-script-")
    shutil.copy(SCRIPT, base / SCRIPT.name)
    (base / SCRIPT.name).chmod(0o755)
    yield base / SCRIPT.name
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.skipif(not shutil.which("setpriv"), reason="needs setpriv (util-linux)")
def test_the_cluster_owner_needs_neither_root_nor_sudo(cluster, readable_script):
    # As Debian created it (password auth on 127.0.0.1), stopped, and the script run as postgres.
    cluster.stop()
    cluster.hba.write_text(cluster.hba_as_created)
    as_postgres = [shutil.which("setpriv"), "--reuid=postgres", "--regid=postgres", "--init-groups"]
    env = {**cluster.env, "LAMADI_SETUP_SERVERS": "postgresql", "LAMADI_SETUP_PG_PORT": str(cluster.port)}
    result = subprocess.run([*as_postgres, BASH, str(readable_script)], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sudo" not in result.stdout + result.stderr
    assert "is installed but stopped: starting it" in result.stdout
    assert "giving user postgres trust auth" in result.stdout
    assert cluster.sql("SELECT 1").stdout.strip() == "1"
    assert cluster.hba.stat().st_uid == pwd.getpwnam("postgres").pw_uid  # rewritten in place, still its owner's


def test_a_named_cluster_that_does_not_exist_is_an_error(cluster):
    result = check_servers(cluster, LAMADI_SETUP_PG_PORT=str(free_port()), LAMADI_SETUP_PG_CLUSTER="15/nowhere")
    assert result.returncode != 0
    assert "no PostgreSQL cluster 15/nowhere" in result.stderr


@pytest.fixture
def bare_machine():
    """A PATH with basic tools only (no PostgreSQL, RabbitMQ, apt-get or sudo) and a copy of the
    script, both in a directory any user can read."""
    base = world_readable_dir("lamadi-check-bare-")
    (base / "bin").mkdir(mode=0o755)
    for tool in BASIC_TOOLS:
        (base / "bin" / tool).symlink_to(shutil.which(tool))
    shutil.copy(SCRIPT, base / "check-servers.sh")
    yield base
    shutil.rmtree(base, ignore_errors=True)


def add_recording_command(bare_machine: Path, name: str, then: str = "") -> Path:
    """A stand-in for a command that must not really run here (apt-get, sudo): it appends its
    arguments to calls.log, then runs `then`."""
    log = bare_machine / "calls.log"
    log.touch(mode=0o666)
    log.chmod(0o666)
    stub = bare_machine / "bin" / name
    stub.write_text(f'#!{BASH}\necho "{name} $*" >> {log}\n{then}\n')
    stub.chmod(0o755)
    return log


def run_bare(bare_machine: Path, servers: str, *, as_nobody: bool = False, **settings: str):
    ports = {"LAMADI_SETUP_PG_PORT": str(free_port()), "LAMADI_SETUP_AMQP_PORT": str(free_port()),
             "LAMADI_SETUP_MGMT_PORT": str(free_port())}  # closed ports: nothing answers there
    env = {"PATH": str(bare_machine / "bin"), "LAMADI_SETUP_SERVERS": servers, **ports, **settings}
    prefix = ()
    if as_nobody:
        setpriv = shutil.which("setpriv") or pytest.skip("needs setpriv (util-linux)")
        prefix = (setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups")
    return subprocess.run([*prefix, BASH, str(bare_machine / "check-servers.sh")], env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("servers, command", [
    ("postgresql rabbitmq", INSTALL_BOTH),
    ("postgresql", "apt-get update && apt-get install -y postgresql\n"),
    ("rabbitmq", "apt-get update && apt-get install -y rabbitmq-server\n"),
])
def test_not_installed_and_install_disabled_names_the_command(bare_machine, servers, command):
    result = run_bare(bare_machine, servers, LAMADI_SETUP_NO_INSTALL="1")
    assert result.returncode == 1
    assert f"install with, as root: {command}" in result.stderr
    assert result.stdout == ""  # nothing was attempted


def test_not_installed_without_apt_get_names_the_debian_command(bare_machine):
    result = run_bare(bare_machine, "postgresql rabbitmq")
    assert result.returncode == 1
    assert "this machine has no apt-get" in result.stderr
    assert f"on Debian or Ubuntu, run as root: {INSTALL_BOTH}" in result.stderr


@needs_root
def test_not_installed_without_root_or_sudo_names_the_command(bare_machine):
    calls = add_recording_command(bare_machine, "apt-get")
    result = run_bare(bare_machine, "postgresql rabbitmq", as_nobody=True)
    assert result.returncode == 1
    assert "installing needs root and sudo is not installed" in result.stderr
    assert f"run as root: {INSTALL_BOTH}" in result.stderr
    assert calls.read_text() == ""


# The install itself, with apt-get recorded instead of run (this machine has both servers; a
# real install is exercised on a bare machine by `make run`). The recorded apt-get installs
# nothing, so the script then stops on the servers still missing.
APT_CALLS = ["apt-get update -q", "apt-get install -y -q postgresql rabbitmq-server"]
SUDO_CALLS = ["sudo apt-get update -q", "apt-get update -q",
              "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql rabbitmq-server",
              "apt-get install -y -q postgresql rabbitmq-server"]


@needs_root
@pytest.mark.parametrize("as_nobody, expected_calls", [(False, APT_CALLS), (True, SUDO_CALLS)], ids=["root", "sudo"])
def test_installs_the_missing_servers_with_apt_get(bare_machine, as_nobody, expected_calls):
    calls = add_recording_command(bare_machine, "apt-get")
    if as_nobody:
        add_recording_command(bare_machine, "sudo", then='exec "$@"')
    result = run_bare(bare_machine, "postgresql rabbitmq", as_nobody=as_nobody)
    assert "check-servers: installing with apt-get: postgresql rabbitmq-server" in result.stdout
    assert calls.read_text().splitlines() == expected_calls
    if as_nobody:
        assert "sudo may ask for your password to run: sudo apt-get update -q" in result.stderr
    assert result.returncode == 1
    assert "apt-get installed postgresql, yet pg_ctlcluster or the server is not here" in result.stderr
