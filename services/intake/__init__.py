"""Intake: the public front door. Takes filings, issues receipts, shows applicants their file."""
