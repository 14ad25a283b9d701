"""Review settings (LAMADI_* environment variables)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from shared.settings import ServiceSettings


class ReviewSettings(ServiceSettings):
    """The staff API's settings: task pages, the document store it reads, the catalogue, the
    deadline scan and its margin, and the committee sessions' window."""

    port: int = 8002
    # Most tasks one GET /api/v1/tasks page may return.
    task_page_max: int = 200
    # The blob store intake writes (<dir>/<sha[:2]>/<sha>); review only reads it.
    documents_dir: Path = Path("var/documents")
    # Seconds between two deadline scans, and how many days (in each rule's unit) before a
    # deadline the "approaching" alert goes out (and a task's deadline_state says approaching).
    deadline_scan_interval: float = Field(60.0, gt=0)
    deadline_margin_days: int = Field(2, ge=0)
    # Committee sessions may be scheduled this many days before and after today.
    session_days_back: int = Field(365, ge=0, le=3660)
    session_days_ahead: int = Field(730, ge=0, le=3660)
