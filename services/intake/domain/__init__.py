"""Pure intake domain, no I/O: what can be filed (filings.py, catalogue.py, documents.py,
location.py), identifiers and idempotency, drafts, follow-ups (a pre-study filed again, a
contest), the applicant's view and next actions (public_status.py), Open311's rules (open311/),
commands and errors."""
