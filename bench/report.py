"""The pipeline benchmark's figures and tables (pure: no I/O, tested in tests/unit)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

SERVICES = ("intake", "review", "notifier", "reporting")
# What the target counts: the four services and their database backends.
TARGET_GROUPS = (*SERVICES, "pg backends")
# "pdf worker": the notifier's children (its PDF worker process), already in the notifier's figure.
PDF_WORKER = "pdf worker"
CPU_COLUMNS = (*TARGET_GROUPS, PDF_WORKER, "pg other", "rabbitmq", "smtp sink", "generator")
# Bounded backlog: when the last filing of a rate is sent, at most this many seconds' worth of
# filings still wait for their receipt (the p99 target is 1 s, so a keeping-up pipeline holds ~1).
BOUND_SECONDS = 2.0
PATH = "/api/v1/submissions"


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile; ``inf`` stands for an email that never came (so a p99 that
    lands on one is unbounded, not flattered by leaving it out). ``nan`` when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class RateResult:
    rate: float
    seconds: float
    sent: int
    accepted: int  # 202 answers
    errors: int  # anything else, time-outs included
    http_latencies: list[float]  # seconds, scheduled send → answer
    receipts: list[float]  # seconds, scheduled send → arrival, inf when not arrived
    emails_in_window: int  # receipts (of any filing) arriving while this rate was being sent
    deliveries: int  # broker deliveries in the vhost during the window and drain
    behind: int  # accepted filings still without a receipt when the last one was sent
    elapsed: float  # seconds from the first send to the end of the drain
    cpu_ms: dict[str, float] = field(default_factory=dict)  # per accepted filing
    cpu_busy: dict[str, float] = field(default_factory=dict)  # % of one core over ``elapsed``

    @property
    def backlog(self) -> int:
        return sum(1 for v in self.receipts if math.isinf(v))

    @property
    def sustained(self) -> bool:
        """Every filing accepted, the backlog bounded while sending, none missing after the drain."""
        return self.accepted == self.sent and self.behind <= BOUND_SECONDS * self.rate and self.backlog == 0

    @property
    def cpu_total(self) -> float:
        return sum(self.cpu_ms.get(name, 0.0) for name in TARGET_GROUPS)


def seconds_text(value: float) -> str:
    if math.isnan(value):
        return "-"
    if math.isinf(value):
        return "never"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A markdown table, columns padded to their widest cell."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def rate_table(results: Sequence[RateResult]) -> str:
    rows = []
    for r in results:
        rows.append([
            f"{r.rate:g}/s", r.sent, f"{r.accepted / r.seconds:.1f}", r.errors, f"{r.emails_in_window / r.seconds:.1f}",
            seconds_text(percentile(r.http_latencies, 99)),
            *(seconds_text(percentile(r.receipts, p)) for p in (50, 95, 99)), r.behind, r.backlog,
            f"{r.deliveries / r.elapsed:.0f}" if r.elapsed else "-", "yes" if r.sustained else "no",
        ])
    return table(["rate", "sent", "accepted/s", "errors", "emails/s", "http p99 s", "receipt p50 s", "p95 s", "p99 s",
                  "waiting at end", "backlog after drain", "deliveries/s", "sustained"], rows)


def cpu_table(results: Sequence[RateResult]) -> str:
    rows = [[f"{r.rate:g}/s", *(f"{r.cpu_ms.get(name, 0.0):.1f}" for name in CPU_COLUMNS), f"{r.cpu_total:.1f}"]
            for r in results]
    return table(["CPU ms per filing", *CPU_COLUMNS, "total (4 services + pg backends)"], rows)


def summary(results: Sequence[RateResult], *, target_rate: float = 50, target_p99: float = 1.0) -> str:
    sustained = [r.rate for r in results if r.sustained]
    at_target = [r for r in results if r.rate == target_rate]
    p99 = percentile(at_target[0].receipts, 99) if at_target else float("nan")
    # CPU per filing at the highest sustained rate (else the lowest tried): steady state.
    basis = max((r for r in results if r.sustained), key=lambda r: r.rate, default=results[0] if results else None)
    parts = [f"highest sustained rate {max(sustained):g} filings/s" if sustained else "no rate sustained",
             f"p99 filing → receipt at {target_rate:g}/s "
             + (f"{seconds_text(p99)}{' s' if math.isfinite(p99) else ''} "
                f"({'≤' if p99 <= target_p99 else '>'} {target_p99:g} s)" if at_target else "not measured")]
    if basis is not None:
        parts.append(f"CPU per filing at {basis.rate:g}/s {basis.cpu_total:.1f} ms ("
                     + ", ".join(f"{name} {basis.cpu_ms.get(name, 0.0):.1f}" for name in TARGET_GROUPS)
                     + f"; rabbitmq {basis.cpu_ms.get('rabbitmq', 0.0):.1f} more)")
    return "summary: " + "; ".join(parts)


def busy_table(results: Sequence[RateResult]) -> str:
    names = (*SERVICES, "pg backends", "rabbitmq", "generator")
    return table(["% of one core", *names], [[f"{r.rate:g}/s", *(f"{r.cpu_busy.get(n, 0.0):.0f}" for n in names)]
                                             for r in results])


def ratio(measured: float, baseline: float) -> str:
    return f"{measured / baseline:.2f}" if baseline and not math.isnan(baseline) else "-"


def baseline_table(results: list[RateResult], intake: dict, bare: dict, raw: float, connections: int) -> str:
    piped = max((r.deliveries / r.elapsed for r in results if r.elapsed), default=float("nan"))
    return table(["what", "Lamadi", "baseline, same run", "ratio"], [
        [f"intake POST {PATH}, {connections} connections, closed loop",
         f"{intake['rps']:.0f} req/s, {intake['intake']:.2f} ms server CPU each (+{intake['pg backends']:.2f} ms "
         f"PostgreSQL)", f"bare FastAPI POST, pydantic body, same server stack: {bare['rps']:.0f} req/s, "
         f"{bare['bare app']:.2f} ms", f"{ratio(intake['rps'], bare['rps'])} (CPU: "
         f"{ratio(bare['bare app'], intake['intake'])})"],
        ["event deliveries through the pipeline", f"{piped:.0f}/s (the most of the rates sent)",
         f"raw aio-pika confirm-publish + consume + ack: {raw:.0f} msg/s", ratio(piped, raw)],
    ])


def cpu_model(cpuinfo: str) -> str:
    """The model name in /proc/cpuinfo's text."""
    for line in cpuinfo.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


