"""Parsing the agency days given in query strings and paths."""

from __future__ import annotations

import re
from datetime import date

from shared.errors import InvalidInput

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FIRST_DAY = date(2000, 1, 1)


def parse_day(value: str, field: str) -> date:
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, f"not a YYYY-MM-DD date: {value!r}", code="date_format") from None
    if not FIRST_DAY <= day < date.max:  # the day after must exist: a report spans [day, day + 1)
        raise InvalidInput(field, f"a report day falls from {FIRST_DAY.isoformat()} to 9999-12-30",
                           code="date_out_of_range")
    return day
