"""The portal's pages read as a person reads them: the form's CSRF token, the error summary, the
words on the page."""

from __future__ import annotations

import html
import re

CSRF_FIELD = re.compile(r'name="csrftoken" value="([^"]+)"')


def csrf_token(page: str) -> str:
    """The CSRF token of the page's form."""
    return CSRF_FIELD.search(page).group(1)


def text_of(page: str) -> str:
    """The page's words, without its tags, scripts and styles, spaces collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def error_summary(page: str) -> str:
    """The words of the page's error summary ("" when it has none)."""
    found = re.search(r'<div class="error-summary.*?</div>', page, re.S)
    return text_of(found.group(0)) if found else ""
