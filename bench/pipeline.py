"""End-to-end throughput: filings sent open-loop at fixed rates through all four services, each
receipt email stamped on arrival by an SMTP sink of the bench's own, the CPU each process spent
per filing read from /proc; then, in the same run, intake against a bare FastAPI POST served the
same way (closed loop, same client) and the pipeline's event deliveries against raw aio-pika.

The rate ladder runs twice (--sealing both, the default): on the four services without a seal
(every receipt issued unsealed) and on four more with one (each receipt drawn and sealed in the
notifier's PDF worker), each on a database and virtual host of their own, and the two are printed
side by side (issue 17: the sustained rate sealed stays within 20% of unsealed). The two ladders
are interleaved, each rate unsealed then sealed, so that a machine whose speed drifts (other
work on it) slows both alike; the services of one way sit idle while the other's are measured,
and a way's services are stopped once it is out of the climb. The seal is made for the run in its
directory, a test seal (not marked DEVELOPMENT) the services accept in any LAMADI_ENV.

Everything runs on servers of its own (a RabbitMQ node, a PostgreSQL cluster, the SMTP sink and
the services, on free ports): a running system is never touched. A rate is sustained when every
filing was accepted and every receipt arrived within the drain time-out; the rates after the
first one that is not are skipped (--all-rates runs them anyway, on top of the backlog).

    make bench      # or: .venv/bin/python -m bench.pipeline --rates 10,25,50 --seconds 15
    make bench BENCH_ARGS="--rates 50,100 --all-rates --sealing on"
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
from bench.report import (
    PDF_WORKER,
    SERVICES,
    RateResult,
    baseline_table,
    busy_table,
    cpu_model,
    cpu_table,
    rate_table,
    sealing_summary,
    sealing_table,
    summary,
)
from bench.sink import Arrivals
from bench.soak.servers import OwnPostgres, OwnRabbitMQ, Process, service_env
from shared.seal import make_development_seal
from tests.support import Fleet, free_port, wait_until

DATABASE, VHOST, RAW_VHOST = "lamadi_bench", "lamadi-bench", "lamadi-bench-raw"
# Unsealed first: the reference the sealed run is compared with.
MODES = {"off": ("off",), "on": ("on",), "both": ("off", "on")}


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
    parser.add_argument("--sealing", choices=tuple(MODES), default="both",
                        help="the services with a seal (on), without (off), or the ladder once each way [both]")
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
        self.fleets: dict[str, Fleet] = {}  # sealing "off" / "on" → its services
        self.owed: dict[str, set[str]] = {}  # sealing → addresses of accepted filings
        self.mode = ""  # "off" or "on": the services measured now, their database and vhost
        self.bare: Process | None = None
        self.meter = procstat.Meter(self._groups())

    @property
    def fleet(self) -> Fleet | None:
        return self.fleets.get(self.mode)

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
        groups[PDF_WORKER] = procstat.children_group(lambda: self._service_pid("notifier"))
        # "postgres: postgres lamadi_bench_off 127.0.0.1(5678) idle": the running mode's database
        groups["pg backends"] = procstat.matching_group(self._postmaster, lambda cmd: f" {self.database} " in cmd)
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

    @property
    def database(self) -> str:
        return f"{DATABASE}_{self.mode}"

    @property
    def vhost(self) -> str:
        return f"{VHOST}-{self.mode}"

    async def deliveries(self) -> int:
        async with httpx.AsyncClient(auth=("guest", "guest")) as client:
            answer = await client.get(f"{self.rabbit.api}/vhosts/{self.vhost}", timeout=10)
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
        self.rabbit.create()
        await self.rabbit.start()
        await self.rabbit.create_vhost(RAW_VHOST)
        self.sink.start()
        say(f"PostgreSQL :{self.postgres.port}, RabbitMQ :{self.rabbit.amqp_port}, SMTP sink :{self.smtp_port}")

    def service_env(self, sealing: str) -> dict[str, str]:
        env = service_env(self.base, self.postgres, self.rabbit, self.rabbit.amqp_port, self.smtp_port, "classic",
                          self.database, self.vhost)
        if sealing == "on":
            seal = self.base / "seal"
            if not seal.exists():
                make_development_seal(seal, development=False)  # made once, for this run only
            env |= {"LAMADI_SEAL_PKCS12": str(seal / "seal.p12"),
                    "LAMADI_SEAL_PASSPHRASE_FILE": str(seal / "seal.passphrase")}
        return env

    async def start_services(self, sealing: str) -> None:
        """The four services on a database and vhost of this mode's own: both ways start alike."""
        self.mode = sealing
        await self.postgres.sql(f'CREATE DATABASE "{self.database}"')
        await self.rabbit.create_vhost(self.vhost)
        self.fleets[sealing] = await Fleet.start(SERVICES, self.service_env(sealing), self.base / "logs" / sealing,
                                                 None, instances=1)
        self.owed[sealing] = set()
        say(f"sealing {sealing}: " + ", ".join(f"{name} :{self.fleet.instances[name][0].port}" for name in SERVICES))

    async def stop_services(self, sealing: str) -> None:
        if (fleet := self.fleets.pop(sealing, None)) is not None:
            await fleet.stop()

    async def others_settled(self) -> None:
        """Before measuring one way: the other way's services done with their filings (a rate
        not sustained leaves a backlog), so that they sit idle. Bounded by --drain-timeout."""
        arrived = set(self.receipts("bench-"))
        owed = {a for mode, owed in self.owed.items() if mode != self.mode and mode in self.fleets for a in owed}
        if owed - arrived:
            say(f"waiting up to {self.args.drain_timeout:g} s for {len(owed - arrived)} receipts of the other services")
            await _until(lambda: owed <= set(self.receipts("bench-")), self.args.drain_timeout)

    async def issued_receipts(self) -> tuple[int, int]:
        """(receipts issued, of which sealed), from the notifier's register."""
        row = (await self.postgres.sql("SELECT count(*) AS issued, count(signer) AS sealed FROM notifier.documents "
                                       "WHERE document = 'receipt'", database=self.database))[0]
        return row["issued"], row["sealed"]

    async def warm_up(self, http: httpx.AsyncClient) -> None:
        """A few filings through the whole pipeline first: fonts loaded, queues declared, pools full."""
        tag = f"warm{self.mode}"
        sent = await load.open_loop(http, self.fleet.url("intake", load.PATH), tag, 5, 1)
        accepted = {s.address for s in sent if s.status == 202}
        await wait_until(lambda: accepted <= set(self.receipts(f"bench-{tag}-")), timeout=120, interval=0.5,
                         message="the warm-up filings' receipts")

    async def rate(self, http: httpx.AsyncClient, rate: float) -> RateResult:
        args, tag = self.args, f"{self.mode}{rate:g}"  # bench-on25-17@example.ma
        prefix = load.address(tag, 0).rsplit("-", 1)[0] + "-"

        def progress(sent: list[load.Sent], left: float) -> None:
            accepted = sum(1 for s in sent if s.status == 202)
            say(f"{rate:g}/s: {left:.0f} s left, {len(sent)} sent, {accepted} accepted, "
                f"{len(self.receipts(prefix))} receipts")

        before, delivered = self.meter.read(), await self.deliveries()
        started = time.monotonic()
        sent = await load.open_loop(http, self.fleet.url("intake", load.PATH), tag, rate, args.seconds, progress)
        accepted = [s for s in sent if s.status == 202]
        self.owed[self.mode].update(s.address for s in accepted)
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
        for sealing in [mode for mode in self.fleets if mode != self.mode]:
            await self.stop_services(sealing)
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

    def receipt_kb(self, sealing: str) -> float | None:
        """The average receipt email's size (the PDF attached) of a mode's filings."""
        prefix = f"bench-{sealing}"
        sizes = [size for _, template, to, size in self.arrivals.lines
                 if template == "receipt" and to and to[0].startswith(prefix) and to[0][len(prefix)].isdigit()]
        return sum(sizes) / len(sizes) / 1024 if sizes else None

    def stop(self) -> None:
        for fleet in self.fleets.values():
            for process in fleet.processes():
                process.stop()
        for process in (self.bare, self.sink):
            if process is not None:
                process.stop()
        self.rabbit.stop()
        self.postgres.stop()


