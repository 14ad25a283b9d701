"""`lamadi staff add|disable|enable|reset-password|list`: the portal's staff directory.

These write the portal's schema through the portal's own handlers and repository, in a unit
of work, rather than through an admin API: the first administrator has to exist before anyone
can sign in to an admin page, and whoever runs this already holds the database's credentials
(the same ones the portal's migration job uses). Each change is audited as ``cli:<user>``.
Passwords are asked twice without echo (or read from stdin with ``--password-stdin``); they are
never printed, logged or passed as an argument (which `ps` would show)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
import uuid

from pydantic import ValidationError

from lamadi_cli.common import CliError, render_table
from shared.auth import ROLES
from shared.db import create_pool
from shared.errors import DomainError
from shared.migrations import migrate
from shared.unit_of_work import run


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("New password: ")
        if getpass.getpass("Again: ") != password:
            raise CliError("the two passwords differ")
    if not password:
        raise CliError("no password given")
    return password


def _command(args: argparse.Namespace):
    from services.portal import handlers  # the portal is loaded only by these commands
    from services.portal.domain import commands

    actor = _actor()
    if args.action == "add":
        return handlers.add_staff, commands.AddStaff(args.email, args.name, args.role, _password(args), actor)
    if args.action in ("disable", "enable"):
        return handlers.disable_staff, commands.DisableStaff(args.email, actor, disabled=args.action == "disable")
    if args.action == "reset-password":
        return handlers.reset_password, commands.ResetPassword(args.email, _password(args), actor)
    return handlers.list_staff, commands.ListStaff(audit_limit=0)


async def _run(args: argparse.Namespace, handler, command) -> int:
    from services.portal.bootstrap import MIGRATIONS, SERVICE, build_deps
    from services.portal.settings import PortalSettings

    try:
        settings = PortalSettings()
    except ValidationError as exc:
        raise CliError(f"invalid LAMADI_* settings: {'; '.join(e['msg'] for e in exc.errors())}") from None
    deps = build_deps(settings)
    try:
        await migrate(settings.database_url, SERVICE, MIGRATIONS)
        deps.attach_pool(await create_pool(settings.database_url, SERVICE, max_size=2))
    except OSError as exc:
        raise CliError(f"cannot reach the database (LAMADI_DATABASE_URL): {type(exc).__name__}") from None
    try:
        result = await run(handler, command, deps, correlation_id=f"cli-{uuid.uuid4()}")
    except DomainError as exc:
        raise CliError(exc.detail) from None
    finally:
        await deps.pool.close()
        await deps.close_clients()
    if args.action == "list":
        accounts, _ = result
        rows = [[a.email, a.full_name, ",".join(a.roles), "disabled" if a.disabled else "active"] for a in accounts]
        print(render_table(("email", "name", "roles", "state"), rows))
    else:
        print(f"{args.action}: {result.email} ({', '.join(result.roles)}){' — disabled' if result.disabled else ''}")
    return 0


def cmd_staff(args: argparse.Namespace) -> int:
    handler, command = _command(args)
    return asyncio.run(_run(args, handler, command))


def add_parser(commands) -> None:
    staff = commands.add_parser("staff", help="the staff directory of the portal's staff pages",
                                description="Manage who may sign in to the portal's staff pages.")
    staff.set_defaults(func=None, help_of=staff)
    actions = staff.add_subparsers(title="actions", metavar="ACTION")
    add = actions.add_parser("add", help="add a staff member (asks for the password)",
                             description="Add a staff member; the password is asked twice, without echo.")
    add.add_argument("--email", required=True, help="their email: their sign-in name")
    add.add_argument("--name", required=True, help="their full name")
    add.add_argument("--role", action="append", required=True, choices=ROLES, metavar="ROLE",
                     help=f"a role; repeat for several (one of: {', '.join(ROLES)})")
    for name, text in (("disable", "stop a staff member signing in (their sessions end now)"),
                       ("enable", "let a disabled staff member sign in again"),
                       ("reset-password", "set a new password (asked twice; sessions end, lockout lifted)")):
        sub = actions.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        sub.add_argument("--email", required=True)
        sub.set_defaults(func=cmd_staff, action=name, password_stdin=False)
        if name == "reset-password":
            reset = sub
    for sub in (add, reset):
        sub.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=cmd_staff, action="add")
    listing = actions.add_parser("list", help="every staff member, their roles and state")
    listing.set_defaults(func=cmd_staff, action="list")
