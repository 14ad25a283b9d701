"""Render an email from its Jinja2 templates (read from disk, once per template).

Layout of ``services/notifier/templates``, per template name and language:
``<name>.<lang>.txt.j2`` (plain text, extends ``_layout.<lang>.txt.j2``, holds the subject in
``{% block subject %}``) and ``<name>.<lang>.html.j2`` (extends ``_layout.<lang>.html.j2``,
autoescaped). Every variable must be given: StrictUndefined makes a missing one fail.
Staff emails (``staff_alert``) exist in French only and use the ``_staff`` layouts. The words
for codes (kind, outcome, step, deadline, status) come from domain/emails.py's
``template_values``, never from the templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.notifier.domain.emails import RenderedEmail, check_template, template_values
from shared.agency import AgencyIdentity
from shared.catalogue import Catalogue
from shared.process import COMPILED_TEMPLATES

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"


class EmailRenderer:
    def __init__(self, catalogue: Catalogue, agency: AgencyIdentity, directory: Path = TEMPLATES_DIR):
        self.catalogue = catalogue
        self.env = Environment(
            loader=FileSystemLoader(directory),
            autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=True, default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=COMPILED_TEMPLATES,
        )
        self.env.globals["agency"] = agency  # the agency's names and contacts, in every email

    def render(self, template: str, language: str, context: dict[str, Any]) -> RenderedEmail:
        check_template(template, language)
        values = template_values(self.catalogue, language, context)
        text_template = self.env.get_template(f"{template}.{language}.txt.j2")
        subject = " ".join("".join(text_template.blocks["subject"](text_template.new_context(values))).split())
        text = text_template.render(values).strip() + "\n"
        html = self.env.get_template(f"{template}.{language}.html.j2").render({**values, "subject": subject})
        return RenderedEmail(template, language, subject, text, html)
