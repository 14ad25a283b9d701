"""Intake's public API (thin routes: parse, call a handler, shape the answer)."""

from services.intake.api import complaints, drafts, filings, open311

routers = [filings.router, drafts.router, complaints.router, open311.router]
component_schemas = filings.component_schemas
