"""make soak: Lamadi's own fault campaign, on its own RabbitMQ node, PostgreSQL cluster, virtual
host, database and ports (the machine's servers are never touched).

It files N filings of every kind in turn, drives a share of them to a decision through the staff
API, and meanwhile SIGKILLs and restarts every service several times, terminates the database's
connections, cuts the broker with a TCP proxy, stops the SMTP server for 60 s and restarts its
RabbitMQ node and PostgreSQL cluster once each. Then it waits for quiescence and checks what the
system holds against what the client recorded: filings lost, state changes duplicated, emails
missing, duplicate emails (by Message-ID), messages parked. Exit status 0 when all hold.

    make soak                                  # 2,000 filings
    make soak SOAK_ARGS="--filings=10000"      # or: .venv/bin/python -m bench.soak --help
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import tempfile
import time
from pathlib import Path

from bench.soak.checks import Results, progress, verify, wait_quiescent
from bench.soak.driver import Driver
from bench.soak.faults import Campaign
from bench.soak.servers import OwnPostgres, OwnRabbitMQ, mail_catcher, service_env, tcp_proxy
from tests.support import SERVICES, Fleet, free_port, wait_until

DATABASE, VHOST = "lamadi_soak", "lamadi-soak"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--filings", type=int, default=2000, help="filings in all, the six kinds in turn [2000]")
    parser.add_argument("--decide-every", type=int, default=4, help="drive one filing in N to a decision [4]")
    parser.add_argument("--instances", type=int, default=1, help="instances of each service [1]")
    parser.add_argument("--queue-type", choices=("classic", "quorum"), default="classic")
    parser.add_argument("--concurrency", type=int, default=8, help="client requests at once [8]")
    parser.add_argument("--fault-gap", type=float, help="seconds between faults [filings / 200, at least 8]")
    parser.add_argument("--smtp-outage", type=float, default=60.0, help="seconds the SMTP server is down [60]")
    parser.add_argument("--settle-timeout", type=float, default=3600.0, help="longest wait for quiescence [3600]")
    parser.add_argument("--keep", action="store_true", help="keep the servers' directories and logs")
    return parser.parse_args()


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def summary(results: Results, campaign: Campaign, args: argparse.Namespace, timings: dict[str, float],
            retries: int, quiescent: bool) -> str:
    lost = sum(results.lost.values())
    lines = [
        "",
        f"soak summary: {results.filings} filings (six kinds), {results.decided} driven to a decision; "
        f"{args.instances} instance(s) per service, {args.queue_type} queues",
        "  faults: " + ", ".join(f"{name} ×{count}" for name, count in campaign.done.items()),
        f"  filing and deciding {timings['drive']:.0f} s ({results.filings / timings['drive']:.1f} filings/s, "
        f"{retries} client retries), faults over after {timings['campaign']:.0f} s, quiescent "
        f"{'after' if quiescent else 'NOT reached in'} {timings['settle']:.0f} s more",
        f"  filings lost                      {lost}" + (f"  {dict(results.lost)}" if lost else ""),
        f"  filings the client never recorded {results.unrecorded_filings}",
        f"  state changes duplicated          {results.state_changes_duplicated}",
        f"  state changes missing             {results.state_changes_missing}",
        f"  emails expected                   {results.emails_expected}",
        f"  emails missing                    {results.emails_missing}",
        f"  emails unexpected                 {results.emails_unexpected}",
        f"  duplicate emails (same Message-ID) {results.emails_duplicated}",
        f"  staff deadline alerts             {results.staff_alerts}",
        f"  messages parked                   {results.parked}",
        f"  {'PASSED' if results.passed and quiescent else 'FAILED'}",
    ]
    return "\n".join(lines)


async def soak(args: argparse.Namespace, base: Path) -> bool:
    postgres, rabbit = OwnPostgres(base), OwnRabbitMQ(base)
    smtp_port, proxy_port, maildir = free_port(), free_port(), base / "mail"
    mail = mail_catcher(smtp_port, maildir, base / "mailcatcher.log")
    proxy = tcp_proxy(proxy_port, rabbit.amqp_port, base / "proxy.log")
    fleet = None
    try:
        print(f"soak: servers of its own under {base}", flush=True)
        postgres.create()
        postgres.start()
        await postgres.sql(f'CREATE DATABASE "{DATABASE}"')
        rabbit.create()
        await rabbit.start()
        await rabbit.create_vhost(VHOST)
        mail.start()
        proxy.start()
        await wait_until(lambda: port_open(smtp_port) and port_open(proxy_port), message="mail catcher and proxy")
        print(f"soak: PostgreSQL :{postgres.port}, RabbitMQ {rabbit.node} :{rabbit.amqp_port} (management "
              f":{rabbit.management_port}, proxied on :{proxy_port}), SMTP :{smtp_port}", flush=True)
        env = service_env(base, postgres, rabbit, proxy_port, smtp_port, args.queue_type, DATABASE, VHOST)
        fleet = await Fleet.start(SERVICES, env, base / "logs", None, instances=args.instances)
        gap = args.fault_gap or max(8.0, args.filings / 200)
        campaign = Campaign(fleet.instances, postgres, rabbit, proxy, mail, DATABASE, gap, smtp_outage=args.smtp_outage)
        driver = Driver(fleet.url, fleet.staff, fleet.http)
        print(f"soak: {args.filings} filings, one in {args.decide_every} decided, a fault every {gap:.0f} s", flush=True)
        started = time.monotonic()
        timings = {}

        async def timed(name: str, work) -> None:
            await work
            timings[name] = time.monotonic() - started

        await asyncio.gather(
            timed("drive", driver.run(args.filings, decide_every=args.decide_every, concurrency=args.concurrency)),
            timed("campaign", campaign.run()))
        expected = sum(len(f.expected_emails) for f in driver.filings)
        print("soak: every filing recorded and every fault done; waiting for quiescence", flush=True)
        started = time.monotonic()
        _, quiescent = await wait_quiescent(postgres, DATABASE, rabbit, VHOST, maildir, expected, stall=600,
                                            timeout=args.settle_timeout)
        timings["settle"] = time.monotonic() - started
        final = await progress(postgres, DATABASE, rabbit, VHOST, maildir)
        results = await verify(driver.filings, postgres, DATABASE, final.parked, maildir)
        print(summary(results, campaign, args, timings, driver.retries, quiescent), flush=True)
        return results.passed and quiescent
    finally:
        if fleet is not None:
            await fleet.stop()
        for process in (proxy, mail):
            process.stop()
        rabbit.stop()
        postgres.stop()


def main() -> int:
    args = arguments()
    base = Path(tempfile.mkdtemp(prefix="lamadi-soak-"))
    base.chmod(0o755)  # the postgres user reaches its cluster's directory inside
    passed = False
    try:
        passed = asyncio.run(soak(args, base))
    finally:
        if passed and not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"soak: servers' directories and logs kept in {base}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