async def _until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not (done := predicate()) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    return done


async def _answers(url: str) -> bool:
    try:
        async with httpx.AsyncClient() as client:
            return (await client.get(url, timeout=2)).status_code == 200
    except httpx.HTTPError:
        return False


async def ladders(bench: Bench, http: httpx.AsyncClient, modes: tuple[str, ...]) -> dict[str, list[RateResult]]:
    """Each rate on each way's services in turn, each way until one of its rates is not sustained."""
    args, results = bench.args, {sealing: [] for sealing in modes}
    for sealing in modes:
        await bench.start_services(sealing)
        say(f"sealing {sealing}: warm-up, 5 filings through the pipeline")
        await bench.warm_up(http)
    climbing = list(modes)
    for rate in args.rates:
        for sealing in list(climbing):
            bench.mode = sealing
            await bench.others_settled()
            say(f"sealing {sealing}: {rate:g} filings/s for {args.seconds:g} s")
            results[sealing].append(result := await bench.rate(http, rate))
            if not result.sustained and not args.all_rates:
                say(f"sealing {sealing}: {rate:g}/s not sustained ({result.behind} receipts waiting when the last "
                    f"filing was sent, {result.backlog} after the drain, {result.errors} filings refused): its "
                    "higher rates are skipped (--all-rates runs them)")
                climbing.remove(sealing)
                await check_issued(bench)
                if climbing:  # its services stopped: nothing of theirs runs beside the other way's
                    await bench.stop_services(sealing)
    for sealing in climbing:
        bench.mode = sealing
        await check_issued(bench)
    return results


