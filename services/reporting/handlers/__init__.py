"""Reporting's application logic: one function per event, command or query, each
``verb_noun(message, uow, deps)`` (the messages: domain/commands.py and shared/events.py)."""

from services.reporting.handlers.entries import record_entry
from services.reporting.handlers.indicators import show_indicators
from services.reporting.handlers.ops import list_ops_actions, move_parked, show_parked
from services.reporting.handlers.queues import show_queues
from services.reporting.handlers.reports import (
    build_daily_report,
    close_day,
    find_days_to_close,
    list_daily_reports,
    send_daily_report,
    show_audit,
    show_daily_report,
)

__all__ = [
    "build_daily_report", "close_day", "find_days_to_close", "list_daily_reports", "list_ops_actions",
    "move_parked", "record_entry", "send_daily_report", "show_audit", "show_daily_report", "show_indicators",
    "show_parked", "show_queues",
]
