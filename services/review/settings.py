"""Review settings (LAMADI_* environment variables)."""

from __future__ import annotations

from shared.settings import ServiceSettings


class ReviewSettings(ServiceSettings):
    port: int = 8002
    # Most tasks one GET /api/v1/tasks page may return.
    task_page_max: int = 200
