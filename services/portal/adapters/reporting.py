"""Reporting's staff API as the operations pages call it, with the signed-in person's token:
the work queues, their parked messages (replay, drop, and who did), the daily reports' archive
and each day's files."""

from __future__ import annotations

from datetime import date

from services.portal.adapters.reporting_models import DailyReports, Moved, OpsActionPage, ParkedPage, Queues
from services.portal.adapters.upstream import Download, ServiceClient

OPS = "/api/v1/ops"
DAILY_REPORTS = "/api/v1/reports/daily"


class ReportingClient(ServiceClient):
    """Its refusals and outages raise upstream's own errors, which the error pages show."""

    service = "reporting"

    async def queues(self) -> Queues:
        return await self._model(Queues, "GET", f"{OPS}/queues")

    async def parked(self, queue: str, *, limit: int) -> ParkedPage:
        """The messages parked in ``queue`` (a work queue's name), with their error and event."""
        return await self._model(ParkedPage, "GET", f"{OPS}/parked/{queue}", params={"limit": limit})

    async def replay(self, queue: str, ids: list[str] | None) -> Moved:
        """Parked messages back to their work queue (``ids`` None: every one parked now)."""
        return await self._model(Moved, "POST", f"{OPS}/parked/{queue}/replay", json={"ids": ids})

    async def drop(self, queue: str, ids: list[str] | None) -> Moved:
        """Parked messages removed for good (``ids`` None: every one parked now)."""
        return await self._model(Moved, "POST", f"{OPS}/parked/{queue}/drop", json={"ids": ids})

    async def ops_actions(self, *, limit: int) -> OpsActionPage:
        """Who replayed or dropped which parked message, newest first."""
        return await self._model(OpsActionPage, "GET", f"{OPS}/actions", params={"limit": limit})

    async def daily_reports(self) -> DailyReports:
        """The archive of built days, newest first."""
        return await self._model(DailyReports, "GET", DAILY_REPORTS)

    async def daily_report(self, day: date, file_format: str) -> Download:
        """A built day's report file, streamed."""
        return await self._download(DAILY_REPORTS, params={"date": day.isoformat(), "format": file_format})