async def check_issued(bench: Bench) -> None:
    """The notifier's register says the services took the way asked: every receipt sealed, or none."""
    issued, sealed = await bench.issued_receipts()
    say(f"sealing {bench.mode}: the notifier issued {issued} receipts, {sealed} of them sealed")
    if sealed != (issued if bench.mode == "on" else 0):
        raise SystemExit(f"bench: sealing {bench.mode}, yet {sealed} of {issued} receipts sealed: see the notifier's "
                         "log")


def print_ladder(bench: Bench, sealing: str, results: list[RateResult]) -> None:
    print(f"\n== sealing {sealing} ==")
    print("\nfiling → receipt email, open loop (latencies from the time each filing was due to be sent)")
    print(rate_table(results))
    print("\nCPU ms per accepted filing, from /proc (a process and its children; pdf worker: the notifier's "
          "children, in its figure already; pg other: the cluster's own)")
    print(cpu_table(results))
    print("\nCPU in use while measured (sending and draining), % of one core: 100 is a process's ceiling under the GIL")
    print(busy_table(results))
    if (kb := bench.receipt_kb(sealing)) is not None:
        print(f"  receipts: {kb:.0f} KB an email on average (PDF attached)")
    print(summary(results))


async def run(args: argparse.Namespace, base: Path) -> None:
    bench, load_before = Bench(args, base), os.getloadavg()[0]
    results: dict[str, list[RateResult]] = {}
    try:
        await bench.start()
        async with load.client(512) as http:
            results = await ladders(bench, http, MODES[args.sealing])
        intake, bare, raw = await bench.baselines()  # on the services measured last
    finally:
        bench.stop()
    for sealing, ladder_results in results.items():
        print_ladder(bench, sealing, ladder_results)
    if {"off", "on"} <= set(results):
        print("\n== sealing off and on, same run (on: each receipt drawn and sealed PAdES B-B in the notifier's "
              "PDF worker) ==")
        print(sealing_table(results["off"], results["on"]))
        print(sealing_summary(results["off"], results["on"]))
    print(f"\nbaselines, same run (intake with sealing {bench.mode})")
    print(baseline_table(results[bench.mode], intake, bare, raw, args.connections))
    print(f"  generator CPU per request: intake run {intake['generator']:.2f} ms, bare run {bare['generator']:.2f} ms "
          f"(near 1000 / req/s means the client, not the server, set the pace)")
    model = cpu_model(Path("/proc/cpuinfo").read_text())
    print(f"\nmachine: {os.cpu_count()} CPUs, {model}; load average {load_before:.1f} before the run "
          "(other work on the machine slows everything measured here)")


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    for name in [name for name in os.environ if name.startswith("LAMADI_SEAL_")]:
        del os.environ[name]  # the services inherit this environment: "off" is no seal at all
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
