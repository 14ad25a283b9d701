"""The pipeline benchmark's pure parts: the /proc reader, the sink's lines, percentiles, tables."""

from __future__ import annotations

import math
import os

from bench import pipeline, procstat
from bench.report import (
    RateResult,
    baseline_table,
    busy_table,
    cpu_model,
    cpu_table,
    percentile,
    rate_table,
    sealing_summary,
    sealing_table,
    summary,
    table,
)
from bench.sink import Arrivals, parse_line

TICK = procstat.TICK


def stat_line(pid: int, comm: str, ppid: int, utime: int, stime: int, cutime: int = 0, cstime: int = 0) -> str:
    # Fields 3..17 of proc(5): state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    # utime stime cutime cstime, then more that the reader ignores.
    return (f"{pid} ({comm}) S {ppid} {pid} {pid} 0 -1 4194560 100 0 0 0 "
            f"{utime} {stime} {cutime} {cstime} 20 0 1 0 123 456 789\n")


def test_a_stat_line_whose_command_name_holds_spaces_and_parentheses():
    stat = procstat.parse_stat(stat_line(42, "uvicorn) (worker 1", 7, utime=150, stime=50, cutime=10, cstime=30))
    assert (stat.pid, stat.ppid) == (42, 7)
    assert math.isclose(stat.cpu, 200 * TICK)
    assert math.isclose(stat.children_cpu, 40 * TICK)


def test_this_process_is_read_from_the_real_proc():
    stats = procstat.read_all()
    me = stats[os.getpid()]
    assert me.ppid == os.getppid()
    assert me.cpu > 0


def test_a_tree_counts_live_descendants_and_reaped_children_but_not_its_parent_or_siblings():
    stats = {s.pid: s for s in (
        procstat.Stat(1, 0, 100.0, 0.0),  # init: not in the tree
        procstat.Stat(10, 1, 1.0, 0.5),  # the service, 0.5 s of workers already reaped
        procstat.Stat(11, 10, 2.0, 0.0),  # a live worker
        procstat.Stat(12, 11, 4.0, 0.25),  # the worker's own child
        procstat.Stat(20, 1, 8.0, 0.0),  # another service
    )}
    assert procstat.tree(stats, 10) == {10, 11, 12}
    assert procstat.tree(stats, 99) == set()
    assert math.isclose(procstat.tree_cpu(stats, 10), 1.0 + 0.5 + 2.0 + 4.0 + 0.25)
    assert math.isclose(procstat.children_group(lambda: 10)(stats), 2.0 + 4.0 + 0.25)  # the workers alone
    assert procstat.children_group(lambda: 99)(stats) == 0.0


def test_a_meter_gives_each_groups_seconds_since_a_reading_and_never_less_than_zero(monkeypatch):
    readings = iter([{10: procstat.Stat(10, 1, 1.0, 0.0)}, {10: procstat.Stat(10, 1, 3.5, 0.0)}])
    monkeypatch.setattr(procstat, "read_all", lambda: next(readings))
    meter = procstat.Meter({"svc": procstat.tree_group(lambda: 10), "gone": procstat.tree_group(lambda: None)})
    before = meter.read()
    assert meter.since({**before, "gone": 5.0}) == {"svc": 2.5, "gone": 0.0}
    assert procstat.per_item_ms({"svc": 2.5}, 50) == {"svc": 50.0}
    assert math.isnan(procstat.per_item_ms({"svc": 2.5}, 0)["svc"])


def test_the_sinks_lines_are_read_as_they_grow_a_half_written_one_waiting(tmp_path):
    path = tmp_path / "arrivals.tsv"
    arrivals = Arrivals(path)
    assert arrivals.poll() == []  # no file yet
    path.write_text("12.5\treceipt\ta@example.ma,b@example.ma\t40960\n13.0\trec")
    assert arrivals.poll() == [(12.5, "receipt", ["a@example.ma", "b@example.ma"], 40960)]
    with path.open("a") as handle:
        handle.write("eipt\tc@example.ma\t100\n")
    assert arrivals.poll() == [(13.0, "receipt", ["c@example.ma"], 100)]
    assert len(arrivals.lines) == 2
    assert parse_line("bad\tline\n") is None


def test_nearest_rank_percentiles_and_a_missing_email_counts_as_never():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile([0.2], 99) == 0.2
    assert math.isnan(percentile([], 50))
    assert percentile([0.1] * 98 + [math.inf, math.inf], 99) == math.inf


