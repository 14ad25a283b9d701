"""The verification code of an issued document: what its QR code opens and what a person types
on the portal's /verify page. 160 random bits (an unguessable code: the register answers anyone
who has it), in RFC 4648 base32 without padding, so it reads in capitals and digits 2-7 alone
(no 0/O, 1/I confusion), and is printed in groups of four.

The notifier keeps the register; reporting makes the daily report's code when it draws the
report; the portal reads what a person typed. All three use these functions, never a copy."""

from __future__ import annotations

import base64
import re
import secrets
from io import BytesIO

CODE_BITS = 160
CODE_LENGTH = CODE_BITS // 5  # base32: five bits a character, 32 characters
CODE_PATTERN = rf"^[A-Z2-7]{{{CODE_LENGTH}}}$"  # an API's path parameter
_CODE = re.compile(CODE_PATTERN)
_SEPARATORS = re.compile(r"[\s\-_.]+")
# Digits base32 never uses, read as the letters a person mistook for them.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BITS // 8)).decode("ascii")


def normalise(typed: str) -> str | None:
    """The code a person typed (any case, spaces or dashes between groups, a 0 for an O), or
    None when it cannot be one."""
    code = _SEPARATORS.sub("", typed or "").upper().translate(_LOOKALIKES)
    return code if _CODE.match(code) else None


def grouped(code: str) -> str:
    """As printed under the QR code: ``ABCD-EFGH-…``."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def verification_url(portal_url: str, code: str) -> str:
    return f"{portal_url.rstrip('/')}/verify/{code}"


KEYWORDS_PREFIX = "verification:"  # an issued PDF's keywords (metadata) name its code


def keywords_for(code: str) -> str:
    return f"{KEYWORDS_PREFIX}{code}"


def claimed_code(pdf: bytes) -> str | None:
    """The code a PDF's keywords name (the document it claims to be), or None: read from its
    document information, so a copy whose bytes were changed still says what it was issued as."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        info = PdfFileReader(BytesIO(pdf), strict=False).trailer_view.get("/Info")
        keywords = str(info.get_object().get("/Keywords", "")) if info is not None else ""
    except (PdfError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
    for word in keywords.split():
        if word.startswith(KEYWORDS_PREFIX):
            return normalise(word.removeprefix(KEYWORDS_PREFIX))
    return None