# -- sealing on and off (issue 17: the sustained rate sealed stays within 20% of unsealed)

SEALING_BOUND = 0.8  # sealed / unsealed sustained rate, at least


def highest_sustained(results: Sequence[RateResult]) -> float | None:
    return max((r.rate for r in results if r.sustained), default=None)


def common_basis(off: Sequence[RateResult], on: Sequence[RateResult]) -> float | None:
    """The rate CPU per filing is compared at: the highest both sustained (steady state in
    both), else the lowest both ran."""
    both = {r.rate for r in off} & {r.rate for r in on}
    sustained = {r.rate for r in off if r.sustained} & {r.rate for r in on if r.sustained}
    return max(sustained) if sustained else min(both, default=None)


def _ratio_of(on: float | None, off: float | None) -> str:
    if on is None or off is None or not off or math.isnan(on) or math.isnan(off) or math.isinf(off):
        return "-"
    return "∞" if math.isinf(on) else f"{on / off:.2f}"


def sealing_table(off: Sequence[RateResult], on: Sequence[RateResult]) -> str:
    """Sealing off and on side by side: the highest sustained rate, each rate's receipts/s and p99
    filing → receipt, and the CPU per filing of each process at the common basis rate."""
    best_off, best_on = highest_sustained(off), highest_sustained(on)
    rows: list[list[object]] = [["highest sustained rate, filings/s", f"{best_off:g}" if best_off else "none",
                                 f"{best_on:g}" if best_on else "none", _ratio_of(best_on, best_off)]]
    by_rate_off, by_rate_on = {r.rate: r for r in off}, {r.rate: r for r in on}
    for rate in sorted(set(by_rate_off) & set(by_rate_on)):
        a, b = by_rate_off[rate], by_rate_on[rate]
        rows.append([f"{rate:g}/s: receipts/s while sending", f"{a.emails_in_window / a.seconds:.1f}",
                     f"{b.emails_in_window / b.seconds:.1f}",
                     _ratio_of(b.emails_in_window / b.seconds, a.emails_in_window / a.seconds)])
        p_off, p_on = percentile(a.receipts, 99), percentile(b.receipts, 99)
        rows.append([f"{rate:g}/s: receipt p99 s{'' if a.sustained and b.sustained else ' (not sustained)'}",
                     seconds_text(p_off), seconds_text(p_on), _ratio_of(p_on, p_off)])
    basis = common_basis(off, on)
    if basis is not None:
        a, b = by_rate_off[basis], by_rate_on[basis]
        for name in (*SERVICES[:3], PDF_WORKER, SERVICES[3], "pg backends", "rabbitmq"):
            cpu_off, cpu_on = a.cpu_ms.get(name, 0.0), b.cpu_ms.get(name, 0.0)
            label = "notifier's PDF worker (in notifier)" if name == PDF_WORKER else name
            rows.append([f"{basis:g}/s: CPU ms per filing, {label}", f"{cpu_off:.1f}", f"{cpu_on:.1f}",
                         _ratio_of(cpu_on, cpu_off)])
        rows.append([f"{basis:g}/s: CPU ms per filing, total (4 services + pg backends)", f"{a.cpu_total:.1f}",
                     f"{b.cpu_total:.1f}", _ratio_of(b.cpu_total, a.cpu_total)])
    return table(["sealing", "off", "on", "on/off"], rows)


def sealing_summary(off: Sequence[RateResult], on: Sequence[RateResult]) -> str:
    best_off, best_on = highest_sustained(off), highest_sustained(on)
    if not best_off or not best_on:
        return (f"sealing: highest sustained rate off {best_off or 'none'}, on {best_on or 'none'} filings/s: "
                "no ratio")
    share = best_on / best_off
    verdict = "within" if share >= SEALING_BOUND else "beyond"
    return (f"sealing: highest sustained rate on {best_on:g} vs off {best_off:g} filings/s, on/off {share:.2f} "
            f"({verdict} {100 * (1 - SEALING_BOUND):.0f}%; the ladder's steps bound what this can tell)")