def result(rate: float, *, backlog: int = 0, refused: int = 0, behind: int = 0) -> RateResult:
    receipts = [0.1 * n for n in range(1, 11 - backlog)] + [math.inf] * backlog
    return RateResult(rate=rate, seconds=10, sent=10, accepted=10 - refused, errors=refused,
                      http_latencies=[0.01] * 10, receipts=receipts, emails_in_window=10 - backlog,
                      deliveries=50, elapsed=12.5, behind=behind,
                      cpu_ms={"intake": 2.0, "review": 1.0, "notifier": 5.0, "reporting": 1.0, "pg backends": 3.0,
                              "rabbitmq": 4.0, "generator": 9.0})


def test_a_rate_is_sustained_only_with_every_filing_accepted_and_every_receipt_arrived():
    assert result(10).sustained
    assert not result(10, backlog=1).sustained and result(10, backlog=1).backlog == 1
    assert not result(10, refused=1).sustained
    assert result(10, behind=20).sustained  # two seconds' worth still waiting: bounded
    assert not result(10, behind=21).sustained  # the backlog grew while sending, even if the drain caught up
    assert result(10).cpu_total == 12.0  # the four services and their backends: not the broker nor the client


def test_tables_and_summary():
    assert table(["a", "bb"], [[1, 2]]).splitlines() == ["| a | bb |", "|---|----|", "| 1 | 2  |"]
    rows = rate_table([result(10), result(50, backlog=2)]).splitlines()
    assert len(rows) == 4 and "never" in rows[3] and "| 4  " in rows[2]  # 50 deliveries in 12.5 s
    assert "12.0" in cpu_table([result(10)])
    line = summary([result(10), result(25), result(50, backlog=2)])
    assert "highest sustained rate 25 filings/s" in line
    assert "at 50/s never (> 1 s)" in line
    assert "CPU per filing at 25/s 12.0 ms" in line
    assert summary([result(50)]).count("≤ 1 s") == 1
    assert "no rate sustained" in summary([result(10, backlog=1)])


def test_baselines_give_ratios_of_rate_and_of_cpu_and_the_machine_is_named():
    intake = {"rps": 200.0, "intake": 3.0, "pg backends": 1.0}
    bare = {"rps": 2000.0, "bare app": 0.3}
    text = baseline_table([result(10)], intake, bare, raw=400.0, connections=32)
    assert "0.10 (CPU: 0.10)" in text  # 200 / 2000 req/s; 0.3 / 3.0 ms
    assert "| 0.01 " in text  # 4 deliveries/s against 400 msg/s
    done = result(10)
    done.cpu_busy = {"notifier": 97.4}
    assert "| 97 " in busy_table([done])
    assert cpu_model("processor : 0\nmodel name\t: Intel(R) Xeon(R) Processor\n") == "Intel(R) Xeon(R) Processor"
    assert cpu_model("") == "unknown CPU"


def test_sealing_on_and_off_side_by_side_with_their_ratios_at_the_rate_both_sustained():
    off = [result(10), result(25), result(50, backlog=2)]
    on = [result(10), result(25, backlog=1)]
    on[0].cpu_ms = {**on[0].cpu_ms, "notifier": 10.0}  # the seal doubles the notifier's 5 ms
    text = " ".join(sealing_table(off, on).split())  # cells unpadded
    assert "| highest sustained rate, filings/s | 25 | 10 | 0.40 |" in text
    assert "| 25/s: receipt p99 s (not sustained) | 1.000 | never | ∞ |" in text
    assert "50/s" not in text  # run unsealed only: nothing to compare
    assert "| 10/s: CPU ms per filing, notifier | 5.0 | 10.0 | 2.00 |" in text
    assert "| 10/s: CPU ms per filing, notifier's PDF worker (in notifier) |" in text
    assert "| 10/s: CPU ms per filing, total (4 services + pg backends) | 12.0 | 17.0 | 1.42 |" in text
    assert "on/off 0.40 (beyond 20%" in sealing_summary(off, on)
    assert "on/off 1.00 (within 20%" in sealing_summary(off, off)
    assert "no ratio" in sealing_summary(off, [result(10, backlog=1)])


def test_the_bench_runs_both_ways_unless_told_one():
    assert pipeline.MODES[pipeline.arguments([]).sealing] == ("off", "on")
    assert pipeline.MODES[pipeline.arguments(["--sealing", "on", "--rates", "10,40"]).sealing] == ("on",)
    assert pipeline.arguments(["--rates", "10,40"]).rates == [10.0, 40.0]
