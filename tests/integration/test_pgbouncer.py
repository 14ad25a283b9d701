"""The services behind PgBouncer in transaction mode, the portal among them: a filing followed
to its decision email and report entry, then on the portal (its tracking page, a staff sign-in
it audits in its own schema), with every service's pool going through the pooler (statement
cache off, the search path from each service's role) and the relays' LISTEN on a direct
connection (the portal has no relay: it publishes nothing)."""

from __future__ import annotations

import csv
import io
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import asyncpg
import pytest

from shared.db import SearchPathError, create_pool
from tests.e2e.journey import Journey
from tests.pages import csrf_token, text_of
from tests.support import PG_ADMIN_DSN, SERVICES, Fleet, drop_database, free_port, portal_env, service_env, wait_until

EVERY_SERVICE = (*SERVICES, "portal")

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
pytestmark = [pytest.mark.slow,  # starts PgBouncer and the services as processes
              pytest.mark.empty_database,  # its services' roles must own their schemas
              pytest.mark.skipif(not os.path.exists(PGBOUNCER),
                                 reason="pgbouncer is not installed (make test installs it: deploy/check-servers.sh)")]


class PgBouncer:
    """Our own PgBouncer on a free port, transaction pooling, in front of the test PostgreSQL.
    PgBouncer refuses to run as root, so as root it runs as the postgres user."""

    def __init__(self, roles: list[str], upstream_port: int = 5432):
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="lamadi-pgbouncer-"))
        self.directory.chmod(0o755)  # readable by the user it runs as
        users = "".join(f'"{role}" ""\n' for role in [*roles, "pgbouncer"])
        (self.directory / "users.txt").write_text(users)
        (self.directory / "pgbouncer.ini").write_text(
            f"[databases]\n* = host=127.0.0.1 port={upstream_port}\n\n[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {self.directory / 'users.txt'}\nadmin_users = pgbouncer\n"
            "pool_mode = transaction\nmax_client_conn = 400\ndefault_pool_size = 20\n"
        )
        command = [PGBOUNCER, str(self.directory / "pgbouncer.ini")]
        if os.geteuid() == 0:
            pwd.getpwnam("postgres")  # the user must exist
            command = ["runuser", "-u", "postgres", "--", *command]
        self.log = (self.directory / "pgbouncer.log").open("wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)

    def url(self, role: str, database: str) -> str:
        return f"postgresql://{role}@127.0.0.1:{self.port}/{database}"

    def admin(self, command: str) -> list[dict[str, str]]:
        """A SHOW command on PgBouncer's console, through psql: the console speaks only the
        simple query protocol, which asyncpg does not use for queries returning rows."""
        answer = subprocess.run(["psql", "-X", "--csv", "-h", "127.0.0.1", "-p", str(self.port), "-U", "pgbouncer",
                                 "-d", "pgbouncer", "-c", command], capture_output=True, text=True, timeout=10)
        if answer.returncode != 0:
            raise ConnectionError(answer.stderr.strip())
        return list(csv.DictReader(io.StringIO(answer.stdout)))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture
async def roles(database):
    """One login role per service, whose search path is the service's schema (what a pooled
    connection keeps, since RESET ALL and every new server connection go back to it)."""
    names = {service: f"{database}_{service}" for service in EVERY_SERVICE}
    for service, role in names.items():
        await _admin(f'CREATE ROLE "{role}" LOGIN')
        await _admin(f'ALTER ROLE "{role}" SET search_path = "{service}"')
        await _admin(f'GRANT CONNECT, CREATE ON DATABASE "{database}" TO "{role}"')
    yield names
    await drop_database(database)  # before the roles that own its schemas
    for role in names.values():
        await _admin(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture
async def pgbouncer(roles):
    bouncer = PgBouncer(list(roles.values()))
    try:
        await wait_until(lambda: _answers(bouncer), timeout=15, message="pgbouncer listening")
        yield bouncer
    finally:
        bouncer.stop()


def _answers(bouncer: PgBouncer) -> bool:
    try:
        bouncer.admin("SHOW VERSION")
        return True
    except ConnectionError:
        return False


async def test_every_service_works_behind_pgbouncer_in_transaction_mode(database, vhost, mailcatcher, roles,
                                                                       pgbouncer, tmp_path):
    env = service_env(database, vhost, LAMADI_SMTP_PORT=str(mailcatcher.port),
                      LAMADI_DATABASE_POOLER="transaction", LAMADI_DOCUMENTS_DIR=str(tmp_path / "documents"))
    per_service = {service: {"LAMADI_DATABASE_URL": pgbouncer.url(role, database),
                             "LAMADI_DATABASE_DIRECT_URL": f"postgresql://{role}@127.0.0.1:5432/{database}"}
                   for service, role in roles.items()}
    ports = {service: free_port() for service in EVERY_SERVICE}  # the portal must know the others' addresses
    per_service["portal"] |= portal_env(f"http://127.0.0.1:{ports['intake']}", tmp_path / "staging", **{
        f"LAMADI_{name.upper()}_URL": f"http://127.0.0.1:{ports[name]}" for name in ("review", "notifier", "reporting")})
    fleet = await Fleet.start(EVERY_SERVICE, env, tmp_path / "logs", mailcatcher, instances=1,
                              per_service=per_service, ports=ports)
    try:
        j = Journey(fleet, "complaint", email="pooled@example.ma")
        await j.file()
        await j.wait_task("queued")
        await j.staff_post("claim", "reviewer", "reviewer-fatima")
        await j.staff_post("decision", "reviewer", "reviewer-fatima", {"outcome": "answered", "text": "Réponse."})
        await j.wait_public_status("closed")
        await j.wait_emails(2)
        assert j.templates() == ["decision", "receipt"]
        await j.wait_report(received=1, decided=1, emails_sent=2)
        await _on_the_portal(fleet, j)

        # Every service's transactions went through the pooler, each role in its own pool...
        stats = {row["database"]: row for row in pgbouncer.admin("SHOW STATS")}
        assert int(stats[database]["total_xact_count"]) > 0
        pools = {row["user"]: row for row in pgbouncer.admin("SHOW POOLS") if row["database"] == database}
        assert set(pools) == set(roles.values())
        # ...while each relay listens on a direct connection (LISTEN cannot go through the pooler).
        conn = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            listening = await conn.fetch("SELECT usename FROM pg_stat_activity WHERE datname = $1 "
                                         "AND query LIKE 'LISTEN %'", database)
        finally:
            await conn.close()
        assert sorted(row["usename"] for row in listening) == sorted(roles[name] for name in SERVICES)
        audited = await conn_fetch(database, "SELECT action FROM portal.staff_audit")
        assert [row["action"] for row in audited] == ["sign_in_failed"]
    finally:
        codes = await fleet.stop()
    assert all(code in (0, -15) for code in codes.values()), codes


async def _on_the_portal(fleet: Fleet, journey: Journey) -> None:
    """The applicant follows the filing on the portal (which reads intake), and a staff sign-in
    with a wrong password is refused and audited (a write in the portal's schema, pooled)."""
    portal = fleet.services["portal"].url
    login = await fleet.http.get(f"{portal}/track")
    opened = await fleet.http.post(f"{portal}/track", data={
        "csrftoken": csrf_token(login.text), "tracking_number": journey.tracking_number,
        "access_code": journey.token}, follow_redirects=True)
    assert opened.status_code == 200 and journey.tracking_number in text_of(opened.text), opened.text[:500]
    sign_in = await fleet.http.get(f"{portal}/staff/sign-in")
    refused = await fleet.http.post(f"{portal}/staff/sign-in", data={
        "csrftoken": csrf_token(sign_in.text), "email": "nobody@agence.ma", "password": "not the password at all"})
    assert refused.status_code == 403


async def conn_fetch(database: str, sql: str) -> list:
    conn = await asyncpg.connect(PG_ADMIN_DSN.rsplit("/", 1)[0] + f"/{database}")
    try:
        return await conn.fetch(sql)
    finally:
        await conn.close()


async def test_a_role_without_the_schema_in_its_search_path_is_refused_at_start(database, pgbouncer, roles):
    await _admin(f'ALTER ROLE "{roles["review"]}" RESET search_path')
    with pytest.raises(SearchPathError, match='ALTER ROLE .* SET search_path = "review"'):
        await create_pool(pgbouncer.url(roles["review"], database), "review", pooler="transaction")
