"""Intake's public API (thin routes: parse, call a handler, shape the answer)."""

from services.intake.api import filings

routers = [filings.router]
component_schemas = filings.component_schemas
