"""lamadi: the operators' and developers' command line.

    lamadi token --role reviewer --sub amina          a development JWT (LAMADI_JWT_SECRET)
    lamadi ops queues                                 depth, consumers, retrying, parked per work queue
    lamadi ops parked list lamadi.review.submissions  parked messages, left in place
    lamadi ops parked replay QUEUE [--count N]        back to the work queue, attempts reset
    lamadi ops parked drop QUEUE [--count N]          remove them for good
    lamadi mail list                                  what the local mail catcher caught

Settings come from the LAMADI_* environment variables (LAMADI_AMQP_URL, LAMADI_JWT_SECRET).
Exit codes: 0 done, 1 failed, 2 bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import aio_pika
import httpx
from aio_pika.abc import AbstractIncomingMessage
from pydantic import ValidationError

from lamadi_cli.mailcatcher import read_maildir
from shared.auth import ROLES, issue_token
from shared.messaging.consumer import ATTEMPT_HEADER
from shared.messaging.topology import TOPOLOGY, QueueSpec
from shared.settings import ServiceSettings

PROG = "lamadi"
DEFAULT_REPORTING_URL = os.environ.get("LAMADI_REPORTING_URL", "http://127.0.0.1:8004")
CLI_SUBJECT = "lamadi-cli"


class CliError(Exception):
    """A failure to report on stderr; ``code`` 2 for bad usage, 1 otherwise."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------- helpers


def _settings() -> ServiceSettings:
    try:
        return ServiceSettings()
    except ValidationError as exc:
        problems = "; ".join(error["msg"] for error in exc.errors())
        raise CliError(f"invalid LAMADI_* settings: {problems}") from None


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(value) for value in row] for row in rows]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(row) for row in cells)])


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
    secret = _settings().jwt_secret.get_secret_value()
    roles = list(dict.fromkeys(args.role))  # keep the order given, once each
    print(issue_token(secret, sub=args.sub, roles=roles, ttl=timedelta(hours=args.hours)))
    return 0


# ---------------------------------------------------------------- ops queues


def cmd_ops_queues(args: argparse.Namespace) -> int:
    secret = _settings().jwt_secret.get_secret_value()
    token = issue_token(secret, sub=CLI_SUBJECT, roles=["ops"], ttl=timedelta(minutes=5))
    url = f"{args.url.rstrip('/')}/api/v1/ops/queues"
    try:
        response = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=args.timeout)
    except httpx.HTTPError as exc:
        raise CliError(f"cannot reach the reporting service at {args.url} ({type(exc).__name__}); "
                       "is it running? (--url)") from None
    if response.status_code != 200:
        try:
            detail = response.json().get("detail") or response.json().get("title")
        except ValueError:
            detail = response.text[:200]
        raise CliError(f"reporting answered {response.status_code}: {detail}")
    body = response.json()
    columns = ("name", "messages_ready", "messages_unacknowledged", "consumers", "retrying", "parked")
    headers = ("queue", "ready", "unacked", "consumers", "retrying", "parked")
    print(f"virtual host: {body.get('vhost', '?')}")
    print(_table(headers, [[state[c] for c in columns] for state in body["queues"]]))
    return 0


# ---------------------------------------------------------------- ops parked


def _header(message: AbstractIncomingMessage, name: str) -> str:
    value = (message.headers or {}).get(name)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return "-" if value is None else str(value)


def _subject(message: AbstractIncomingMessage) -> str:
    try:
        return str(json.loads(message.body).get("subject") or "-")
    except (ValueError, AttributeError):
        return "-"


def _describe(message: AbstractIncomingMessage) -> list[str]:
    error = " ".join(_header(message, "x-lamadi-error").split())
    return [
        message.message_id or "-",
        message.type or "-",
        _subject(message),
        _header(message, "x-lamadi-parked-at"),
        error if len(error) <= 100 else error[:99] + "…",
    ]


PARKED_HEADERS = ("id", "type", "subject", "parked at", "error")


def _replay_copy(message: AbstractIncomingMessage) -> aio_pika.Message:
    headers = {k: v for k, v in (message.headers or {}).items() if k != ATTEMPT_HEADER}
    headers["x-lamadi-replayed-at"] = datetime.now(UTC).isoformat()
    return aio_pika.Message(
        body=message.body,
        headers=headers,
        message_id=message.message_id,
        correlation_id=message.correlation_id,
        type=message.type,
        content_type=message.content_type,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        timestamp=message.timestamp,
    )


async def _take(queue: aio_pika.abc.AbstractQueue, limit: int) -> list[AbstractIncomingMessage]:
    """Up to ``limit`` messages, unacknowledged (so they stay the broker's until we decide)."""
    taken = []
    while len(taken) < limit:
        message = await queue.get(no_ack=False, fail=False, timeout=10)
        if message is None:
            break
        taken.append(message)
    return taken


async def _parked(action: str, spec: QueueSpec, count: int | None, amqp_url: str) -> int:
    try:
        connection = await aio_pika.connect(amqp_url, timeout=10)
    except (OSError, aio_pika.exceptions.AMQPError, asyncio.TimeoutError) as exc:
        raise CliError(f"cannot connect to the broker (LAMADI_AMQP_URL): {type(exc).__name__} {exc}") from None
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        parked = await channel.declare_queue(spec.parked, durable=True)
        # Only what is parked now: a replayed message that fails again must not loop back in.
        depth = parked.declaration_result.message_count or 0
        limit = depth if count is None else min(count, depth)
        messages = await _take(parked, limit)
        if not messages:
            print(f"{spec.parked}: no parked messages")
            return 0
        if action == "list":
            print(f"{spec.parked}: {depth} parked message(s)")
            print(_table(PARKED_HEADERS, [_describe(m) for m in messages]))
            for message in messages:
                await message.nack(requeue=True)
            return 0
        if action == "drop":
            print(_table(PARKED_HEADERS, [_describe(m) for m in messages]))
            for message in messages:
                await message.ack()
            print(f"dropped {len(messages)} message(s) from {spec.parked}")
            return 0
        replayed = 0
        for message in messages:
            try:
                await channel.default_exchange.publish(_replay_copy(message), routing_key=spec.name,
                                                       mandatory=True, timeout=10)
            except Exception as exc:  # not confirmed: leave this one and the rest parked
                for left in messages[replayed:]:
                    await left.nack(requeue=True)
                raise CliError(f"replay stopped after {replayed} message(s): {type(exc).__name__} {exc}") from None
            await message.ack()
            replayed += 1
            print(f"replayed {message.message_id or '-'} {message.type or '-'} {_subject(message)}")
        print(f"replayed {replayed} message(s) from {spec.parked} to {spec.name}")
        return 0


def cmd_ops_parked(args: argparse.Namespace) -> int:
    spec = _work_queue(args.queue)
    amqp_url = args.amqp_url or _settings().amqp_url
    return asyncio.run(_parked(args.action, spec, getattr(args, "count", None), amqp_url))


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
    print(_table(("date", "to", "subject"), rows))
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

    mail = commands.add_parser("mail", help="the local mail catcher", description="Local mail catcher.")
    mail.set_defaults(func=None, help_of=mail)
    mail_commands = mail.add_subparsers(title="actions", metavar="ACTION")
    mail_list = mail_commands.add_parser("list", help="date, recipient and subject of each caught message",
                                         description="Date, recipient and subject of each caught message.")
    mail_list.add_argument("--maildir", type=Path, default=Path("var/mail"), help="default var/mail")
    mail_list.set_defaults(func=cmd_mail_list)

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
