"""What reporting refuses, in domain terms: each is one of the shared domain errors, which
shared/problems.py maps to HTTP answers."""

from __future__ import annotations

from shared.errors import Conflict, NotFound


class ReportNotBuilt(NotFound):
    title = "Daily report not built"


class ReportAlreadySent(Conflict):
    title = "Daily report already sent"


class DayNotOver(Conflict):
    title = "Day not over"


class WorkQueueNotFound(NotFound):
    title = "Work queue not found"
