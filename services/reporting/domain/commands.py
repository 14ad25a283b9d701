"""What operators, the public and the day closer ask of reporting (imperative names; the
handlers carry them out), and what a build or a send answers (``Built``). The events it
records are its other messages (shared/events.py)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the files as drawn: only their type is named here, nothing is drawn
    from services.reporting.adapters.documents import ReportFile


# --- the daily report -----------------------------------------------------------------------

@dataclass(frozen=True)
class FindDaysToClose:
    now: datetime


@dataclass(frozen=True)
class CloseDay:
    """The scheduler's: build the day if nobody did, and send it if it was never sent."""

    day: date


@dataclass(frozen=True)
class BuildDailyReport:
    day: date
    actor: str
    force: bool = False  # rebuild a day already sent


@dataclass(frozen=True)
class SendDailyReport:
    day: date
    actor: str


@dataclass(frozen=True)
class ShowDailyReport:
    """One day's report as one file: as built and sent, or a day's provisional figures so far."""

    day: date
    format: str


@dataclass(frozen=True)
class ShowAudit:
    day: date


@dataclass(frozen=True)
class ListDailyReports:
    limit: int = 60
    offset: int = 0


@dataclass(frozen=True)
class Built:
    """A day's report as a build or a send leaves it, and whether this command built or sent it."""

    day: date
    revision: int
    language: str
    figures: dict[str, Any]
    files: list[ReportFile]
    built_now: bool = True
    sent_now: bool = False


# --- indicators -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ShowIndicators:
    """Agency days, both included; None: the default period (domain/indicators.py)."""

    first: date | None = None
    last: date | None = None


# --- operations -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ShowQueues:
    pass


@dataclass(frozen=True)
class ShowParked:
    """A work queue's parked messages, as the asker's ``roles`` may see them."""

    queue: str
    limit: int
    roles: frozenset[str]


@dataclass(frozen=True)
class MoveParked:
    """Replay or drop the parked messages named by ``ids`` (None: every message parked now)."""

    queue: str
    action: str  # "replay" or "drop"
    ids: Collection[str] | None
    actor: str


@dataclass(frozen=True)
class ListOpsActions:
    limit: int
    offset: int
