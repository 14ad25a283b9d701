"""End-to-end throughput: filings sent open-loop at fixed rates through all four services, each
receipt email stamped on arrival by an SMTP sink of the bench's own, the CPU each process spent
per filing read from /proc; then, in the same run, intake against a bare FastAPI POST served the
same way (closed loop, same client) and the pipeline's event deliveries against raw aio-pika.

Everything runs on servers of its own (a RabbitMQ node, a PostgreSQL cluster, the SMTP sink and
the services, on free ports): a running system is never touched. A rate is sustained when every
filing was accepted and every receipt arrived within the drain time-out; the rates after the
first one that is not are skipped (--all-rates runs them anyway, on top of the backlog).

    make bench      # or: .venv/bin/python -m bench.pipeline --rates 10,25,50 --seconds 15
    make bench BENCH_ARGS="--rates 50,100 --all-rates"
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import load, procstat
from bench.report import SERVICES, RateResult, baseline_table, busy_table, cpu_model, cpu_table, rate_table, summary
from bench.sink import Arrivals
from bench.soak.servers import OwnPostgres, OwnRabbitMQ, Process, service_env
from tests.support import Fleet, free_port, wait_until

DATABASE, VHOST, RAW_VHOST = "lamadi_bench", "lamadi-bench", "lamadi-bench-raw"


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.pipeline", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="10,25,50,100", help="filings per second, in turn [10,25,50,100]")
    parser.add_argument("--seconds", type=float, default=20, help="seconds each rate is sent [20]")
    parser.add_argument("--drain-timeout", type=float, default=20,
                        help="seconds after the last filing of a rate for its receipts to arrive [20]")
    parser.add_argument("--all-rates", action="store_true", help="go on after a rate that was not sustained")
    parser.add_argument("--connections", type=int, default=32, help="closed-loop connections, intake and bare [32]")
    parser.add_argument("--closed-seconds", type=float, default=10, help="seconds of each closed-loop run [10]")
    parser.add_argument("--raw-messages", type=int, default=5000, help="messages of the raw broker baseline [5000]")
    parser.add_argument("--keep", action="store_true", help="keep the servers' directories and logs")
    args = parser.parse_args(argv)
    args.rates = [float(r) for r in args.rates.split(",") if r.strip()]
    return args


def say(text: str) -> None:
    print(f"bench: {text}", flush=True)


class Bench:
    def __init__(self, args: argparse.Namespace, base: Path):
        self.args, self.base = args, base
        self.postgres, self.rabbit = OwnPostgres(base), OwnRabbitMQ(base)
        self.smtp_port = free_port()
        self.sink = Process("smtp sink", [sys.executable, "-m", "bench.sink", "--port", str(self.smtp_port),
                                          "--out", str(base / "arrivals.tsv")], base / "sink.log")
        self.arrivals = Arrivals(base / "arrivals.tsv")
        self.fleet: Fleet | None = None
        self.bare: Process | None = None
        self.meter = procstat.Meter(self._groups())

    # -- what is measured

    def _service_pid(self, name: str) -> int | None:
        copies = self.fleet.instances[name] if self.fleet else []
        return copies[0].process.pid if copies and copies[0].alive else None

    def _postmaster(self) -> int | None:
        try:
            return int((self.postgres.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _groups(self) -> dict[str, procstat.Group]:
        groups = {name: procstat.tree_group(lambda n=name: self._service_pid(n)) for name in SERVICES}
        backend = f" {DATABASE} "  # "postgres: postgres lamadi_bench 127.0.0.1(5678) idle"
        groups["pg backends"] = procstat.matching_group(self._postmaster, lambda cmd: backend in cmd)
        groups["pg cluster"] = procstat.tree_group(self._postmaster)
        groups["rabbitmq"] = procstat.tree_group(lambda: self.rabbit.server.process.pid if self.rabbit.server else None)
        groups["smtp sink"] = procstat.tree_group(lambda: self.sink.process.pid if self.sink.alive else None)
        groups["bare app"] = procstat.tree_group(lambda: self.bare.process.pid if self.bare and self.bare.alive else None)
        groups["generator"] = procstat.own_group(os.getpid())
        return groups

    def cpu_since(self, before: dict[str, float]) -> dict[str, float]:
        used = self.meter.since(before)
        used["pg other"] = max(0.0, used.pop("pg cluster") - used["pg backends"])  # WAL writer, checkpointer...
        return used

    async def deliveries(self, vhost: str = VHOST) -> int:
        async with httpx.AsyncClient(auth=("guest", "guest")) as client:
            answer = await client.get(f"{self.rabbit.api}/vhosts/{vhost}", timeout=10)
            answer.raise_for_status()
            return answer.json().get("message_stats", {}).get("deliver_get", 0)

    def receipts(self, prefix: str) -> dict[str, float]:
        """Address → arrival of the first receipt, for the filings whose address starts so."""
        self.arrivals.poll()
        found: dict[str, float] = {}
        for arrived, template, recipients, _ in self.arrivals.lines:
            if template == "receipt":
                for to in recipients:
                    if to.startswith(prefix) and to not in found:
                        found[to] = arrived
        return found

    # -- the run

    async def start(self) -> None:
        say(f"servers of its own under {self.base}")
        self.postgres.create()
        self.postgres.start()
        await self.postgres.sql(f'CREATE DATABASE "{DATABASE}"')
        self.rabbit.create()
        await self.rabbit.start()
        await self.rabbit.create_vhost(VHOST)
        await self.rabbit.create_vhost(RAW_VHOST)
        self.sink.start()
        env = service_env(self.base, self.postgres, self.rabbit, self.rabbit.amqp_port, self.smtp_port, "classic",
                          DATABASE, VHOST)
        self.fleet = await Fleet.start(SERVICES, env, self.base / "logs", None, instances=1)
        say(f"PostgreSQL :{self.postgres.port}, RabbitMQ :{self.rabbit.amqp_port}, SMTP sink :{self.smtp_port}, "
            + ", ".join(f"{name} :{self.fleet.instances[name][0].port}" for name in SERVICES))

    async def warm_up(self, http: httpx.AsyncClient) -> None:
        """A few filings through the whole pipeline first: fonts loaded, queues declared, pools full."""
        sent = await load.open_loop(http, self.fleet.url("intake", load.PATH), "warm", 5, 1)
        accepted = {s.address for s in sent if s.status == 202}
        await wait_until(lambda: accepted <= set(self.receipts("bench-warm-")), timeout=120, interval=0.5,
                         message="the warm-up filings' receipts")

    async def rate(self, http: httpx.AsyncClient, rate: float) -> RateResult:
        args, tag = self.args, f"r{rate:g}"
        prefix = load.address(tag, 0).rsplit("-", 1)[0] + "-"

        def progress(sent: list[load.Sent], left: float) -> None:
            accepted = sum(1 for s in sent if s.status == 202)
            say(f"{rate:g}/s: {left:.0f} s left, {len(sent)} sent, {accepted} accepted, "
                f"{len(self.receipts(prefix))} receipts")

        before, delivered = self.meter.read(), await self.deliveries()
        started = time.monotonic()
        sent = await load.open_loop(http, self.fleet.url("intake", load.PATH), tag, rate, args.seconds, progress)
        accepted = [s for s in sent if s.status == 202]
        wanted, last_sent = {s.address for s in accepted}, max((s.scheduled for s in sent), default=started)
        say(f"{rate:g}/s: all sent; waiting up to {args.drain_timeout:g} s for "
            f"{len(wanted) - len(self.receipts(prefix))} receipts")
        deadline = time.monotonic() + args.drain_timeout
        while time.monotonic() < deadline and not wanted <= set(self.receipts(prefix)):
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.5)  # the management API's statistics lag a second behind
        elapsed = time.monotonic() - started
        cpu, delivered = self.cpu_since(before), await self.deliveries() - delivered
        arrived = self.receipts(prefix)
        window = sum(1 for when, template, _, _ in self.arrivals.lines
                     if template == "receipt" and started <= when <= started + args.seconds)
        return RateResult(
            rate=rate, seconds=args.seconds, sent=len(sent), accepted=len(accepted),
            errors=len(sent) - len(accepted),
            http_latencies=[(s.answered or math.inf) - s.scheduled for s in sent],
            receipts=[arrived[s.address] - s.scheduled if s.address in arrived else math.inf for s in accepted],
            emails_in_window=window, deliveries=delivered, elapsed=elapsed,
            behind=sum(1 for s in accepted if arrived.get(s.address, math.inf) > last_sent),
            cpu_ms=procstat.per_item_ms(cpu, len(accepted)),
            cpu_busy={name: 100 * used / elapsed for name, used in cpu.items()})

    async def closed(self, port: int, tag: str, groups: tuple[str, ...]) -> dict[str, float]:
        await load.closed_loop("127.0.0.1", port, f"{tag}warm", 4, 1)  # first requests pay for imports, pools
        before = self.meter.read()
        ok, failed = await load.closed_loop("127.0.0.1", port, tag, self.args.connections, self.args.closed_seconds)
        cpu = procstat.per_item_ms(self.cpu_since(before), ok, (*groups, "generator"))
        return {"rps": ok / self.args.closed_seconds, "failed": failed, **cpu}

    async def baselines(self) -> tuple[dict, dict, float]:
        # Intake alone: the other services stopped, so it has the cores the bare app will have.
        for name in ("review", "notifier", "reporting"):
            self.fleet.instances[name][0].stop()
        say(f"intake alone, closed loop: {self.args.connections} connections for {self.args.closed_seconds:g} s")
        intake = await self.closed(self.fleet.instances["intake"][0].port, "closed", ("intake", "pg backends"))
        self.fleet.instances["intake"][0].stop()
        port = free_port()
        self.bare = Process("bare app", [sys.executable, "-m", "bench.bare_app"], self.base / "bare.log",
                            {**os.environ, "LAMADI_PORT": str(port)})
        self.bare.start()
        await wait_until(lambda: _answers(f"http://127.0.0.1:{port}/openapi.json"), timeout=30, message="bare app")
        say(f"bare FastAPI app, closed loop: {self.args.connections} connections for {self.args.closed_seconds:g} s")
        bare = await self.closed(port, "bare", ("bare app",))
        say(f"raw aio-pika: {self.args.raw_messages} messages confirm-published, consumed and acked")
        raw = await load.raw_broker(f"amqp://guest:guest@127.0.0.1:{self.rabbit.amqp_port}/{RAW_VHOST}",
                                    self.args.raw_messages)
        return intake, bare, raw

    def stop(self) -> None:
        if self.fleet is not None:
            for process in self.fleet.processes():
                process.stop()
        for process in (self.bare, self.sink):
            if process is not None:
                process.stop()
        self.rabbit.stop()
        self.postgres.stop()


async def _answers(url: str) -> bool:
    try:
        async with httpx.AsyncClient() as client:
            return (await client.get(url, timeout=2)).status_code == 200
    except httpx.HTTPError:
        return False


async def run(args: argparse.Namespace, base: Path) -> None:
    bench, load_before = Bench(args, base), os.getloadavg()[0]
    results: list[RateResult] = []
    try:
        await bench.start()
        async with load.client(512) as http:
            say("warm-up: 5 filings through the pipeline")
            await bench.warm_up(http)
            for rate in args.rates:
                say(f"{rate:g} filings/s for {args.seconds:g} s")
                results.append(result := await bench.rate(http, rate))
                if not result.sustained and not args.all_rates:
                    say(f"{rate:g}/s not sustained ({result.behind} receipts waiting when the last filing was sent, "
                        f"{result.backlog} after the drain, {result.errors} filings refused): the higher rates are "
                        "skipped (--all-rates runs them)")
                    break
        intake, bare, raw = await bench.baselines()
    finally:
        bench.stop()
    print("\nfiling → receipt email, open loop (latencies from the time each filing was due to be sent)")
    print(rate_table(results))
    print("\nCPU ms per accepted filing, from /proc (a process and its children; pg other: the cluster's own)")
    print(cpu_table(results))
    print("\nCPU in use while measured (sending and draining), % of one core: 100 is a process's ceiling under the GIL")
    print(busy_table(results))
    print("\nbaselines, same run")
    print(baseline_table(results, intake, bare, raw, args.connections))
    print(f"  generator CPU per request: intake run {intake['generator']:.2f} ms, bare run {bare['generator']:.2f} ms "
          f"(near 1000 / req/s means the client, not the server, set the pace)")
    sizes = [size for _, template, _, size in bench.arrivals.lines if template == "receipt"]
    if sizes:
        print(f"  receipts: {len(sizes)} emails of {sum(sizes) / len(sizes) / 1024:.0f} KB on average (PDF attached)")
    model = cpu_model(Path("/proc/cpuinfo").read_text())
    print(f"\nmachine: {os.cpu_count()} CPUs, {model}; load average {load_before:.1f} before the run "
          "(other work on the machine slows everything measured here)")
    print(summary(results))


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    base = Path(tempfile.mkdtemp(prefix="lamadi-bench-"))
    base.chmod(0o755)  # the postgres user reaches its cluster's directory inside
    done = False
    try:
        asyncio.run(run(args, base))
        done = True
    finally:
        if done and not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"bench: servers' directories and logs kept in {base}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
