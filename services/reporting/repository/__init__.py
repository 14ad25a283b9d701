"""Reporting's SQL, and nothing else's: the entries (one per event), the daily reports, and the
operators' trail of parked messages moved."""

from services.reporting.repository import entries, ops, reports

__all__ = ["entries", "ops", "reports"]
