"""Intake's public API (thin routes: parse, call a handler, shape the answer)."""

from services.intake.api import complaints, filings, open311

routers = [filings.router, complaints.router, open311.router]
