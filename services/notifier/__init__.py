"""Notifier: emails the applicant at each step of a filing (receipt, observations, decision,
withdrawal), in Arabic or French, at least once and recorded before sending (DESIGN.md §5.4)."""

SERVICE = "notifier"
