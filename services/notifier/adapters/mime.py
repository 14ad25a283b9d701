"""The MIME message of a rendered email, and its bytes as sent (CRLF line ends)."""

from __future__ import annotations

import io
from collections.abc import Sequence
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
from typing import Any
from uuid import uuid4

from services.notifier.domain.emails import Attachment, RenderedEmail
from shared.text import display_name


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
