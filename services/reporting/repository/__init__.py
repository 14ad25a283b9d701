"""Reporting's SQL, and nothing else's: the entries (one per event) and the daily reports."""

from services.reporting.repository import entries, reports

__all__ = ["entries", "reports"]
