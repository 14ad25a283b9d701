"""`lamadi report build|send --date D [--force]`: the daily report, on an operator's command.

They call reporting's HTTP API with a short ops token signed with LAMADI_JWT_SECRET rather
than writing to its database: reporting alone owns its schema, its fonts and the report-files
store the notifier reads, and its API records who asked in the day's audit trail (the token's
subject, ``--by``)."""

from __future__ import annotations

import argparse
import getpass
import re

from lamadi_cli.common import call_reporting, render_table

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(text: str) -> str:
    if not DATE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}")
    return text


def _call(args: argparse.Namespace, path: str, params: dict | None = None) -> dict:
    return call_reporting("POST", args.url, f"/api/v1/reports/daily/{args.date}/{path}", by=args.by,
                          timeout=args.timeout, params=params)


def _print(summary: dict, done: str) -> None:
    print(f"{summary['day']}: {done} (revision {summary['revision']}, language {summary['language']})")
    print(render_table(("format", "file", "sha256", "bytes"),
                       [[f["format"], f["filename"], f["sha256"], f["size"]] for f in summary["files"]]))


def cmd_report_build(args: argparse.Namespace) -> int:
    summary = _call(args, "build", {"force": "true"} if args.force else None)
    _print(summary, "rebuilt" if args.force else "built")
    return 0


def cmd_report_send(args: argparse.Namespace) -> int:
    _print(_call(args, "send"), "sent to the Urban Planning Directorate")
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
                                          "and CSV to LAMADI_DIRECTORATE_EMAILS.")
    send.set_defaults(func=cmd_report_send)
    for sub in (build, send):
        sub.add_argument("--date", required=True, type=_date, help="the agency day, YYYY-MM-DD")
        sub.add_argument("--by", default=getpass.getuser(), help="who asks, for the audit trail (default: you)")
        sub.add_argument("--url", default=default_url,
                         help=f"reporting service base URL (default {default_url}, or LAMADI_REPORTING_URL)")
        sub.add_argument("--timeout", type=positive_float, default=60.0, help="seconds to wait (default 60)")
