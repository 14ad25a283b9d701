"""`lamadi open311 keys add|revoke|list`: the keys of Open311 client applications.

They are written straight into intake's database (LAMADI_DATABASE_URL, schema intake), through
intake's own handlers and unit of work, rather than through an admin API: intake is the public,
internet-facing service, and a key-issuing route there would be one more thing to guard. Keys
are issued rarely, by an operator who can reach the database (like `python -m deploy.migrate`)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid

import asyncpg
import structlog
from pydantic import ValidationError

from lamadi_cli.common import CliError, render_table
from services.intake import handlers
from services.intake.bootstrap import build_deps
from services.intake.domain.commands import AddClientKey, ListClientKeys, RevokeClientKey
from services.intake.settings import IntakeSettings
from shared.db import create_pool
from shared.errors import DomainError, InvalidInput
from shared.unit_of_work import run

SCHEMA = "intake"


def _log_to_stderr() -> None:
    """The handlers' logs go to stderr, so stdout carries the answer alone (a key, for
    `KEY=$(lamadi open311 keys add NAME)`). Left alone where a service configured logging already."""
    if not structlog.is_configured():
        structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))


async def _handle(handler, command):
    _log_to_stderr()
    try:
        settings = IntakeSettings()
    except ValidationError as exc:
        raise CliError(f"invalid LAMADI_* settings: {'; '.join(e['msg'] for e in exc.errors())}") from None
    try:
        pool = await create_pool(settings.database_url, SCHEMA, max_size=1)
    except (OSError, asyncpg.PostgresError) as exc:
        raise CliError(f"cannot reach intake's database ({type(exc).__name__}); is LAMADI_DATABASE_URL right?") from None
    deps = build_deps(settings)
    deps.attach_pool(pool)
    try:
        return await run(handler, command, deps, correlation_id=f"lamadi-cli-{uuid.uuid4()}")
    except asyncpg.UndefinedTableError:
        raise CliError("intake's database has no Open311 keys yet: start intake once, or run "
                       "`python -m deploy.migrate`") from None
    except DomainError as exc:
        raise CliError(exc.detail, code=2 if isinstance(exc, InvalidInput) else 1) from None
    finally:
        await pool.close()


def cmd_keys_add(args: argparse.Namespace) -> int:
    key = asyncio.run(_handle(handlers.add_client_key, AddClientKey(args.name)))
    print(f"Open311 api_key for {args.name} (shown once, stored hashed; give it to the application):",
          file=sys.stderr)
    print(key)
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    asyncio.run(_handle(handlers.revoke_client_key, RevokeClientKey(args.name)))
    print(f"revoked the Open311 key of {args.name}")
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    keys = asyncio.run(_handle(handlers.list_client_keys, ListClientKeys()))
    if not keys:
        print("no Open311 keys")
        return 0
    rows = [[k["name"], f"{k['created_at']:%Y-%m-%d %H:%M}", f"{k['revoked_at']:%Y-%m-%d %H:%M}"
             if k["revoked_at"] else "-"] for k in keys]
    print(render_table(("client", "issued", "revoked"), rows))
    return 0


def add_open311_parser(commands) -> None:
    """``lamadi open311 …`` on the main parser's sub-commands."""
    open311 = commands.add_parser("open311", help="Open311 GeoReport v2 client keys",
                                  description="Open311 GeoReport v2 (/open311/v2 on intake).")
    open311.set_defaults(func=None, help_of=open311)
    groups = open311.add_subparsers(title="groups", metavar="GROUP")
    keys = groups.add_parser("keys", help="client applications' api_key",
                             description="One api_key per client application, stored hashed in intake's database.")
    keys.set_defaults(func=None, help_of=keys)
    actions = keys.add_subparsers(title="actions", metavar="ACTION")
    add = actions.add_parser("add", help="issue a key for an application; prints it once",
                             description="Issue a key for an application and print it, once.")
    add.add_argument("name", metavar="NAME", help="the application, e.g. fixmystreet (lower case, digits, . _ -)")
    add.set_defaults(func=cmd_keys_add)
    revoke = actions.add_parser("revoke", help="revoke an application's key", description="Revoke an application's key.")
    revoke.add_argument("name", metavar="NAME")
    revoke.set_defaults(func=cmd_keys_revoke)
    listing = actions.add_parser("list", help="applications, when their key was issued and revoked",
                                 description="Applications, when their key was issued and revoked.")
    listing.set_defaults(func=cmd_keys_list)
