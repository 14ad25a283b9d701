"""Reporting's application logic: one function per event, command or query, each
``verb_noun(message, uow, deps)``."""

from services.reporting.handlers.entries import record_entry
from services.reporting.handlers.indicators import ShowIndicators, show_indicators
from services.reporting.handlers.queues import ShowQueues, show_queues
from services.reporting.handlers.reports import (
    BuildDailyReport,
    CloseDay,
    ListDailyReports,
    SendDailyReport,
    ShowAudit,
    ShowDailyReport,
    ShowReportFile,
    build_daily_report,
    close_day,
    list_daily_reports,
    send_daily_report,
    show_audit,
    show_daily_report,
    show_report_file,
)

__all__ = [
    "BuildDailyReport", "CloseDay", "ListDailyReports", "SendDailyReport", "ShowAudit", "ShowDailyReport",
    "ShowIndicators", "ShowQueues", "ShowReportFile", "build_daily_report", "close_day", "list_daily_reports",
    "record_entry", "send_daily_report", "show_audit", "show_daily_report", "show_indicators", "show_queues",
    "show_report_file",
]
