"""What an email says, before it is drawn: the templates and their languages, the words each
template shows for the codes its event carries (from shared/vocabulary.toml and the catalogue),
and the agency-local dates. Pure: the Jinja2 rendering is adapters/email_rendering.py, the MIME
message adapters/mime.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.calendar import AGENCY_TZ
from shared.catalogue import Catalogue
from shared.vocabulary import Family, name

LANGUAGES = ("ar", "fr")
# Template name -> the languages it is written in.
TEMPLATE_LANGUAGES: dict[str, tuple[str, ...]] = {
    "receipt": LANGUAGES,
    "observations": LANGUAGES,
    "decision": LANGUAGES,
    "withdrawal": LANGUAGES,
    "invoice_step": LANGUAGES,
    "committee_adjourned": LANGUAGES,
    "contest_received": LANGUAGES,
    "draft_saved": LANGUAGES,
    "staff_alert": ("fr",),
    "report_daily": LANGUAGES,  # to the Urban Planning Directorate, in its language
}
TEMPLATES = tuple(TEMPLATE_LANGUAGES)
# A deadline alert (staff_alert's "alert") -> the deadline state it announces.
ALERT_STATES = {"approaching": "approaching", "breached": "overdue"}


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str = "application/pdf"


@dataclass(frozen=True)
class RenderedEmail:
    template: str
    language: str
    subject: str
    text: str
    html: str


def check_template(template: str, language: str) -> None:
    """A template this notifier has, in a language it is written in."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown email template {template!r}; known: {', '.join(TEMPLATES)}")
    languages = TEMPLATE_LANGUAGES[template]
    if language not in languages:
        raise ValueError(f"unsupported language {language!r} for {template}; supported: {', '.join(languages)}")


def template_values(catalogue: Catalogue, language: str, context: dict[str, Any]) -> dict[str, Any]:
    """The context with the words for each code it holds: the kind, an outcome, a finance step,
    a deadline and its alert, a status."""
    values = {**context, "kind_label": catalogue.kind_name(context["kind"], language)}
    if "outcome" in context:
        values["outcome_label"] = name(Family.OUTCOMES, context["outcome"], language)
    if "step" in context:
        values["step_label"] = name(Family.FINANCE_STEPS, context["step"], language)
    if "deadline" in context:
        values["deadline_label"] = name(Family.DEADLINES, context["deadline"], language)
    if "alert" in context:
        values["alert_label"] = name(Family.DEADLINE_STATES, ALERT_STATES[context["alert"]], language)
    if "status" in context:
        values["status_label"] = name(Family.STATUSES, context["status"], language)
    return values


def message_id(delivery_id: UUID, domain: str) -> str:
    return f"<{delivery_id}@{domain}>"


def local_date(moment: datetime) -> str:
    """A date as applicants read it (dd/mm/yyyy, the agency's time zone)."""
    return moment.astimezone(AGENCY_TZ).strftime("%d/%m/%Y")


def local_datetime(moment: datetime) -> str:
    """A date and time in the agency's time zone (dd/mm/yyyy à HH:MM), for staff emails."""
    return moment.astimezone(AGENCY_TZ).strftime("%d/%m/%Y à %H:%M")
