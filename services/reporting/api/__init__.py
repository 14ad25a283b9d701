"""Reporting's HTTP API: the daily reports (archive, downloads, build and send), the public
indicators, and the operators' view of the queues and their parked messages."""

from services.reporting.api import indicators, ops, reports

routers = [reports.router, indicators.router, ops.router]
