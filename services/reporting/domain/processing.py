"""Processing-time figures over a set of decisions: how many met their legal deadline, and
the median and 90th percentile of the working days they took."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from services.reporting.domain.timelines import Decision


@dataclass(frozen=True)
class ProcessingTimes:
    decided: int  # decisions counted (those whose reception reporting saw)
    with_deadline: int  # of which a legal deadline is known
    on_time: int  # of which decided by their deadline
    on_time_share: float | None  # on_time / with_deadline, 0..1
    median_days: float | None
    p90_days: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(values: list[int], share: float) -> float | None:
    """Linear interpolation between closest ranks (the 'inclusive' method: a spreadsheet's PERCENTILE)."""
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return round(cuts[round(share * 100) - 1], 1)


def processing_times(decisions: Iterable[Decision]) -> ProcessingTimes:
    timed = [d for d in decisions if d.working_days is not None]
    days = sorted(d.working_days for d in timed)
    judged = [d for d in timed if d.met_deadline is not None]
    on_time = sum(1 for d in judged if d.met_deadline)
    return ProcessingTimes(
        decided=len(timed),
        with_deadline=len(judged),
        on_time=on_time,
        on_time_share=round(on_time / len(judged), 4) if judged else None,
        median_days=round(float(statistics.median(days)), 1) if days else None,
        p90_days=percentile(days, 0.9),
    )
