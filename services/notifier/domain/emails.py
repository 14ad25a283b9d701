"""Render an email from its Jinja2 templates and build the MIME message to send.

Layout of ``services/notifier/templates``, per template name and language:
``<name>.<lang>.txt.j2`` (plain text, extends ``_layout.<lang>.txt.j2``, holds the subject in
``{% block subject %}``) and ``<name>.<lang>.html.j2`` (extends ``_layout.<lang>.html.j2``,
autoescaped). Every variable must be given: StrictUndefined makes a missing one fail.
Staff emails (``staff_alert``) exist in French only and use the ``_staff`` layouts."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import encoders
from email.charset import BASE64, Charset
from email.generator import NLCRE, BytesGenerator
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import format_datetime, formataddr, parseaddr
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from shared.agency import AgencyIdentity
from shared.calendar import AGENCY_TZ
from shared.catalogue import Catalogue
from shared.labels import deadline_label, kind_label, outcome_label, status_label
from shared.text import display_name

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
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


class _Compat32SMTP(Compat32):
    """compat32 with CRLF line ends, writing a short ASCII header as it is: compat32 sends
    every header through ``email.header.Header`` to fold it, which a line shorter than the
    limit does not need (most of the headers of the message and its parts)."""

    def fold_binary(self, name: str, value: Any) -> bytes:
        if (isinstance(value, str) and value.isascii() and "\r" not in value and "\n" not in value
                and len(name) + len(value) + 2 <= self.max_line_length):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


SMTP_COMPAT32 = _Compat32SMTP(linesep="\r\n")
# UTF-8 with base64 in headers too: the default ("shortest") encodes each header both ways to compare.
UTF8 = Charset("utf-8")
UTF8.header_encoding = BASE64


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
        )
        self.env.globals["agency"] = agency  # the agency's names and contacts, in every email

    def render(self, template: str, language: str, context: dict[str, Any]) -> RenderedEmail:
        if template not in TEMPLATES:
            raise ValueError(f"unknown email template {template!r}; known: {', '.join(TEMPLATES)}")
        languages = TEMPLATE_LANGUAGES[template]
        if language not in languages:
            raise ValueError(f"unsupported language {language!r} for {template}; supported: {', '.join(languages)}")
        values = {**context, "kind_label": kind_label(self.catalogue, context["kind"], language)}
        if "outcome" in context:
            values["outcome_label"] = outcome_label(context["outcome"], language)
        if "step" in context:
            values["step_label"] = outcome_label(context["step"], language)
        if "deadline" in context:
            values["deadline_label"] = deadline_label(context["deadline"], language)
        if "status" in context:
            values["status_label"] = status_label(context["status"], language)
        text_template = self.env.get_template(f"{template}.{language}.txt.j2")
        subject = " ".join("".join(text_template.blocks["subject"](text_template.new_context(values))).split())
        text = text_template.render(values).strip() + "\n"
        html = self.env.get_template(f"{template}.{language}.html.j2").render({**values, "subject": subject})
        return RenderedEmail(template, language, subject, text, html)


def message_id(delivery_id: UUID, domain: str) -> str:
    return f"<{delivery_id}@{domain}>"


def build_message(
    email: RenderedEmail, *, mail_from: str, to_address: str, to_name: str, message_id: str, date: datetime,
    attachments: Sequence[Attachment] = (),
) -> Message:
    """multipart/alternative (the plain text first, the HTML preferred); with attachments, that
    inside a multipart/mixed followed by each attached file.

    Built with the email package's compat32 classes: the modern ``EmailMessage`` parses every
    header it is given and folds each again when flattened, which cost more CPU than the rest
    of sending an email together (a PDF aside)."""
    alternative = MIMEMultipart("alternative", _boundary())
    alternative.attach(MIMEText(email.text, "plain", UTF8))
    alternative.attach(MIMEText(email.html, "html", UTF8))
    message = alternative
    if attachments:
        message = MIMEMultipart("mixed", _boundary())
        message.attach(alternative)
        for attachment in attachments:
            part = MIMEBase(*attachment.content_type.split("/", 1))
            part.set_payload(attachment.content)
            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
            message.attach(part)
    message["From"] = sender(mail_from)[0]
    # The name as typed may hold a line break (an event filed before intake refused them): a
    # header cannot, so it is cleaned here rather than the email never being sent.
    message["To"] = _address(display_name(to_name), to_address)
    message["Subject"] = email.subject if email.subject.isascii() else Header(email.subject, UTF8)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to this
    message["X-Lamadi-Template"] = email.template  # lets mail filters (and tests) sort the steps
    message["Content-Language"] = email.language
    return message


@cache
def sender(mail_from: str) -> tuple[str, str]:
    """The From header of the mail_from setting, and its address (the SMTP envelope's sender)."""
    name, address = parseaddr(mail_from)
    return _address(name, address), address


def _address(name: str, address: str) -> str:
    if address.isascii():
        return formataddr((name, address), UTF8)  # the name RFC 2047-encoded when not ASCII
    # An internationalized address (RFC 6531), which formataddr refuses, goes as raw UTF-8:
    # compat32 writes a header it holds as undecodable bytes unchanged.
    shown = formataddr((name, "@"), UTF8).removesuffix("<@>") if name else ""
    return f"{shown}<{address}>".encode().decode("ascii", "surrogateescape")


def flatten(message: Message) -> bytes:
    """The message as sent, CRLF line ends."""
    with io.BytesIO() as out:
        _LinesAtOnce(out, policy=SMTP_COMPAT32).flatten(message)
        return out.getvalue()


class _LinesAtOnce(BytesGenerator):
    """The stdlib generator writes each line of a part, and each line end, by itself (a 30 kB
    PDF is 800 writes); this writes a part's lines at once, with the same line ends."""

    def _write_lines(self, lines: str) -> None:
        if lines:
            self.write(NLCRE.sub(self._NL, lines))


def _boundary() -> str:
    """A boundary no part can contain: every part is base64, whose alphabet has no "_" (so the
    generator need not search the parts for it, as it does for a boundary of its own)."""
    return f"=_lamadi_{uuid4().hex}"


def local_date(moment: datetime) -> str:
    """A date as applicants read it (dd/mm/yyyy, the agency's time zone)."""
    return moment.astimezone(AGENCY_TZ).strftime("%d/%m/%Y")


def local_datetime(moment: datetime) -> str:
    """A date and time in the agency's time zone (dd/mm/yyyy à HH:MM), for staff emails."""
    return moment.astimezone(AGENCY_TZ).strftime("%d/%m/%Y à %H:%M")
