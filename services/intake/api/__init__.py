"""Intake's public API (thin routes: parse, call a handler, shape the answer)."""

from services.intake.api import drafts, filings

routers = [filings.router, drafts.router]
component_schemas = filings.component_schemas
