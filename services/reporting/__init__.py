"""Reporting service (port 8004): keeps one non-personal entry per event, builds the daily
report for the Urban Planning Directorate and shows operators the state of the queues."""
