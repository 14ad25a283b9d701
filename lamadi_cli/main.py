"""lamadi: the operators' and developers' command line.

    lamadi token --role reviewer --sub amina          a development JWT (LAMADI_JWT_SECRET)
    lamadi ops queues                                 depth, consumers, retrying, parked per work queue
    lamadi ops parked list lamadi.review.submissions  parked messages, left in place
    lamadi ops parked replay QUEUE [--count N]        back to the work queue, attempts reset
    lamadi ops parked drop QUEUE [--count N]          remove them for good
    lamadi report build --date 2026-03-14 [--force]   build a closed day's daily report (a sent one needs --force)
    lamadi report send --date 2026-03-14              email it to the Urban Planning Directorate (again)
    lamadi mail list                                  what the local mail catcher caught
    lamadi staff add --email E --name N --role R      a staff member of the portal (password asked)
    lamadi staff disable|enable|reset-password --email E
    lamadi open311 keys add|revoke NAME               an Open311 client's api_key (intake's database)
    lamadi seal init [--dir var/seal] [--force]       a development CA and seal certificate (PKCS#12)
    lamadi seal show                                  the configured seal: subject, validity, fingerprint

Settings come from the LAMADI_* environment variables (LAMADI_AMQP_URL, LAMADI_JWT_SECRET,
LAMADI_DATABASE_URL, LAMADI_SEAL_*).
Exit codes: 0 done, 1 failed, 2 bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

from lamadi_cli import staff as staff_commands
from lamadi_cli.common import CliError, call_service, load_settings, render_table
from lamadi_cli.mailcatcher import read_maildir
from lamadi_cli.open311 import add_open311_parser
from lamadi_cli.parked import run_parked
from lamadi_cli.report import add_report_commands
from lamadi_cli.seal import add_seal_parser
from shared.auth import ROLES, issue_token
from shared.messaging.topology import TOPOLOGY, QueueSpec

PROG = "lamadi"
DEFAULT_REPORTING_URL = os.environ.get("LAMADI_REPORTING_URL", "http://127.0.0.1:8004")
CLI_SUBJECT = "lamadi-cli"


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _work_queue(name: str) -> QueueSpec:
    for spec in TOPOLOGY:
        if name in (spec.name, spec.parked):
            return spec
    known = "\n  ".join(spec.name for spec in TOPOLOGY)
    raise CliError(f"no work queue named {name!r}; known work queues:\n  {known}", code=2)


# ---------------------------------------------------------------- token


def cmd_token(args: argparse.Namespace) -> int:
    secret = load_settings().jwt_secret.get_secret_value()
    roles = list(dict.fromkeys(args.role))  # keep the order given, once each
    print(issue_token(secret, sub=args.sub, roles=roles, ttl=timedelta(hours=args.hours)))
    return 0


# ---------------------------------------------------------------- ops queues


def cmd_ops_queues(args: argparse.Namespace) -> int:
    body = call_service("reporting", "GET", args.url, "/api/v1/ops/queues", by=CLI_SUBJECT, timeout=args.timeout)
    columns = ("name", "messages_ready", "messages_unacknowledged", "consumers", "retrying", "parked")
    headers = ("queue", "ready", "unacked", "consumers", "retrying", "parked")
    print(f"virtual host: {body.get('vhost', '?')}")
    print(render_table(headers, [[state[c] for c in columns] for state in body["queues"]]))
    return 0


def cmd_ops_parked(args: argparse.Namespace) -> int:
    spec = _work_queue(args.queue)
    amqp_url = args.amqp_url or load_settings().amqp_url
    return asyncio.run(run_parked(args.action, spec, getattr(args, "count", None), amqp_url))


# ---------------------------------------------------------------- mail


def _sent_at(message) -> datetime:
    try:
        return parsedate_to_datetime(message["Date"])
    except (TypeError, ValueError):
        return datetime.min.replace(tzinfo=UTC)


def cmd_mail_list(args: argparse.Namespace) -> int:
    maildir: Path = args.maildir
    if not (maildir / "new").is_dir():
        raise CliError(f"no mail catcher maildir at {maildir} (start one: python -m lamadi_cli.mailcatcher)")
    messages = sorted(read_maildir(maildir), key=_sent_at)
    if not messages:
        print(f"no messages in {maildir}")
        return 0
    rows = [[m["Date"] or "-", m["To"] or "-", m["Subject"] or "-"] for m in messages]
    print(render_table(("date", "to", "subject"), rows))
    return 0


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    token = commands.add_parser("token", help="print a development JWT for the staff API",
                                description="Print a JWT signed with LAMADI_JWT_SECRET.")
    token.add_argument("--role", action="append", required=True, choices=ROLES, metavar="ROLE",
                       help=f"a role the token holds; repeat for several (one of: {', '.join(ROLES)})")
    token.add_argument("--sub", required=True, help="who the token is for (a staff user name)")
    token.add_argument("--hours", type=_positive_float, default=12.0, help="validity in hours (default 12)")
    token.set_defaults(func=cmd_token)

    ops = commands.add_parser("ops", help="operate the queues", description="Queue operations.")
    ops.set_defaults(func=None, help_of=ops)
    ops_commands = ops.add_subparsers(title="operations", metavar="OPERATION")
    queues = ops_commands.add_parser("queues", help="depth, consumers, retrying and parked messages per work queue",
                                     description="Ask the reporting service for the state of every work queue.")
    queues.add_argument("--url", default=DEFAULT_REPORTING_URL,
                        help=f"reporting service base URL (default {DEFAULT_REPORTING_URL}, or LAMADI_REPORTING_URL)")
    queues.add_argument("--timeout", type=_positive_float, default=10.0, help="seconds to wait (default 10)")
    queues.set_defaults(func=cmd_ops_queues)

    known = ", ".join(spec.name for spec in TOPOLOGY)
    parked = ops_commands.add_parser("parked", help="list, replay or drop parked messages",
                                     description=f"Parked messages of one work queue, over AMQP. Work queues: {known}.")
    parked.set_defaults(func=None, help_of=parked)
    parked_commands = parked.add_subparsers(title="actions", metavar="ACTION")
    descriptions = {
        "list": "show the parked messages (id, type, subject, parked at, error) and leave them parked",
        "replay": "move parked messages back to the work queue, with their attempt count reset",
        "drop": "print, then remove parked messages for good",
    }
    for action, text in descriptions.items():
        sub = parked_commands.add_parser(action, help=text, description=text[0].upper() + text[1:] + ".")
        sub.add_argument("queue", metavar="QUEUE", help="work queue name, e.g. lamadi.review.submissions")
        if action != "list":
            sub.add_argument("--count", type=_positive_int, default=None,
                             help="at most this many (default: every message parked now)")
        sub.add_argument("--amqp-url", default=None, help="broker URL (default LAMADI_AMQP_URL)")
        sub.set_defaults(func=cmd_ops_parked, action=action)

    add_report_commands(commands, default_url=DEFAULT_REPORTING_URL, positive_float=_positive_float)

    mail = commands.add_parser("mail", help="the local mail catcher", description="Local mail catcher.")
    mail.set_defaults(func=None, help_of=mail)
    mail_commands = mail.add_subparsers(title="actions", metavar="ACTION")
    mail_list = mail_commands.add_parser("list", help="date, recipient and subject of each caught message",
                                         description="Date, recipient and subject of each caught message.")
    mail_list.add_argument("--maildir", type=Path, default=Path("var/mail"), help="default var/mail")
    mail_list.set_defaults(func=cmd_mail_list)

    staff_commands.add_parser(commands)
    add_open311_parser(commands)
    add_seal_parser(commands)

    parser.set_defaults(func=None, help_of=parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # bad usage: argparse prints why and exits with 2
    if args.func is None:  # a command group without its sub-command
        args.help_of.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except CliError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
