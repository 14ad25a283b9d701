"""`lamadi report build|send --date D [--force]`: the daily report, on an operator's command.

They call reporting's HTTP API with a short ops token signed with LAMADI_JWT_SECRET rather
than writing to its database: reporting alone owns its schema, its fonts and the report-files
store the notifier reads, and its API records who asked in the day's audit trail (the token's
subject, ``--by``). Where the report goes (LAMADI_DIRECTORATE_EMAILS) is the notifier's
setting: `send` asks the notifier's API, never reads it."""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys

from lamadi_cli.common import CliError, call_service, render_table

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DEFAULT_NOTIFIER_URL = os.environ.get("LAMADI_NOTIFIER_URL", "http://127.0.0.1:8003")


def _date(text: str) -> str:
    if not DATE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}")
    return text


def _call(args: argparse.Namespace, path: str, params: dict | None = None) -> dict:
    return call_service("reporting", "POST", args.url, f"/api/v1/reports/daily/{args.date}/{path}", by=args.by,
                        timeout=args.timeout, params=params)


def _print(summary: dict, done: str) -> None:
    print(f"{summary['day']}: {done} (revision {summary['revision']}, language {summary['language']})")
    print(render_table(("format", "file", "sha256", "bytes"),
                       [[f["format"], f["filename"], f["sha256"], f["size"]] for f in summary["files"]]))


def _recipients(args: argparse.Namespace) -> list[str] | None:
    """The addresses the notifier emails the report to; None when it cannot say (then the
    report is sent all the same: the notifier emails it once it runs)."""
    try:
        answer = call_service("notifier", "GET", args.notifier_url, "/api/v1/daily-report/recipients", by=args.by,
                              timeout=args.timeout, url_option="--notifier-url")
    except CliError as exc:
        print(f"warning: {exc}; where the report goes is not known here (the notifier emails it to its "
              "LAMADI_DIRECTORATE_EMAILS)", file=sys.stderr)
        return None
    return answer["addresses"]


def cmd_report_build(args: argparse.Namespace) -> int:
    summary = _call(args, "build", {"force": "true"} if args.force else None)
    _print(summary, "rebuilt" if args.force else "built")
    return 0


def cmd_report_send(args: argparse.Namespace) -> int:
    recipients = _recipients(args)
    if recipients == []:
        raise CliError("no recipient is configured for the daily report: the notifier's LAMADI_DIRECTORATE_EMAILS "
                       "is empty, so nothing was sent (set it, restart the notifier, and send again)")
    _print(_call(args, "send"), "sent to the Urban Planning Directorate")
    if recipients:
        print(f"emailed by the notifier to {', '.join(recipients)}")
    return 0


def add_report_commands(commands, *, default_url: str, positive_float) -> None:
    report = commands.add_parser("report", help="build or send the daily report to the Directorate",
                                 description="The daily report to the Urban Planning Directorate.")
    report.set_defaults(func=None, help_of=report)
    actions = report.add_subparsers(title="actions", metavar="ACTION")
    build = actions.add_parser("build", help="build (or rebuild) a closed day's report, without sending it",
                               description="Build a closed day's report. A day already sent is refused unless "
                                           "--force, which the day's audit trail records.")
    build.add_argument("--force", action="store_true", help="rebuild a day already sent to the Directorate")
    build.set_defaults(func=cmd_report_build)
    send = actions.add_parser("send", help="email a built report to the Directorate (again)",
                              description="Publish report.daily_published: the notifier emails the PDF, XLSX "
                                          "and CSV to its LAMADI_DIRECTORATE_EMAILS. Says where they go (asking "
                                          "the notifier), and sends nothing when they would go nowhere.")
    send.add_argument("--notifier-url", default=DEFAULT_NOTIFIER_URL,
                      help=f"notifier service base URL (default {DEFAULT_NOTIFIER_URL}, or LAMADI_NOTIFIER_URL)")
    send.set_defaults(func=cmd_report_send)
    for sub in (build, send):
        sub.add_argument("--date", required=True, type=_date, help="the agency day, YYYY-MM-DD")
        sub.add_argument("--by", default=getpass.getuser(), help="who asks, for the audit trail (default: you)")
        sub.add_argument("--url", default=default_url,
                         help=f"reporting service base URL (default {default_url}, or LAMADI_REPORTING_URL)")
        sub.add_argument("--timeout", type=positive_float, default=60.0, help="seconds to wait (default 60)")
