"""What closing a day costs, in CPU time, against baselines measured in the same run.

- Figures: following every live filing's timeline (reception, pause, decision) to count the
  day, per filing; baseline: merely counting the same steps by kind (what the report did
  before processing times existed).
- Files: drawing the PDF with its two charts, the XLSX and the CSV of one report; baseline:
  the CSV alone.

    .venv/bin/python -m bench.daily_report [--filings 20000] [--reports 5]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from services.reporting.adapters.documents import render_files
from services.reporting.adapters.documents.csv_table import to_csv
from services.reporting.adapters.documents.fonts import report_font
from services.reporting.domain.agency_days import AgencyDays
from services.reporting.domain.daily_report import daily_figures
from services.reporting.domain.timelines import Step
from shared.agency import AgencyIdentity
from shared.calendar import WorkingCalendar
from shared.catalogue import default_catalogue

DAY = date(2025, 6, 17)


def filings(count: int, days: AgencyDays) -> dict[str, list[Step]]:
    kinds = list(default_catalogue().kinds)
    start, _ = days.bounds(DAY)
    made = {}
    for n in range(count):
        kind = kinds[n % len(kinds)]
        received = start - timedelta(days=n % 40, hours=-9)
        steps = [Step("submission.received", kind, "received", received,
                      {"decision_days": 10, "decision_unit": "working_days"})]
        if n % 3 == 0:
            steps.append(Step("review.observations_issued", kind, "awaiting_applicant", received + timedelta(days=1)))
            steps.append(Step("review.task_queued", kind, "queued", received + timedelta(days=4)))
        if n % 2 == 0:
            steps.append(Step("review.decided", kind, "decided", start + timedelta(hours=10), {"outcome": "approved"}))
        made[f"AU-{n}"] = steps
    return made


def cpu(action, repeat: int = 1) -> float:
    started = time.process_time()
    for _ in range(repeat):
        action()
    return (time.process_time() - started) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filings", type=int, default=20_000)
    parser.add_argument("--reports", type=int, default=5)
    args = parser.parse_args()
    catalogue, calendar = default_catalogue(), WorkingCalendar()
    days = AgencyDays(calendar.timezone)
    live = filings(args.filings, days)
    every = [step for steps in live.values() for step in steps]
    start, end = days.bounds(DAY)
    on_day = [s for s in every if start <= s.at < end]

    baseline = cpu(lambda: Counter((s.kind, s.name) for s in every))
    figures_time = cpu(lambda: daily_figures(DAY, days, calendar, list(catalogue.kinds), day_steps=on_day,
                                             filings=live, trend_steps=every, late_steps=[]))
    print(f"figures, {args.filings} live filings ({len(every)} steps):")
    print(f"  counting steps by kind (baseline) {baseline * 1000:8.1f} ms   {baseline / len(live) * 1e6:6.2f} µs/filing")
    print(f"  timelines and figures             {figures_time * 1000:8.1f} ms   "
          f"{figures_time / len(live) * 1e6:6.2f} µs/filing   ×{figures_time / baseline:.1f}")

    report = daily_figures(DAY, days, calendar, list(catalogue.kinds), day_steps=on_day, filings=live,
                           trend_steps=every, late_steps=[])
    font, built_at = report_font(), datetime(2025, 6, 18, tzinfo=UTC)
    csv_time = cpu(lambda: to_csv(report), repeat=args.reports * 20)
    for language in ("ar", "fr"):
        files_time = cpu(lambda: render_files(report, language=language, catalogue=catalogue, font=font,
                                              agency=AgencyIdentity(), built_at=built_at), repeat=args.reports)
        print(f"files ({language}): PDF with 2 charts + XLSX + CSV + JSON {files_time * 1000:8.1f} ms/report   "
              f"CSV alone (baseline) {csv_time * 1000:6.2f} ms   ×{files_time / csv_time:.0f}")


if __name__ == "__main__":
    main()
