"""Parsing the agency days given in query strings and paths."""

from __future__ import annotations

import re
from datetime import date

from shared.errors import InvalidInput

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(value: str, field: str) -> date:
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, f"not a YYYY-MM-DD date: {value!r}", code="date_format") from None
